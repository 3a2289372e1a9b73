"""Sessions of a case: counselling, consultation, home visit, case conference.

Rules:
- A session has a kind, a date that is not in the future (it is recorded
  after it took place), a duration of 1 to 600 minutes, at least one worker
  present (``work.case_workers``), participants chosen from the client and
  the current members of the case's family, people from outside (police,
  school, health) as free text, notes, and follow-up tasks created with it
  and linked to it (checked as ``tasks.task_create`` checks them).
- Notes are encrypted at rest (``EncryptedTextField``); the audit trail
  records that they changed, never their text. Only people who may work on
  the case read them, and each reading is logged (AccessEvent
  ``session_notes``, from the page that shows them).
- Recording or changing a session marks the case active; the case's
  version is untouched.
- Edits carry the version the user saw; a stale edit is refused with what
  changed, unless the session already holds exactly what was submitted.
  The same session submitted twice by the same worker within
  ``work.DOUBLE_SUBMIT_WINDOW`` is one session.
- Everything is checked before anything is written: a refused follow-up
  task leaves no session behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.cases import tasks, work
from lk3.cases.models import Case, CaseSession, SessionKind, Task
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.people.models import Person, PersonStatus

SESSION_NEEDS_KIND = _("Choose the kind of session.")
SESSION_NEEDS_DATE = _("Enter the date of the session.")
SESSION_DATE_IN_FUTURE = _(
    "A session is recorded after it took place: the date cannot be in the future."
)
SESSION_DURATION_RANGE = _("Enter a duration from 1 to 600 minutes.")
SESSION_NEEDS_STAFF = _("Choose at least one worker who was present.")
SESSION_STAFF_NOT_WORKER = _(
    "Workers present must be the lead counsellor, the case team or a coordinator."
)
SESSION_PARTICIPANT_NOT_FAMILY = _(
    "Participants are chosen from the client and the members of the client's family."
)

DURATION_MINUTES = range(1, 601)
SESSION_FIELDS = (
    "kind",
    "held_on",
    "duration_minutes",
    "staff",
    "participants",
    "outside_participants",
    "notes",
)
REDACTED = ("notes",)


@dataclass(frozen=True)
class FollowUpTask:
    title: str
    assignee: User | None
    due_on: datetime.date | None


# -- reads ---------------------------------------------------------------------------------


def session_participant_choices(case: Case, session: CaseSession | None = None) -> QuerySet[Person]:
    """The client and the current members of the case's family (and whoever the session already lists)."""
    family = Q(pk=case.client_id)
    if case.family_id is not None:
        family |= Q(memberships__family_id=case.family_id, memberships__ended_on__isnull=True)
    people = Person.objects.filter(family, status=PersonStatus.ACTIVE)
    if session is not None and session.pk is not None:
        people = Person.objects.filter(
            Q(pk__in=people.values("pk")) | Q(pk__in=session.participants.values("pk"))
        )
    return people.distinct().order_by("full_name", "pk")


def session_list_recent(case: Case, limit: int = 10) -> list[CaseSession]:
    """The latest sessions of the case with who was there (the sessions panel)."""
    return list(session_list_for_case(case)[:limit])


def session_list_for_case(case: Case) -> QuerySet[CaseSession]:
    return (
        CaseSession.objects.filter(case=case)
        .defer("notes")
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("full_name")))
        .order_by("-held_on", "-pk")
    )


