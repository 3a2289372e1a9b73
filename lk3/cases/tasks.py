"""Tasks of a case, and the daily reminders about them.

Rules:
- A task has a title, an assignee among the case's workers
  (``work.case_workers``) and a due date. A new task, or a changed due date,
  is not in the past. A done task is reopened before it is changed.
- Creating, changing, completing or reopening a task keeps the case's
  ``next_due_on`` right (``services.case_due_refresh``), in the same
  transaction, and is audited there.
- A double click changes nothing: completing a done task or reopening an
  open one is a no-op, and the same task created twice by the same worker
  within ``work.DOUBLE_SUBMIT_WINDOW`` is one task.
- Edits carry the version the user saw; a stale edit is refused with what
  changed, unless the record already holds exactly what was submitted.
- Reminders (``task_reminders_send``, queued daily by ``manage.py
  case_digest``): every active assignee with an email address whose open
  tasks due that day or overdue include one not yet reminded that day gets
  ONE email, in Indonesian. It carries counts and case numbers only, never
  task titles or case content (titles may be sensitive), and a link to the
  site, behind login. Tasks are marked reminded only after their email was
  accepted, so a failed email is retried by the next run.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task as background_task

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.cases import work
from lk3.cases.models import Case, CaseSession, CaseStatus, Task
from lk3.cases.services import case_due_refresh
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError

logger = logging.getLogger(__name__)

TASK_NEEDS_TITLE = _("Say what needs doing.")
TASK_TITLE_TOO_LONG = _("Keep the task to 200 characters or fewer.")
TASK_NEEDS_ASSIGNEE = _("Choose who does the task.")
TASK_ASSIGNEE_NOT_WORKER = _(
    "A task can only be given to the lead counsellor, the case team or a coordinator."
)
TASK_NEEDS_DUE_DATE = _("Choose by when the task is due.")
TASK_DUE_IN_PAST = _("The due date cannot be in the past.")
TASK_IS_DONE = _("This task is done: reopen it before changing it.")

TASK_FIELDS = ("title", "assignee", "due_on")
# At most this many case numbers are listed in a reminder; the rest are counted.
REMINDER_CASE_NUMBERS = 20


# -- reads ---------------------------------------------------------------------------------


def task_list_open(case: Case) -> QuerySet[Task]:
    """The case's open tasks, soonest first (the tasks panel)."""
    return (
        Task.objects.filter(case=case, completed_at__isnull=True)
        .select_related("assignee")
        .order_by("due_on", "pk")
    )


def task_list_for_case(case: Case) -> QuerySet[Task]:
    """Every task of the case: open ones first by due date, then done ones, latest first."""
    return (
        Task.objects.filter(case=case)
        .select_related("assignee", "completed_by", "session")
        .order_by(F("completed_at").desc(nulls_first=True), "due_on", "pk")
    )


