"""notify(): inbox rows, one queued delivery, email through a real SMTP conversation."""

from __future__ import annotations

import socketserver

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from lk3.accounts import services as account_services
from lk3.accounts.roles import Role
from lk3.cases.tests.builders import open_case
from lk3.cases.tests.test_digest import smtp  # noqa: F401  (the SMTP server fixture)
from lk3.people.tests.builders import make_person
from lk3.referrals import tasks
from lk3.referrals.models import Notification
from lk3.referrals.notifications import MAX_TEXT, notify
from lk3.referrals.tests.test_gateway import fake_gateway  # noqa: F401  (the webhook fixture)

PUBLIC = "https://lk3.bontangkota.example"
INBOX = "/referrals/inbox/"


@pytest.fixture
def public_url(settings):
    settings.LK3_PUBLIC_URL = PUBLIC + "/"
    return PUBLIC


def staff(organisation, username, *, email="", phone="", role=Role.COUNSELLOR):
    return account_services.user_create(
        actor=None,
        username=username,
        full_name=username.title(),
        role=role,
        organisation=organisation,
        password=None,
        email=email,
        phone=phone,
    )


@pytest.fixture
def wulan(lk3_bontang):
    return staff(lk3_bontang, "wulan", email="wulan@lk3-bontang.example", phone="0812-3456-7890")


def deliver_all():
    return tasks.deliver(Notification.objects.all())


# -- the inbox rows ------------------------------------------------------------------------


def test_one_row_per_active_recipient(budi, sari, dewi):
    type(dewi).objects.filter(pk=dewi.pk).update(is_active=False)  # an account that left
    dewi.refresh_from_db()

    made = notify(recipients=[budi, sari, sari, dewi], kind="referral", text="Rujukan diterima.")

    assert sorted(note.recipient.username for note in made) == ["budi", "sari"]
    assert Notification.objects.count() == 2
    assert set(Notification.objects.values_list("text", "url", "kind")) == {
        ("Rujukan diterima.", "", "referral")
    }


def test_a_text_over_300_characters_is_refused_and_nothing_is_written(sari):
    with pytest.raises(ValueError, match="300"):
        notify(recipients=[sari], kind="referral", text="x" * (MAX_TEXT + 1))

    notify(recipients=[sari], kind="referral", text="x" * MAX_TEXT)
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "cases/"]
)
def test_a_link_must_be_a_path_on_this_site(sari, url):
    with pytest.raises(ValueError, match="path on this site"):
        notify(recipients=[sari], kind="referral", text="Rujukan baru.", url=url)

    assert not Notification.objects.exists()


def test_an_empty_text_or_kind_is_refused(sari):
    with pytest.raises(ValueError, match="needs a text"):
        notify(recipients=[sari], kind="referral", text="   ")
    with pytest.raises(ValueError, match="kind"):
        notify(recipients=[sari], kind="", text="Rujukan baru.")


def test_lazy_texts_are_written_in_the_site_language(settings, sari):
    settings.LANGUAGE_CODE = "id"
    with translation.override("en"):
        [required] = notify(
            recipients=[sari], kind="check", text=gettext_lazy("This field is required.")
        )
        [numbered] = notify(
            recipients=[sari],
            kind="referral",
            text=gettext_lazy("Referral %(number)s was accepted."),
            params={"number": "RJ-2026-0001"},
        )

    assert required.text == "Bidang ini harus diisi."  # Django's own Indonesian catalogue
    assert "RJ-2026-0001" in numbered.text


def test_the_row_is_part_of_the_callers_transaction(sari):
    @transaction.atomic
    def failing_service():
        notify(recipients=[sari], kind="referral", text="Rujukan baru.")
        raise RuntimeError("the caller's write failed")

    with pytest.raises(RuntimeError):
        failing_service()

    assert not Notification.objects.exists()


# -- the queued delivery -------------------------------------------------------------------


def test_one_delivery_task_is_queued_after_the_commit(django_capture_on_commit_callbacks, wulan):
    other = staff(wulan.organisation, "agung", email="agung@lk3-bontang.example")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = notify(recipients=[wulan, other], kind="referral", text="Rujukan baru.")
        assert not DBTaskResult.objects.exists()  # nothing before the commit

    assert len(callbacks) == 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lk3.referrals.tasks.notifications_deliver"
    assert sorted(queued.args_kwargs["kwargs"]["notification_ids"]) == sorted(n.pk for n in made)


