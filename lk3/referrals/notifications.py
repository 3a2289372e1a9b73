"""Notifications: an in-app inbox for every role, then email and the SMS/WhatsApp gateway.

Rules:
- A notification says what happened and links to where to look; it never
  carries case content (no names, no problems, no notes): a phone's lock
  screen and a mail server are not the case file. ``notify`` refuses a
  text longer than ``MAX_TEXT`` characters, an empty one, and a link that
  is not a path on this site.
- The inbox row is written in the caller's transaction; delivery by email
  and the gateway happens after the commit, in the task worker: ONE task
  for the notifications of one ``notify`` call (``tasks.notifications_deliver``).
  A failure to queue it is logged and never breaks the caller's request;
  ``manage.py notifications_retry`` (cron) picks up what was not delivered.
- Texts are stored in the site's language (``LANGUAGE_CODE``): users have no
  language of their own yet, and a notification is read later, by someone
  else than the person whose request wrote it. Pass a lazy message
  (``gettext_lazy``) and its ``params``: it is rendered in that language.
- Each user sees only their own notifications: another user's is a 404.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation

from lk3.accounts.models import User
from lk3.referrals import tasks
from lk3.referrals.gateway import gateway_enabled, international_mobile
from lk3.referrals.models import Notification

logger = logging.getLogger(__name__)

MAX_TEXT = 300
MAX_KIND = 40
MAX_URL = 300


def _render(text: Any, params: Mapping[str, Any] | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        rendered = str(text) % dict(params) if params else str(text)
    return " ".join(rendered.split())


def _check(kind: str, text: str, url: str) -> None:
    """Programming errors of the caller, not bad input of a user: refused loudly."""
    if not text:
        raise ValueError("A notification needs a text.")
    if len(text) > MAX_TEXT:
        raise ValueError(
            f"A notification text is at most {MAX_TEXT} characters (got {len(text)}): "
            "say what happened and link to it, never copy case content."
        )
    if not kind or len(kind) > MAX_KIND:
        raise ValueError(f"A notification kind is 1 to {MAX_KIND} characters.")
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > MAX_URL):
        raise ValueError("A notification links to a path on this site (starting with one '/').")


def _needs_delivery(user: Any, gateway_on: bool) -> bool:
    return bool(user.email) or (gateway_on and international_mobile(user.phone) is not None)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    text: Any,
    url: str = "",
    params: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """One inbox message per active recipient (``text`` must hold no case content).

    Delivery by email/gateway is queued for after the caller's commit.
    """
    rendered = _render(text, params)
    _check(kind, rendered, url)
    users = {user.pk: user for user in recipients if user.is_active}
    found = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, text=rendered, url=url) for user in users.values()
    )
    _recount(users.keys())
    gateway_on = gateway_enabled()
    to_deliver = [note.pk for note in found if _needs_delivery(note.recipient, gateway_on)]
    if to_deliver:
        transaction.on_commit(lambda: _enqueue(to_deliver), robust=True)
    return found


def _enqueue(notification_ids: list[int]) -> None:
    try:
        tasks.notifications_deliver.enqueue(notification_ids=notification_ids)
    except Exception:  # the inbox row is saved: the retry command delivers it later
        logger.exception("Could not queue delivery of notifications %s", notification_ids)


# -- the inbox -----------------------------------------------------------------------------


def notifications_for_user(user: Any) -> QuerySet[Notification]:
    """The user's own notifications: unread first, newest first within each."""
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return Notification.objects.filter(recipient=user).order_by(unread_first, "-created_at", "-id")


def unread_count(user: Any) -> int:
    """The user's unread notifications, as kept on the user (no query)."""
    if not (user.is_authenticated and user.is_active):
        return 0
    return int(user.unread_notifications)


def _recount(user_ids: Iterable[int]) -> None:
    """Set each user's unread count from their notifications, in one UPDATE.

    Counting again (rather than adding or subtracting one) keeps the number
    right when a notification arrives while another is being read.
    """
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(total=Count("pk"))
        .values("total")
    )
    User.objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def notification_get_for_user(user: Any, notification_id: int) -> Notification:
    """The user's own notification; anybody else's is a 404."""
    found = notifications_for_user(user).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark read; marking a read notification again changes nothing (a double click)."""
    if notification.recipient_id != user.pk:
        raise Http404
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        _recount([user.pk])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; how many were."""
    if not (user.is_authenticated and user.is_active):
        return 0
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _recount([user.pk])
    return marked
