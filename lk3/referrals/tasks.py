"""Delivery of notifications by email and by the SMS/WhatsApp gateway (task worker).

Rules:
- ``notify`` queues ONE ``notifications_deliver`` task per call, after the
  commit. The task emails each recipient with an email address and pushes
  to the gateway each recipient with a mobile number (when the gateway is
  configured), then marks ``emailed_at`` / ``pushed_at``: only what was
  accepted is marked, so nothing is lost and nothing is marked that did
  not go.
- The task never raises for a mail server or gateway that is down: it
  logs, leaves the rest unmarked and ``manage.py notifications_retry``
  (cron) tries again for notifications that are still unread and younger
  than ``--max-age``. A notification read in the inbox is not sent anymore.
- Each notification is claimed with a row lock while it is sent, so the
  task and the retry command running at once do not send it twice.
- Emails carry the notification's text (never case content) and an absolute
  link built from ``LK3_PUBLIC_URL`` (default ``http://127.0.0.1:8000``), in
  the site's language.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task as background_task

from lk3.referrals.gateway import (
    GatewayConfig,
    Outcome,
    gateway_config,
    gateway_send,
    international_mobile,
)
from lk3.referrals.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
# At most this many notifications are delivered by one task or one retry run.
BATCH = 500


@dataclass
class Delivery:
    """What one delivery run did."""

    emailed: int = 0
    email_failed: int = 0
    pushed: int = 0
    push_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def public_url() -> str:
    return str(getattr(settings, "LK3_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")


def notification_link(notification: Notification) -> str:
    """The absolute address the notification points to (the inbox when it names none)."""
    path = notification.url
    if not path.startswith("/") or path.startswith("//"):
        path = reverse("referrals:inbox")
    return public_url() + path


def gateway_text(notification: Notification) -> str:
    return f"lk3: {notification.text}"


def notification_email(notification: Notification, connection: Any = None) -> EmailMessage:
    recipient = notification.recipient
    context = {
        "name": recipient.full_name or recipient.username,
        "text": notification.text,
        "link": notification_link(notification),
    }
    # Users have no language setting yet: notifications speak the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("referrals/notification_email_subject.txt", context)
        body = render_to_string("referrals/notification_email.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        connection=connection,
    )


def _claim(pk: int, unmarked: str) -> Notification | None:
    """The notification, row-locked, if it still waits (call inside a transaction)."""
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(pk=pk, read_at__isnull=True, recipient__is_active=True, **{unmarked: None})
        .first()
    )


def _send_one(pk: int, unmarked: str, send: Callable[[Notification], bool]) -> bool | None:
    """Claim, send and mark one notification: True sent, False failed, None not waiting."""
    with transaction.atomic():
        notification = _claim(pk, unmarked)
        if notification is None:
            return None
        if not send(notification):
            return False
        Notification.objects.filter(pk=pk).update(**{unmarked: timezone.now()})
        return True


def _email_all(notifications: Sequence[Notification], result: Delivery) -> None:
    waiting = [note for note in notifications if note.emailed_at is None and note.recipient.email]
    if not waiting:
        return
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.warning(
            "Mail server unreachable: %d notifications wait", len(waiting), exc_info=True
        )
        result.email_failed += len(waiting)
        return

    def send(notification: Notification) -> bool:
        try:
            notification_email(notification, connection).send()
        except smtplib.SMTPRecipientsRefused:
            logger.warning("Mail server refused the recipient of notification %s", notification.pk)
            return False
        return True

    try:
        for index, note in enumerate(waiting):
            try:
                sent = _send_one(note.pk, "emailed_at", send)
            except (smtplib.SMTPException, OSError):
                logger.warning("Email of notification %s failed", note.pk, exc_info=True)
                result.email_failed += len(waiting) - index
                return
            if sent is True:
                result.emailed += 1
            elif sent is False:
                result.email_failed += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.debug("Closing the mail connection failed", exc_info=True)


def _push_all(
    notifications: Sequence[Notification], result: Delivery, config: GatewayConfig
) -> None:
    if not config.enabled:
        return
    outcomes: list[Outcome] = []

    def send(notification: Notification) -> bool:
        number = international_mobile(notification.recipient.phone)
        if number is None:  # the number changed since the list was made
            outcomes.append(Outcome.REFUSED)
            return False
        outcomes.append(
            gateway_send(
                to=number,
                text=gateway_text(notification),
                message_id=str(notification.pk),
                config=config,
            )
        )
        return outcomes[-1] is Outcome.SENT

    waiting = [
        note
        for note in notifications
        if note.pushed_at is None and international_mobile(note.recipient.phone)
    ]
    for index, note in enumerate(waiting):
        outcomes.clear()
        sent = _send_one(note.pk, "pushed_at", send)
        if sent is True:
            result.pushed += 1
        elif sent is False:
            if outcomes and outcomes[-1] is Outcome.UNREACHABLE:
                # The gateway is down: the rest waits for the next retry.
                result.push_failed += len(waiting) - index
                return
            result.push_failed += 1


def deliver(notifications: QuerySet[Notification]) -> Delivery:
    """Email and push the given notifications that still wait; never raises for a delivery failure."""
    rows = list(
        notifications.filter(read_at__isnull=True, recipient__is_active=True)
        .select_related("recipient")
        .order_by("pk")[:BATCH]
    )
    result = Delivery()
    _email_all(rows, result)
    _push_all(rows, result, gateway_config())
    return result


def pending(
    *, now: datetime.datetime, older_than: datetime.timedelta, max_age: datetime.timedelta
) -> QuerySet[Notification]:
    """Notifications a retry run should try again: unread, not too fresh, not too old."""
    waiting = Q(emailed_at__isnull=True) & ~Q(recipient__email="")
    if gateway_config().enabled:
        waiting |= Q(pushed_at__isnull=True) & ~Q(recipient__phone="")
    return Notification.objects.filter(
        waiting,
        read_at__isnull=True,
        recipient__is_active=True,
        created_at__lte=now - older_than,
        created_at__gte=now - max_age,
    )


def retry_pending(
    *,
    now: datetime.datetime | None = None,
    older_than: datetime.timedelta = datetime.timedelta(minutes=5),
    max_age: datetime.timedelta = datetime.timedelta(days=3),
) -> Delivery:
    """What ``manage.py notifications_retry`` does."""
    return deliver(pending(now=now or timezone.now(), older_than=older_than, max_age=max_age))


@background_task()
def notifications_deliver(notification_ids: list[int]) -> dict[str, int]:
    """The task ``notify`` queues after its transaction commits."""
    return deliver(Notification.objects.filter(pk__in=notification_ids)).as_dict()
