"""The inbox pages and the menu badge's template tag."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lk3.accounts.models import User
from lk3.referrals import notifications
from lk3.referrals.models import Notification
from lk3.referrals.notifications import notify

INBOX = reverse("referrals:inbox")
READ_ALL = reverse("referrals:notification_read_all")


def read_url(notification):
    return reverse("referrals:notification_read", kwargs={"notification_id": notification.pk})


def tell(user, text="Rujukan baru masuk.", url="/referrals/inbox/?page=1", count=1):
    made = []
    for number in range(count):
        made += notify(recipients=[user], kind="referral", text=f"{text} {number}", url=url)
    return made


def shown_ids(response):
    return [note.pk for note in response.context["page"].object_list]


# -- the list ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    ["budi", "sari", "intan", "rina", "pak_agus", "mitra_ppa", "viewer", "pak_hendra", "rudi"],
)
def test_every_role_has_an_inbox(request, client, username):
    user = request.getfixturevalue(username)
    [mine] = tell(user)
    client.force_login(user)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert shown_ids(response) == [mine.pk]
    assert f'data-id="{mine.pk}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_sees_only_their_own_notifications(client, sari, dewi, rudi):
    mine = tell(sari, count=2)
    tell(dewi)
    tell(rudi)
    client.force_login(sari)

    response = client.get(INBOX)

    assert sorted(shown_ids(response)) == sorted(note.pk for note in mine)


def test_unread_come_first_then_newest(client, sari):
    older, read, newer = tell(sari, count=3)
    notifications.notification_mark_read(user=sari, notification=read)
    client.force_login(sari)

    response = client.get(INBOX)

    assert shown_ids(response) == [newer.pk, older.pk, read.pk]
    assert response.context["unread"] == 2
    assert 'data-testid="read-all"' in response.content.decode()


def test_the_inbox_pages_with_a_fixed_number_of_queries(client, sari):
    tell(sari, count=3)
    client.force_login(sari)
    client.get(INBOX)  # the session warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    tell(sari, count=40)

    with CaptureQueriesContext(connection) as many:
        response = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(many) == len(few)
    assert len(shown_ids(response)) == 25
    assert len(shown_ids(second)) == 18


def test_nothing_to_mark_shows_no_button(client, sari):
    client.force_login(sari)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert response.context["unread"] == 0
    assert 'data-testid="read-all"' not in response.content.decode()


# -- marking read --------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, sari):
    [note] = tell(sari, url="/cases/")
    client.force_login(sari)

    response = client.post(read_url(note))

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_double_click_changes_nothing(client, sari):
    [note] = tell(sari, url="/cases/")
    client.force_login(sari)
    client.post(read_url(note))
    first = Notification.objects.get(pk=note.pk).read_at

    response = client.post(read_url(note))

    assert response.status_code == 302
    assert Notification.objects.get(pk=note.pk).read_at == first


def test_a_notification_without_a_link_goes_back_to_the_inbox(client, sari):
    [note] = tell(sari, url="")
    client.force_login(sari)

    response = client.post(read_url(note))

    assert response["Location"] == INBOX


def test_a_stored_link_to_another_site_is_not_followed(client, sari):
    [note] = tell(sari)
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example/")
    client.force_login(sari)

    response = client.post(read_url(note))

    assert response["Location"] == INBOX


def test_another_users_notification_is_not_found(client, sari, dewi, rudi):
    [colleague] = tell(dewi)
    [elsewhere] = tell(rudi)
    client.force_login(sari)

    assert client.post(read_url(colleague)).status_code == 404
    assert client.post(read_url(elsewhere)).status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_marking_read_needs_a_post(client, sari):
    [note] = tell(sari)
    client.force_login(sari)

    assert client.get(read_url(note)).status_code == 405
    assert client.get(READ_ALL).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_marks_only_the_users_own(client, sari, dewi):
    tell(sari, count=3)
    [colleague] = tell(dewi)
    client.force_login(sari)

    response = client.post(READ_ALL)
    again = client.post(READ_ALL)

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert again.status_code == 302
    assert not Notification.objects.filter(recipient=sari, read_at__isnull=True).exists()
    colleague.refresh_from_db()
    assert colleague.read_at is None


# -- the menu badge ------------------------------------------------------------------------

BADGE = Template(
    "{% load notification_tags %}{% unread_notifications_count as unread %}"
    "[{{ unread }}]{% unread_notifications_count %}"
)


def test_the_badge_counts_unread_without_a_query(sari, dewi):
    read, *_unread = tell(sari, count=3)
    notifications.notification_mark_read(user=sari, notification=read)
    tell(dewi)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=sari.pk)  # as the next request loads her

    with CaptureQueriesContext(connection) as queries:
        rendered = BADGE.render(Context({"request": request}))

    assert rendered == "[2]2"
    assert len(queries) == 0


def test_the_badge_is_zero_for_anonymous_visitors(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert BADGE.render(Context({"request": request})) == "[0]0"


def test_the_count_on_the_user_follows_notify_and_reading(sari, budi):
    first, _second = tell(sari, count=2)
    tell(budi)
    sari.refresh_from_db()
    assert sari.unread_notifications == 2

    notifications.notification_mark_read(user=sari, notification=first)
    notifications.notification_mark_read(user=sari, notification=first)  # a double click
    sari.refresh_from_db()
    assert sari.unread_notifications == 1

    notifications.notifications_mark_all_read(user=sari)
    sari.refresh_from_db()
    budi.refresh_from_db()
    assert (sari.unread_notifications, budi.unread_notifications) == (0, 1)
