"""Task reminders, sent through a real SMTP conversation with a server on loopback."""

import datetime
import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lk3.accounts import services as account_services
from lk3.accounts.roles import Role
from lk3.cases import tasks
from lk3.cases.tests.builders import open_case
from lk3.people.tests.builders import make_person

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
SITE = "https://lk3.bontangkota.example"


# -- a small SMTP server -------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body()
        assert part is not None
        return part.get_content()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    def handle(self) -> None:
        self.reply("220 localhost lk3 test SMTP")
        sender, recipients = "", list[str]()
        while line := self.rfile.readline():
            verb, _, argument = line.decode("ascii", "replace").strip().partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.reply("250-localhost", "250-8BITMIME", "250 SMTPUTF8")
            elif verb in ("HELO", "NOOP"):
                self.reply("250 OK")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "MAIL":
                sender, recipients = argument.split(":", 1)[1].split()[0].strip("<>"), list[str]()
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(argument.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.received.append(  # type: ignore[attr-defined]
                    Received(sender, recipients, self._message())
                )
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _message(self) -> email.message.EmailMessage:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines), policy=email.policy.default)


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free loopback port, with Django's SMTP backend pointed at it."""
    server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address[:2]
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "", ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "lk3@lk3-bontang.example"
    settings.LK3_SITE_URL = SITE + "/"
    yield server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join()


# -- the cast with email addresses -----------------------------------------------------------


@pytest.fixture
def wulan(lk3_bontang):
    return account_services.user_create(
        actor=None,
        username="wulan",
        full_name="Wulan Sari",
        role=Role.COUNSELLOR,
        organisation=lk3_bontang,
        password=None,
        email="wulan@lk3-bontang.example",
    )


@pytest.fixture
def agung(lk3_bontang):
    return account_services.user_create(
        actor=None,
        username="agung",
        full_name="Agung Prasetyo",
        role=Role.PSYCHOLOGIST,
        organisation=lk3_bontang,
        password=None,
        email="agung@lk3-bontang.example",
    )


def case_led_by(coordinator, lead, name="Siti Aminah"):
    return open_case(coordinator, make_person(coordinator, name), lead_counsellor=lead)


def task_for(actor, case, title, due_on):
    # Tasks are made on the day before their due date, so overdue ones can exist.
    return tasks.task_create(
        actor=actor, case=case, title=title, assignee=actor, due_on=due_on, today=due_on - DAY
    )


def digest(day=TODAY):
    call_command("case_digest", "--date", day.isoformat(), "--now", verbosity=0)


# -- tests -----------------------------------------------------------------------------------


def test_one_email_per_worker_with_counts_and_case_numbers_only(smtp, budi, wulan):
    first = case_led_by(budi, wulan)
    second = case_led_by(budi, wulan, "Rina Wati")
    task_for(wulan, first, "Laporkan KDRT ke Polres", TODAY)
    task_for(wulan, first, "Telepon ibu korban", TODAY - 3 * DAY)
    task_for(wulan, second, "Kunjungan rumah", TODAY - DAY)

    digest()

    [mail] = smtp
    assert mail.recipients == ["wulan@lk3-bontang.example"]
    assert mail.sender == "lk3@lk3-bontang.example"
    assert first.number in mail.body
    assert second.number in mail.body
    assert SITE + reverse("cases:my_tasks") in mail.body
    for secret in ("KDRT", "Polres", "korban", "Kunjungan", "Siti", "Rina"):
        assert secret not in mail.body
        assert secret not in mail.message["Subject"]


def test_the_email_speaks_indonesian(smtp, budi, wulan):
    case = case_led_by(budi, wulan)
    task_for(wulan, case, "Telepon ibu", TODAY)
    task_for(wulan, case, "Kunjungan rumah", TODAY - DAY)

    digest()

    [mail] = smtp
    assert mail.message["Subject"] == "lk3: 2 tugas perlu Anda perhatikan"
    assert "1 tugas jatuh tempo hari ini" in mail.body
    assert "1 tugas terlambat" in mail.body


def test_each_worker_gets_their_own_email(smtp, budi, wulan, agung):
    task_for(wulan, case_led_by(budi, wulan), "Telepon ibu", TODAY)
    task_for(agung, case_led_by(budi, agung, "Ani"), "Tes psikologi", TODAY - DAY)

    digest()

    assert sorted(mail.recipients[0] for mail in smtp) == [
        "agung@lk3-bontang.example",
        "wulan@lk3-bontang.example",
    ]


def test_a_second_run_on_the_same_day_sends_nothing(smtp, budi, wulan):
    task = task_for(wulan, case_led_by(budi, wulan), "Telepon ibu", TODAY)
    digest()

    digest()

    assert len(smtp) == 1
    task.refresh_from_db()
    assert task.reminded_on == TODAY


def test_an_overdue_task_is_reminded_again_the_next_day(smtp, budi, wulan):
    task_for(wulan, case_led_by(budi, wulan), "Telepon ibu", TODAY)
    digest(TODAY)

    digest(TODAY + DAY)

    assert len(smtp) == 2
    assert "1 tugas terlambat" in smtp[1].body


def test_nothing_is_sent_for_future_done_or_closed_work(smtp, budi, wulan):
    case = case_led_by(budi, wulan)
    task_for(wulan, case, "Rapat kasus", TODAY + DAY)
    done = task_for(wulan, case, "Telepon ibu", TODAY)
    tasks.task_complete(actor=wulan, task=done)

    digest()

    assert smtp == []


def test_workers_without_an_email_address_are_skipped_and_not_marked(smtp, budi, sari):
    task = task_for(sari, case_led_by(budi, sari), "Telepon ibu", TODAY)

    digest()

    task.refresh_from_db()
    assert smtp == []
    assert task.reminded_on is None


def test_a_mail_server_that_is_down_leaves_the_tasks_to_the_next_run(settings, budi, wulan):
    task = task_for(wulan, case_led_by(budi, wulan), "Telepon ibu", TODAY)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        settings.EMAIL_HOST, settings.EMAIL_PORT = closed.server_address[:2]
    settings.EMAIL_TIMEOUT = 5

    with pytest.raises(ConnectionRefusedError):
        tasks.reminders_send(day=TODAY)

    task.refresh_from_db()
    assert task.reminded_on is None


def test_the_command_queues_the_reminders_for_the_task_worker(budi, wulan):
    call_command("case_digest", "--date", "2026-12-01", verbosity=0)

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lk3.cases.tasks.task_reminders_send"
    assert queued.args_kwargs["kwargs"] == {"day": "2026-12-01"}


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_sends_the_queued_reminders(smtp, lk3_bontang, budi, wulan):
    task_for(wulan, case_led_by(budi, wulan), "Telepon ibu", TODAY)
    call_command("case_digest", verbosity=0)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    [mail] = smtp
    assert mail.recipients == ["wulan@lk3-bontang.example"]


def test_a_bad_date_is_refused(budi):
    with pytest.raises(CommandError):
        call_command("case_digest", "--date", "28-11-2026")
