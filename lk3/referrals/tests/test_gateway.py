"""The SMS/WhatsApp webhook, tested against a real HTTP server on loopback."""

from __future__ import annotations

import datetime
import json
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lk3.accounts import services as account_services
from lk3.accounts.roles import Role
from lk3.referrals import gateway, tasks
from lk3.referrals.models import Notification
from lk3.referrals.notifications import notify

TOKEN = "rahasia-gateway-uji"
TEXT = "Rujukan baru masuk ke meja penerimaan."
HOUR = datetime.timedelta(hours=1)


# -- a small gateway on loopback -----------------------------------------------------------


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeGateway:
    url: str
    hits: list[Hit] = field(default_factory=list)
    status: int = 200
    # While set to an unset event, the gateway holds its answer until the event is set.
    hold: threading.Event | None = None
    location: str = ""


class _GatewayHandler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        fake: FakeGateway = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        fake.hits.append(Hit(self.path, dict(self.headers.items()), self.rfile.read(length)))
        if fake.hold is not None:
            fake.hold.wait(timeout=10)
        self.send_response(fake.status)
        if fake.location:
            self.send_header("Location", fake.location)
        answer = b'{"ok": true}' if 200 <= fake.status < 300 else b'{"ok": false}'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self) -> None:  # a redirect followed as GET would land here
        self.server.fake.hits.append(Hit(self.path, dict(self.headers.items()), b""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def fake_gateway(settings):
    """A webhook on a free loopback port, with the LK3_GATEWAY_* settings pointed at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayHandler)
    server.daemon_threads = True
    fake = FakeGateway(url=f"http://127.0.0.1:{server.server_port}/kirim")
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LK3_GATEWAY_URL = fake.url
    settings.LK3_GATEWAY_TOKEN = TOKEN
    settings.LK3_GATEWAY_TIMEOUT = 2
    yield fake
    if fake.hold is not None:
        fake.hold.set()
    server.shutdown()
    server.server_close()
    thread.join()


def user_with_phone(organisation, username, phone, *, email=""):
    return account_services.user_create(
        actor=None,
        username=username,
        full_name=username.title(),
        role=Role.COUNSELLOR,
        organisation=organisation,
        password=None,
        phone=phone,
        email=email,
    )


@pytest.fixture
def wulan(lk3_bontang):
    return user_with_phone(lk3_bontang, "wulan", "0812-3456-7890")


def notice_for(user, text=TEXT, url="/referrals/inbox/"):
    [notification] = notify(recipients=[user], kind="referral_in", text=text, url=url)
    return notification


def deliver(*notifications):
    return tasks.deliver(Notification.objects.filter(pk__in=[n.pk for n in notifications]))


def retry():
    call_command("notifications_retry", "--older-than", "0", verbosity=0)


# -- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0813) 5000.1234", "+6281350001234"),
        ("0548-21234", None),  # a landline takes no SMS
        ("12345", None),
        ("bukan nomor", None),
        ("", None),
    ],
)
def test_numbers_go_out_in_international_form_and_only_mobiles(written, sent):
    assert gateway.international_mobile(written) == sent


# -- the webhook ---------------------------------------------------------------------------


def test_the_webhook_gets_json_with_the_bearer_token_and_marks_the_notification(
    fake_gateway, wulan
):
    notification = notice_for(wulan)

    result = deliver(notification)

    [hit] = fake_gateway.hits
    assert hit.path == "/kirim"
    assert hit.headers["Authorization"] == f"Bearer {TOKEN}"
    assert hit.headers["Content-Type"].startswith("application/json")
    assert hit.payload == {
        "to": "+6281234567890",
        "text": f"lk3: {TEXT}",
        "id": str(notification.pk),
    }
    notification.refresh_from_db()
    assert notification.pushed_at is not None
    assert result.pushed == 1


def test_a_server_error_leaves_it_unmarked_and_the_retry_marks_it_once_the_gateway_recovers(
    fake_gateway, wulan
):
    notification = notice_for(wulan)
    fake_gateway.status = 500

    result = deliver(notification)

    notification.refresh_from_db()
    assert notification.pushed_at is None
    assert result.push_failed == 1
    fake_gateway.status = 202
    retry()
    notification.refresh_from_db()
    assert notification.pushed_at is not None
    assert [hit.payload["id"] for hit in fake_gateway.hits] == [str(notification.pk)] * 2
    retry()
    assert len(fake_gateway.hits) == 2  # sent once: nothing more to retry


def test_a_gateway_that_does_not_answer_in_time_leaves_it_unmarked(settings, fake_gateway, wulan):
    settings.LK3_GATEWAY_TIMEOUT = 0.3
    fake_gateway.hold = threading.Event()  # the gateway never answers while the test waits
    notification = notice_for(wulan)

    result = deliver(notification)

    assert not fake_gateway.hold.is_set()  # delivery gave up before the gateway answered
    notification.refresh_from_db()
    assert notification.pushed_at is None
    assert result.push_failed == 1


def test_a_gateway_that_is_down_stops_the_run_without_an_error(settings, lk3_bontang, wulan):
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]
    settings.LK3_GATEWAY_URL = f"http://127.0.0.1:{port}/kirim"
    other = user_with_phone(lk3_bontang, "agung", "0813 5000 1234")
    first, second = notice_for(wulan), notice_for(other)

    result = deliver(first, second)

    assert result.push_failed == 2
    assert result.pushed == 0
    assert Notification.objects.filter(pushed_at__isnull=False).count() == 0


def test_a_redirect_is_not_a_delivery(fake_gateway, wulan):
    fake_gateway.status = 302
    fake_gateway.location = "/elsewhere"
    notification = notice_for(wulan)

    deliver(notification)

    notification.refresh_from_db()
    assert notification.pushed_at is None
    assert [hit.path for hit in fake_gateway.hits] == ["/kirim"]


def test_recipients_without_a_mobile_number_are_skipped(fake_gateway, lk3_bontang, wulan):
    landline = user_with_phone(lk3_bontang, "kantor", "0548-21234")
    nothing = user_with_phone(lk3_bontang, "tanpa", "")
    mobile = notice_for(wulan)
    skipped = [notice_for(landline), notice_for(nothing)]

    deliver(mobile, *skipped)

    assert [hit.payload["to"] for hit in fake_gateway.hits] == ["+6281234567890"]
    assert all(Notification.objects.get(pk=note.pk).pushed_at is None for note in skipped)


def test_no_url_means_the_gateway_is_off(settings, fake_gateway, wulan):
    settings.LK3_GATEWAY_URL = ""
    notification = notice_for(wulan)

    deliver(notification)
    retry()

    assert fake_gateway.hits == []
    notification.refresh_from_db()
    assert notification.pushed_at is None


def test_only_http_addresses_are_used(settings, wulan):
    settings.LK3_GATEWAY_URL = "file:///etc/passwd"

    assert not gateway.gateway_enabled()


def test_no_token_sends_no_authorization_header(settings, fake_gateway, wulan):
    settings.LK3_GATEWAY_TOKEN = ""

    deliver(notice_for(wulan))

    [hit] = fake_gateway.hits
    assert "Authorization" not in hit.headers


def test_a_read_notification_is_not_pushed_by_the_retry(fake_gateway, wulan):
    notification = notice_for(wulan)
    Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())

    retry()

    assert fake_gateway.hits == []


def test_the_retry_leaves_fresh_and_stale_notifications(fake_gateway, wulan):
    fresh = notice_for(wulan)
    stale = notice_for(wulan)
    Notification.objects.filter(pk=stale.pk).update(created_at=timezone.now() - 80 * HOUR)

    call_command("notifications_retry", verbosity=0)

    assert fake_gateway.hits == []
    tasks.retry_pending(older_than=datetime.timedelta(0))
    assert [hit.payload["id"] for hit in fake_gateway.hits] == [str(fresh.pk)]


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_pushes_what_notify_queued(transactional_db, fake_gateway, lk3_bontang):
    wulan = user_with_phone(lk3_bontang, "wulan", "0812-3456-7890")
    with transaction.atomic():
        notice_for(wulan)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    [hit] = fake_gateway.hits
    assert hit.payload["to"] == "+6281234567890"
    assert Notification.objects.get().pushed_at is not None