def task_get_for_case(case: Case, public_id: UUID) -> Task:
    """A task of a case the caller already fetched through ``case_get_for_user``."""
    found = Task.objects.select_related("assignee").filter(case=case, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


# -- writes --------------------------------------------------------------------------------


def task_check(
    case: Case,
    *,
    title: str,
    assignee: User | None,
    due_on: datetime.date | None,
    today: datetime.date,
    due_may_be_past: bool = False,
    field_prefix: str = "",
) -> None:
    if not title:
        raise DomainError(TASK_NEEDS_TITLE, code="needs_title", field=f"{field_prefix}title")
    if len(title) > 200:
        raise DomainError(TASK_TITLE_TOO_LONG, code="title_too_long", field=f"{field_prefix}title")
    if assignee is None:
        raise DomainError(
            TASK_NEEDS_ASSIGNEE, code="needs_assignee", field=f"{field_prefix}assignee"
        )
    if not work.case_workers(case).filter(pk=assignee.pk).exists():
        raise DomainError(
            TASK_ASSIGNEE_NOT_WORKER, code="assignee_not_worker", field=f"{field_prefix}assignee"
        )
    if due_on is None:
        raise DomainError(TASK_NEEDS_DUE_DATE, code="needs_due_on", field=f"{field_prefix}due_on")
    if due_on < today and not due_may_be_past:
        raise DomainError(TASK_DUE_IN_PAST, code="due_in_past", field=f"{field_prefix}due_on")


def _same_task_just_created(
    case: Case, actor: User, title: str, assignee: User, due_on: datetime.date
) -> Task | None:
    return (
        Task.objects.filter(
            case=case,
            created_by=actor,
            title=title,
            assignee=assignee,
            due_on=due_on,
            completed_at__isnull=True,
            created_at__gte=timezone.now() - work.DOUBLE_SUBMIT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )


def _task_audit(actor: User, action: str, task: Task, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=task,
        organisation=task.case.organisation,
        changes=changes,
    )


@transaction.atomic
def task_create(
    *,
    actor: User,
    case: Case,
    title: str,
    assignee: User | None,
    due_on: datetime.date | None,
    session: CaseSession | None = None,
    today: datetime.date | None = None,
) -> Task:
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    work.require_not_closed(current)
    title = title.strip()
    task_check(current, title=title, assignee=assignee, due_on=due_on, today=today)
    assert assignee is not None  # checked above
    assert due_on is not None
    if session is None:
        existing = _same_task_just_created(current, actor, title, assignee, due_on)
        if existing is not None:
            return existing
    new_task = Task(
        case=current,
        session=session,
        title=title,
        assignee=assignee,
        due_on=due_on,
        created_by=actor,
    )
    new_task.full_clean()
    new_task.save()
    case_due_refresh(current)
    work.activity_touch(current)
    _task_audit(
        actor,
        actions.TASK_CREATED,
        new_task,
        {"case": [None, current.number], **field_diff({}, snapshot(new_task, TASK_FIELDS))},
    )
    return new_task


def _already_applied(current: Task, title: str, assignee: User, due_on: datetime.date) -> bool:
    return (current.title, current.assignee_id, current.due_on) == (title, assignee.pk, due_on)


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    expected_version: int,
    title: str,
    assignee: User | None,
    due_on: datetime.date | None,
    today: datetime.date | None = None,
) -> Task:
    today = today or timezone.localdate()
    current = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    title = title.strip()
    if (
        current.version != expected_version
        and assignee is not None
        and due_on is not None
        and _already_applied(current, title, assignee, due_on)
    ):
        # A double-submitted form: the first submit already made this change.
        return current
    refuse_if_stale(current, expected_version)
    work.require_not_closed(current.case)
    if current.completed_at is not None:
        raise DomainError(TASK_IS_DONE, code="task_done")
    task_check(
        current.case,
        title=title,
        assignee=assignee,
        due_on=due_on,
        today=today,
        due_may_be_past=due_on == current.due_on,
    )
    before = snapshot(current, TASK_FIELDS)
    current.title, current.assignee, current.due_on = title, assignee, due_on  # type: ignore[assignment]
    current.version += 1
    current.full_clean()
    current.save()
    case_due_refresh(current.case)
    work.activity_touch(current.case)
    changes = field_diff(before, snapshot(current, TASK_FIELDS))
    _task_audit(
        actor,
        actions.TASK_UPDATED,
        current,
        {**changes, "version": [expected_version, current.version]},
    )
    return current


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    current = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if current.completed_at is not None:
        return current  # done already: a double click, or a colleague was quicker
    work.require_not_closed(current.case)
    version = current.version
    current.completed_at = timezone.now()
    current.completed_by = actor
    current.version += 1
    current.save(update_fields=["completed_at", "completed_by", "version", "updated_at"])
    case_due_refresh(current.case)
    work.activity_touch(current.case)
    _task_audit(
        actor,
        actions.TASK_COMPLETED,
        current,
        {"completed": [False, True], "version": [version, current.version]},
    )
    return current


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    current = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if current.completed_at is None:
        return current
    work.require_not_closed(current.case)
    version = current.version
    current.completed_at = None
    current.completed_by = None
    current.reminded_on = None
    current.version += 1
    current.save(
        update_fields=["completed_at", "completed_by", "reminded_on", "version", "updated_at"]
    )
    case_due_refresh(current.case)
    work.activity_touch(current.case)
    _task_audit(
        actor,
        actions.TASK_REOPENED,
        current,
        {"completed": [True, False], "version": [version, current.version]},
    )
    return current


# -- reminders -----------------------------------------------------------------------------


@dataclass
class Digest:
    """What one assignee is reminded of on one day."""

    user: User
    due_today: int = 0
    overdue: int = 0
    case_numbers: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    needs_reminder: bool = False


def reminder_digests(day: datetime.date) -> list[Digest]:
    """One digest per assignee who has a due or overdue task not yet reminded on ``day``."""
    rows = (
        Task.objects.filter(
            completed_at__isnull=True,
            due_on__lte=day,
            assignee__is_active=True,
        )
        .exclude(assignee__email="")
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("assignee_id", "due_on", "pk")
        .values_list("pk", "assignee_id", "due_on", "reminded_on", "case__number")
    )
    digests: dict[int, Digest] = {}
    for task_id, assignee_id, due_on, reminded_on, case_number in rows.iterator(chunk_size=2000):
        digest = digests.get(assignee_id)
        if digest is None:
            digest = digests[assignee_id] = Digest(user=User(pk=assignee_id))
        if due_on == day:
            digest.due_today += 1
        else:
            digest.overdue += 1
        if case_number not in digest.case_numbers:
            digest.case_numbers.append(case_number)
        digest.task_ids.append(task_id)
        digest.needs_reminder = digest.needs_reminder or reminded_on is None or reminded_on < day
    wanted = [digest for digest in digests.values() if digest.needs_reminder]
    users = User.objects.in_bulk([digest.user.pk for digest in wanted])
    for digest in wanted:
        digest.user = users[digest.user.pk]
    return wanted


def reminder_message(digest: Digest, day: datetime.date, connection: Any = None) -> EmailMessage:
    context = {
        "name": digest.user.full_name,
        "day": day,
        "due_today": digest.due_today,
        "overdue": digest.overdue,
        "total": digest.due_today + digest.overdue,
        "case_numbers": sorted(digest.case_numbers)[:REMINDER_CASE_NUMBERS],
        "more_cases": max(0, len(digest.case_numbers) - REMINDER_CASE_NUMBERS),
        "link": settings.LK3_SITE_URL.rstrip("/") + reverse("cases:my_tasks"),
    }
    # Users have no language setting yet: reminders speak the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("cases/task_reminder_subject.txt", context)
        body = render_to_string("cases/task_reminder_email.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[digest.user.email],
        connection=connection,
    )


def reminders_send(*, day: datetime.date) -> int:
    """Send the day's reminders; how many emails went out."""
    digests = reminder_digests(day)
    if not digests:
        return 0
    sent = 0
    with get_connection() as connection:
        for digest in digests:
            try:
                reminder_message(digest, day, connection).send()
            except (smtplib.SMTPException, OSError):
                logger.warning("Task reminder to user %s failed", digest.user.pk, exc_info=True)
                continue
            _mark_reminded(digest.task_ids, day)
            sent += 1
    return sent


def _mark_reminded(task_ids: Iterable[int], day: datetime.date) -> None:
    Task.objects.filter(pk__in=list(task_ids)).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lt=day)
    ).update(reminded_on=day)


@background_task()
def task_reminders_send(day: str) -> int:
    """The background task behind ``manage.py case_digest`` (``day`` as YYYY-MM-DD)."""
    return reminders_send(day=datetime.date.fromisoformat(day))