def session_get_for_case(case: Case, public_id: UUID) -> CaseSession:
    """A session of a case the caller already fetched through ``case_get_for_user``."""
    found = (
        CaseSession.objects.select_related("recorded_by")
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("full_name")),
            Prefetch("participants", queryset=Person.objects.order_by("full_name")),
            Prefetch("tasks", queryset=Task.objects.select_related("assignee")),
        )
        .filter(case=case, public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


# -- checks --------------------------------------------------------------------------------


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _check_session(
    case: Case,
    *,
    kind: str,
    held_on: datetime.date | None,
    duration_minutes: int | None,
    staff: Sequence[User],
    participants: Sequence[Person],
    today: datetime.date,
    session: CaseSession | None = None,
) -> None:
    if kind not in SessionKind.values:
        raise DomainError(SESSION_NEEDS_KIND, code="needs_kind", field="kind")
    if held_on is None:
        raise DomainError(SESSION_NEEDS_DATE, code="needs_date", field="held_on")
    if held_on > today:
        raise DomainError(SESSION_DATE_IN_FUTURE, code="future", field="held_on")
    if duration_minutes not in DURATION_MINUTES:
        raise DomainError(SESSION_DURATION_RANGE, code="duration", field="duration_minutes")
    if not staff:
        raise DomainError(SESSION_NEEDS_STAFF, code="needs_staff", field="staff")
    workers = set(work.case_workers(case).values_list("pk", flat=True))
    if any(user.pk not in workers for user in staff):
        raise DomainError(SESSION_STAFF_NOT_WORKER, code="staff_not_worker", field="staff")
    allowed = set(session_participant_choices(case, session).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in participants):
        raise DomainError(
            SESSION_PARTICIPANT_NOT_FAMILY, code="participant_not_family", field="participants"
        )


def _check_follow_ups(case: Case, follow_ups: Sequence[FollowUpTask], today: datetime.date) -> None:
    for number, item in enumerate(follow_ups, start=1):
        tasks.task_check(
            case,
            title=item.title.strip(),
            assignee=item.assignee,
            due_on=item.due_on,
            today=today,
            field_prefix=f"task_{number}_",
        )


def _holds(session: CaseSession, values: dict[str, Any]) -> bool:
    """Whether the session already holds exactly these values (a repeated submission)."""
    current = snapshot(session, SESSION_FIELDS)
    wanted = {
        **values,
        "staff": sorted(str(user.public_id) for user in values["staff"]),
        "participants": sorted(str(person.public_id) for person in values["participants"]),
    }
    return all(current[name] == wanted[name] for name in SESSION_FIELDS)


def _same_session_just_recorded(
    case: Case, actor: User, values: dict[str, Any]
) -> CaseSession | None:
    recent = CaseSession.objects.filter(
        case=case,
        recorded_by=actor,
        kind=values["kind"],
        held_on=values["held_on"],
        duration_minutes=values["duration_minutes"],
        created_at__gte=timezone.now() - work.DOUBLE_SUBMIT_WINDOW,
    ).order_by("-pk")
    # Notes are encrypted with a fresh nonce each time: compare them decrypted.
    return next((session for session in recent if _holds(session, values)), None)


# -- writes --------------------------------------------------------------------------------


@transaction.atomic
def session_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    held_on: datetime.date | None,
    duration_minutes: int | None,
    staff: Iterable[User],
    participants: Iterable[Person] = (),
    outside_participants: str = "",
    notes: str = "",
    follow_up_tasks: Iterable[FollowUpTask] = (),
    today: datetime.date | None = None,
) -> CaseSession:
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    work.require_not_closed(current)
    values: dict[str, Any] = {
        "kind": kind,
        "held_on": held_on,
        "duration_minutes": duration_minutes,
        "staff": list(staff),
        "participants": list(participants),
        "outside_participants": _lines(outside_participants),
        "notes": notes.strip(),
    }
    _check_session(current, today=today, **_checked_values(values))
    follow_ups = list(follow_up_tasks)
    _check_follow_ups(current, follow_ups, today)
    existing = _same_session_just_recorded(current, actor, values)
    if existing is not None:
        return existing
    session = CaseSession(
        case=current,
        recorded_by=actor,
        **{name: values[name] for name in SESSION_FIELDS if name not in ("staff", "participants")},
    )
    session.full_clean(exclude=["staff", "participants"])
    session.save()
    session.staff.set(values["staff"])
    session.participants.set(values["participants"])
    audit_record(
        actor=actor,
        action=actions.SESSION_RECORDED,
        target=session,
        organisation=current.organisation,
        changes={
            "case": [None, current.number],
            **field_diff({}, snapshot(session, SESSION_FIELDS), redact=REDACTED),
        },
    )
    for item in follow_ups:
        tasks.task_create(
            actor=actor,
            case=current,
            title=item.title,
            assignee=item.assignee,
            due_on=item.due_on,
            session=session,
            today=today,
        )
    work.activity_touch(current)
    return session


def _checked_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: values[name]
        for name in ("kind", "held_on", "duration_minutes", "staff", "participants")
    }


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: CaseSession,
    expected_version: int,
    kind: str,
    held_on: datetime.date | None,
    duration_minutes: int | None,
    staff: Iterable[User],
    participants: Iterable[Person] = (),
    outside_participants: str = "",
    notes: str = "",
    today: datetime.date | None = None,
) -> CaseSession:
    today = today or timezone.localdate()
    current = CaseSession.objects.select_for_update().select_related("case").get(pk=session.pk)
    values: dict[str, Any] = {
        "kind": kind,
        "held_on": held_on,
        "duration_minutes": duration_minutes,
        "staff": list(staff),
        "participants": list(participants),
        "outside_participants": _lines(outside_participants),
        "notes": notes.strip(),
    }
    if current.version != expected_version and _holds(current, values):
        # A double-submitted form: the first submit already made this change.
        return current
    refuse_if_stale(current, expected_version)
    work.require_not_closed(current.case)
    _check_session(current.case, today=today, session=current, **_checked_values(values))
    before = snapshot(current, SESSION_FIELDS)
    for name in SESSION_FIELDS:
        if name not in ("staff", "participants"):
            setattr(current, name, values[name])
    current.version += 1
    current.full_clean(exclude=["staff", "participants"])
    current.save()
    current.staff.set(values["staff"])
    current.participants.set(values["participants"])
    audit_record(
        actor=actor,
        action=actions.SESSION_UPDATED,
        target=current,
        organisation=current.case.organisation,
        changes={
            **field_diff(before, snapshot(current, SESSION_FIELDS), redact=REDACTED),
            "version": [expected_version, current.version],
        },
    )
    work.activity_touch(current.case)
    return current
