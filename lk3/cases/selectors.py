"""Reads of casework for the case page and the registry pages.

Every function takes a case the caller already fetched through
``permissions.case_get_for_user`` (or a user, and scopes with
``cases_for_user``), and returns rows with their relations joined so a
page's query count does not grow with the case's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from lk3.accounts.models import User
from lk3.cases.models import (
    Activity,
    Assessment,
    Attachment,
    Case,
    CaseMember,
    CaseSession,
    CaseStatus,
    CaseTransfer,
    CheckIn,
    ClosureRequest,
    ClosureStatus,
    Goal,
    Instrument,
    PlanRevision,
    StageChange,
    Task,
)
from lk3.cases.permissions import LEAD_ROLES, cases_for_user
from lk3.people.models import Family, Person

TIMELINE_LENGTH = 20
TIMELINE_MAX = 500
RECENT_SESSIONS = 10


# -- the case page ---------------------------------------------------------------------------


def team_of(case: Case) -> list[CaseMember]:
    """The current team, the lead counsellor first."""
    members = list(
        CaseMember.objects.filter(case=case, removed_on__isnull=True)
        .select_related("user")
        .order_by("added_on", "id")
    )
    return sorted(members, key=lambda member: member.user_id != case.lead_counsellor_id)


def team_users(case: Case) -> QuerySet[User]:
    return User.objects.filter(
        case_memberships__case=case, case_memberships__removed_on__isnull=True
    )


def members_of(family: Family) -> QuerySet[Person]:
    """The family's current members, for choosing the client of a family's case."""
    return Person.objects.filter(
        memberships__family=family, memberships__ended_on__isnull=True
    ).order_by("full_name")


def pending_closure_of(case: Case) -> ClosureRequest | None:
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        return None
    return (
        ClosureRequest.objects.filter(case=case, status=ClosureStatus.PENDING)
        .select_related("requested_by")
        .first()
    )


def check_ins_of(case: Case) -> list[CheckIn]:
    return list(CheckIn.objects.filter(case=case).select_related("done_by"))


def lead_candidates(organisation_id: int) -> QuerySet[User]:
    """Workers who may lead a case or join its team."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=LEAD_ROLES
    ).order_by("full_name")


def panels_of(case: Case) -> dict[str, Any]:
    """What the case page's panels (assessments, plan, sessions, tasks, attachments) show."""
    sessions = (
        CaseSession.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("staff")
        .order_by("-held_on", "-id")
    )
    activities = Activity.objects.select_related("responsible")
    return {
        "assessments": list(
            Assessment.objects.filter(case=case)
            .select_related("instrument", "assessed_by")
            .order_by("assessed_on", "id")
        ),
        "instruments": list(Instrument.objects.filter(is_active=True)),
        "goals": list(
            Goal.objects.filter(case=case).prefetch_related(
                Prefetch("activities", queryset=activities)
            )
        ),
        "plan_revision_count": PlanRevision.objects.filter(case=case).count(),
        "sessions": list(sessions[:RECENT_SESSIONS]),
        "session_count": CaseSession.objects.filter(case=case).count(),
        "tasks": list(
            Task.objects.filter(case=case, completed_at__isnull=True).select_related("assignee")
        ),
        "attachments": list(Attachment.objects.filter(case=case).select_related("uploaded_by")),
    }


# -- the timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened; ``kind`` tells the template how to say it."""

    kind: str
    at: datetime.datetime
    record: Any
    # Only the day is known (a session's date, a check-in's date).
    day_only: bool = False


@dataclass(frozen=True)
class Timeline:
    events: list[TimelineEvent]
    has_more: bool
    length: int


def _on_day(day: datetime.date, recorded: datetime.datetime | None = None) -> datetime.datetime:
    """When a day-only event sorts: when it was written down that day, else midday."""
    zone = timezone.get_current_timezone()
    if recorded is not None and timezone.localtime(recorded, zone).date() == day:
        return recorded
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)


def _stage_changes(case: Case, cut: int) -> Iterator[TimelineEvent]:
    changes = StageChange.objects.filter(case=case).select_related("changed_by")
    for change in changes.order_by("-changed_at", "-id")[:cut]:
        yield TimelineEvent("stage" if change.from_stage else "opened", change.changed_at, change)


