import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from lk3.accounts import services
from lk3.accounts.models import LoginAttempt
from lk3.audit import actions
from lk3.audit.models import AuditEvent

LOGIN = reverse("accounts:login")
WRONG = "bukan-kata-sandinya"


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_reaches_the_dashboard_and_is_audited(client, sari):
    response = post_login(client, "sari", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    event = AuditEvent.objects.get(action=actions.LOGIN_SUCCEEDED)
    assert (event.actor, event.organisation) == (sari, sari.organisation)


def test_username_is_not_case_sensitive(client, sari):
    response = post_login(client, "  SARI ", PASSWORD)

    assert response.status_code == 302


def test_wrong_password_gets_an_indonesian_message(client, sari):
    response = post_login(client, "sari", WRONG)

    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert AuditEvent.objects.filter(action=actions.LOGIN_FAILED, actor=sari).count() == 1


def test_unknown_username_gets_the_same_message_as_a_wrong_password(client, sari):
    unknown = post_login(client, "tidak-ada", WRONG).content.decode()

    assert str(services.LOGIN_INVALID) in unknown


def test_empty_form_names_the_fields(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert response.content.decode().count("Bidang ini harus diisi.") == 2


@override_settings(LK3_LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_account(client, sari):
    for _attempt in range(3):
        post_login(client, "sari", WRONG)

    response = post_login(client, "sari", PASSWORD)

    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=actions.LOGIN_LOCKED, actor=sari).count() == 1


@override_settings(LK3_LOGIN_MAX_FAILURES=3)
def test_locked_login_is_not_recorded_as_another_failure(client, sari):
    for _attempt in range(4):
        post_login(client, "sari", WRONG)

    assert LoginAttempt.objects.filter(username="sari", succeeded=False).count() == 3


@override_settings(LK3_LOGIN_MAX_FAILURES=3, LK3_LOGIN_LOCKOUT_MINUTES=15)
def test_lockout_ends_after_the_window(sari):
    long_ago = timezone.now() - datetime.timedelta(minutes=16)
    LoginAttempt.objects.bulk_create(
        LoginAttempt(username="sari", succeeded=False, attempted_at=long_ago) for _ in range(3)
    )

    assert not services.login_is_locked(username="sari", ip_address=None)


@override_settings(LK3_LOGIN_MAX_FAILURES=3)
def test_a_success_resets_the_failure_count(client, sari):
    post_login(client, "sari", WRONG)
    post_login(client, "sari", WRONG)
    post_login(client, "sari", PASSWORD)
    client.logout()
    post_login(client, "sari", WRONG)

    assert not services.login_is_locked(username="sari", ip_address=None)


@override_settings(LK3_LOGIN_MAX_FAILURES_PER_ADDRESS=4)
def test_one_address_trying_many_usernames_is_locked(client, sari):
    for name in ["ani", "bayu", "citra", "dodi"]:
        post_login(client, name, WRONG, REMOTE_ADDR="10.1.2.3")

    response = post_login(client, "sari", PASSWORD, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 429


def test_inactive_account_cannot_log_in(client, sari):
    sari.is_active = False
    sari.save()

    response = post_login(client, "sari", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_next_to_another_site_is_ignored(client, sari, target):
    response = client.post(f"{LOGIN}?next={target}", {"username": "sari", "password": PASSWORD})

    assert response["Location"] == reverse("accounts:dashboard")


def test_next_within_the_site_is_followed(client, sari):
    target = reverse("accounts:board_member_list")

    response = client.post(LOGIN, {"username": "sari", "password": PASSWORD, "next": target})

    assert response["Location"] == target


def test_logout_needs_post_and_is_audited(client, sari):
    client.force_login(sari)

    refused = client.get(reverse("accounts:logout"))
    response = client.post(reverse("accounts:logout"))

    assert refused.status_code == 405
    assert response["Location"] == LOGIN
    assert AuditEvent.objects.filter(action=actions.LOGOUT, actor=sari).count() == 1


def test_password_change_is_audited_without_the_password(client, sari):
    client.force_login(sari)
    new_password = "Sangat-rahasia-2027"

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    sari.refresh_from_db()
    assert response.status_code == 302
    assert sari.check_password(new_password)
    event = AuditEvent.objects.get(action=actions.PASSWORD_CHANGED)
    assert event.changes == {"password": ["***", "***"]}


def test_password_change_refuses_a_short_password(client, sari):
    client.force_login(sari)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "pendek", "new_password2": "pendek"},
    )

    assert response.status_code == 200
    assert "Kata sandi terlalu pendek." in response.content.decode()