def test_nothing_is_queued_for_recipients_without_email_or_gateway(
    django_capture_on_commit_callbacks, settings, sari
):
    settings.LK3_GATEWAY_URL = ""
    sari.phone = "0812-3456-7890"

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[sari], kind="referral", text="Rujukan baru.")

    assert Notification.objects.count() == 1
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_emails_what_notify_queued(transactional_db, smtp, public_url, lk3_bontang):  # noqa: F811
    wulan = staff(lk3_bontang, "wulan", email="wulan@lk3-bontang.example")
    with transaction.atomic():
        [notification] = notify(
            recipients=[wulan], kind="referral", text="Rujukan baru masuk.", url=INBOX
        )

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    [mail] = smtp
    assert mail.recipients == ["wulan@lk3-bontang.example"]
    assert "Rujukan baru masuk." in mail.body
    assert PUBLIC + INBOX in mail.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


# -- email -------------------------------------------------------------------------------


def test_the_email_has_the_text_and_an_absolute_link(smtp, public_url, wulan):  # noqa: F811
    url = reverse("referrals:inbox") + "?page=2"
    text = 'MoU/PKS dengan mitra "Rumah Aman" & Dinsos segera berakhir.'
    notify(recipients=[wulan], kind="agreement", text=text, url=url)

    result = deliver_all()

    [mail] = smtp
    assert mail.sender == "lk3@lk3-bontang.example"
    assert mail.message["Subject"] == f"lk3: {text}"
    assert text in mail.body  # plain text: nothing escaped
    assert PUBLIC + url in mail.body
    assert result.emailed == 1
    assert Notification.objects.get().emailed_at is not None


def test_the_link_defaults_to_the_local_site_and_the_inbox(settings, smtp, sari):  # noqa: F811
    del settings.LK3_PUBLIC_URL
    sari.email = "sari@lk3-bontang.example"
    sari.save()
    notify(recipients=[sari], kind="referral", text="Rujukan baru.")

    deliver_all()

    [mail] = smtp
    assert "http://127.0.0.1:8000/referrals/inbox/" in mail.body


def test_recipients_without_email_are_not_emailed_nor_marked(smtp, sari, wulan):  # noqa: F811
    notify(recipients=[sari, wulan], kind="referral", text="Rujukan baru.")

    deliver_all()

    assert [mail.recipients for mail in smtp] == [["wulan@lk3-bontang.example"]]
    assert Notification.objects.get(recipient=sari).emailed_at is None


def test_a_second_delivery_sends_nothing_twice(smtp, wulan):  # noqa: F811
    notify(recipients=[wulan], kind="referral", text="Rujukan baru.")

    deliver_all()
    deliver_all()

    assert len(smtp) == 1


def test_a_mail_server_that_is_down_leaves_it_to_the_retry(settings, smtp, wulan):  # noqa: F811
    working_port = settings.EMAIL_PORT
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        settings.EMAIL_PORT = closed.server_address[1]
    notify(recipients=[wulan], kind="referral", text="Rujukan baru.")

    result = deliver_all()  # no exception

    assert result.email_failed == 1
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_PORT = working_port
    call_command("notifications_retry", "--older-than", "0", verbosity=0)
    assert len(smtp) == 1
    assert Notification.objects.get().emailed_at is not None


def test_a_notification_read_in_the_inbox_is_not_emailed(smtp, wulan):  # noqa: F811
    notify(recipients=[wulan], kind="referral", text="Rujukan baru.")
    Notification.objects.update(read_at=timezone.now())

    deliver_all()
    call_command("notifications_retry", "--older-than", "0", verbosity=0)

    assert smtp == []


def test_the_retry_command_reports_what_it_did(capsys, smtp, wulan):  # noqa: F811
    notify(recipients=[wulan], kind="referral", text="Rujukan baru.")

    with translation.override("en"):
        call_command("notifications_retry", "--older-than", "0")

    assert "Emailed 1" in capsys.readouterr().out


# -- never case content --------------------------------------------------------------------


def test_messages_never_carry_the_clients_name(
    smtp,  # noqa: F811
    fake_gateway,  # noqa: F811
    public_url,
    budi,
    wulan,
):
    client = make_person(budi, "Siti Aminah")
    case = open_case(budi, client)
    # Texts as the referral services write them: what happened, a number, a link.
    texts = [
        f"Rujukan untuk kasus {case.number} diterima oleh mitra.",
        f"Mitra meminta informasi tambahan untuk rujukan kasus {case.number}.",
        "Laporan lapangan baru dari Bhabinkamtibmas menunggu di meja penerimaan.",
        "MoU/PKS dengan UPTD PPA berakhir dalam 30 hari.",
    ]
    for text in texts:
        notify(recipients=[wulan], kind="referral", text=text, url=f"/cases/{case.public_id}/")

    deliver_all()

    assert len(smtp) == len(texts)
    assert len(fake_gateway.hits) == len(texts)
    carried = [note.text for note in Notification.objects.all()]
    carried += [mail.body + str(mail.message["Subject"]) for mail in smtp]
    carried += [hit.body.decode() for hit in fake_gateway.hits]
    for message in carried:
        for secret in ("Siti", "Aminah", client.full_name):
            assert secret not in message
        assert case.presenting_problem not in message