def _transfers(case: Case, cut: int) -> Iterator[TimelineEvent]:
    transfers = CaseTransfer.objects.filter(case=case).select_related(
        "from_user", "to_user", "transferred_by"
    )
    for transfer in transfers.order_by("-transferred_at", "-id")[:cut]:
        yield TimelineEvent("transfer", transfer.transferred_at, transfer)


def _closures(case: Case, cut: int) -> Iterator[TimelineEvent]:
    """A request, and its decision when there is one (newest of the two first)."""
    requests = ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by")
    for request in requests.order_by(Coalesce("decided_at", "requested_at").desc(), "-id")[:cut]:
        yield TimelineEvent("closure_requested", request.requested_at, request)
        if request.decided_at is not None:
            yield TimelineEvent(f"closure_{request.status}", request.decided_at, request)


def _check_ins(case: Case, cut: int) -> Iterator[TimelineEvent]:
    done = CheckIn.objects.filter(case=case, done_on__isnull=False).select_related("done_by")
    for check_in in done.order_by("-done_on", "-id")[:cut]:
        assert check_in.done_on is not None
        yield TimelineEvent("check_in", _on_day(check_in.done_on), check_in, day_only=True)


def _sessions(case: Case, cut: int) -> Iterator[TimelineEvent]:
    sessions = CaseSession.objects.filter(case=case).select_related("recorded_by")
    for session in sessions.order_by("-held_on", "-id")[:cut]:
        at = _on_day(session.held_on, session.created_at)
        yield TimelineEvent("session", at, session, day_only=True)


def _assessments(case: Case, cut: int) -> Iterator[TimelineEvent]:
    assessments = Assessment.objects.filter(case=case).select_related("instrument", "assessed_by")
    for assessment in assessments.order_by("-assessed_on", "-id")[:cut]:
        at = _on_day(assessment.assessed_on, assessment.created_at)
        yield TimelineEvent("assessment", at, assessment, day_only=True)


def _tasks_done(case: Case, cut: int) -> Iterator[TimelineEvent]:
    done = Task.objects.filter(case=case, completed_at__isnull=False).select_related("completed_by")
    for task in done.order_by("-completed_at", "-id")[:cut]:
        assert task.completed_at is not None
        yield TimelineEvent("task_done", task.completed_at, task)


def _attachments(case: Case, cut: int) -> Iterator[TimelineEvent]:
    attachments = Attachment.objects.filter(case=case).select_related("uploaded_by")
    for attachment in attachments.order_by("-created_at", "-id")[:cut]:
        yield TimelineEvent("attachment", attachment.created_at, attachment)


def _plan_revisions(case: Case, cut: int) -> Iterator[TimelineEvent]:
    revisions = PlanRevision.objects.filter(case=case).select_related("created_by")
    for revision in revisions.order_by("-created_at", "-id")[:cut]:
        yield TimelineEvent("plan", revision.created_at, revision)


TIMELINE_SOURCES: tuple[Callable[[Case, int], Iterator[TimelineEvent]], ...] = (
    _stage_changes,
    _transfers,
    _closures,
    _check_ins,
    _sessions,
    _assessments,
    _tasks_done,
    _attachments,
    _plan_revisions,
)


def case_timeline(case: Case, *, length: int = TIMELINE_LENGTH) -> Timeline:
    """Everything that happened to the case, newest first, cut at ``length``.

    Each source is read newest first and cut at ``length + 1``, so the
    merged list is right and tells whether there is more: one query per
    source, whatever the case's age.
    """
    length = max(1, min(length, TIMELINE_MAX))
    events = [event for source in TIMELINE_SOURCES for event in source(case, length + 1)]
    events.sort(key=lambda event: event.at, reverse=True)
    return Timeline(events=events[:length], has_more=len(events) > length, length=length)


# -- cases seen from the registry ---------------------------------------------------------------


def cases_of_person(user: Any, person: Person) -> QuerySet[Case]:
    """The cases the person is the client of, as far as the user reaches them."""
    return (
        cases_for_user(user)
        .filter(client=person)
        .select_related("lead_counsellor")
        .order_by("-opened_on", "-sequence")
    )


def open_cases_of_family(user: Any, family: Family) -> QuerySet[Case]:
    """Open cases about the family or about one of its current members."""
    members = family.memberships.filter(ended_on__isnull=True).values("person_id")
    return (
        cases_for_user(user)
        .filter(Q(family=family) | Q(client_id__in=members))
        .exclude(status=CaseStatus.CLOSED)
        .select_related("client", "lead_counsellor")
        .order_by("-opened_on", "-sequence")
    )
