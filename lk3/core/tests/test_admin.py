"""The administration site: edits are audited, nothing is deleted."""

import pytest
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.models import PmksCategory


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "kata-sandi-admin-2026")


def test_renaming_a_pmks_category_is_audited(client, superuser):
    category = PmksCategory.objects.get(code="fakir-miskin")
    client.force_login(superuser)
    url = reverse("admin:core_pmkscategory_change", args=[category.pk])

    response = client.post(
        url,
        {
            "name": "Fakir Miskin dan Orang Tidak Mampu",
            "description": "",
            "sort_order": 24,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=actions.ADMIN_RECORD_UPDATED)
    assert event.changes == {"name": ["Fakir Miskin", "Fakir Miskin dan Orang Tidak Mampu"]}


def test_the_code_of_a_category_cannot_be_changed(client, superuser):
    category = PmksCategory.objects.get(code="fakir-miskin")
    client.force_login(superuser)
    url = reverse("admin:core_pmkscategory_change", args=[category.pk])

    client.post(url, {"code": "lain", "name": "Fakir Miskin", "sort_order": 24, "is_active": "on"})

    category.refresh_from_db()
    assert category.code == "fakir-miskin"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:core_pmkscategory_delete",
        "admin:accounts_boardmember_delete",
        "admin:accounts_user_delete",
    ],
)
def test_nothing_can_be_deleted_in_the_admin(client, superuser, member_agus, url_name):
    client.force_login(superuser)
    target = {
        "admin:core_pmkscategory_delete": lambda: PmksCategory.objects.get(code="odha").pk,
        "admin:accounts_boardmember_delete": lambda: member_agus.pk,
        "admin:accounts_user_delete": lambda: superuser.pk,
    }[url_name]()

    response = client.post(reverse(url_name, args=[target]), {"post": "yes"})

    assert response.status_code == 403


def test_a_password_reset_by_an_administrator_is_audited(client, superuser, sari):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[sari.pk])
    new_password = "Baru-sekali-2026!"

    response = client.post(
        url, {"password1": new_password, "password2": new_password, "usable_password": "true"}
    )

    sari.refresh_from_db()
    assert response.status_code == 302
    assert sari.check_password(new_password)
    event = AuditEvent.objects.get(action=actions.PASSWORD_RESET_BY_ADMIN)
    assert (event.actor, event.target_id) == (superuser, str(sari.public_id))


def test_audit_events_are_read_only_in_the_admin(client, superuser, sari):
    client.force_login(superuser)
    client.post(reverse("accounts:logout"))
    client.force_login(superuser)
    event = AuditEvent.objects.latest("id")

    response = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"}
    )

    event.refresh_from_db()
    assert response.status_code == 403
    assert event.action != "x"


def test_referral_settings_are_changed_in_the_admin_with_an_audit_row(
    client, superuser, lk3_bontang
):
    from lk3.audit.models import AuditEvent
    from lk3.referrals.models import ReferralSettings

    client.force_login(superuser)
    response = client.post(
        reverse("admin:referrals_referralsettings_add"),
        {"organisation": lk3_bontang.pk, "answer_days": 5, "agreement_warning_days": 30},
    )

    assert response.status_code == 302
    assert ReferralSettings.objects.get(organisation=lk3_bontang).answer_days == 5
    assert AuditEvent.objects.filter(action="admin.record_created").exists()
