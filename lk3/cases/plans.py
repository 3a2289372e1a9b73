"""Writes and reads of the intervention plan: goals, their activities, and its revisions.

Rules:
- Every change to a goal or an activity writes the next ``PlanRevision`` of
  the case: a snapshot of the whole plan as it stood after the change, so
  any earlier plan can be shown again. Revisions are numbered per case
  without gaps (the case row is locked while one is written).
- Nothing is removed from a plan: a goal or an activity that is no longer
  pursued gets the status "dropped".
- An activity says who does it (a member of the case team, someone outside
  the team by name, or both) and by when.
- Only an open case's plan changes. Changes take the version the user saw;
  a stale one is refused with what changed; a double-submitted change is a
  no-op, and so is a goal or activity that is already in the plan word for
  word.
- The audit trail records which plan revision each change made; goal and
  activity texts are case content and are recorded only as "changed".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale
from lk3.cases.models import (
    Activity,
    Case,
    CaseMember,
    CaseStatus,
    Goal,
    PlanItemStatus,
    PlanRevision,
)
from lk3.cases.services import CASE_NOT_OPEN
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError

GOAL_NEEDS_DESCRIPTION = _("Describe the goal.")
GOAL_ALREADY_IN_PLAN = _("This goal is already in the plan.")
ACTIVITY_NEEDS_DESCRIPTION = _("Describe the activity.")
ACTIVITY_ALREADY_IN_PLAN = _("This activity is already planned for this goal.")
ACTIVITY_NEEDS_WHO = _(
    "Say who does it: a member of the case team, someone outside the team, or both."
)
ACTIVITY_WHO_NOT_ON_TEAM = _(
    "%(name)s is not on the case team: add them to the team first, or write the name as someone outside the team."
)
ACTIVITY_NEEDS_DUE_DATE = _("Give the date it should be done by.")
STATUS_UNKNOWN = _("Choose one of the statuses.")

GOAL_FIELDS = ("description", "status")
ACTIVITY_FIELDS = ("description", "responsible", "responsible_other", "due_on", "status")
REDACTED = ("description",)


# -- reads ------------------------------------------------------------------------------------


def plan_of(case: Case) -> QuerySet[Goal]:
    """A case's goals in order, each with its activities (and who does them)."""
    activities = Activity.objects.select_related("responsible").order_by("due_on", "id")
    return (
        Goal.objects.filter(case=case)
        .prefetch_related(Prefetch("activities", queryset=activities))
        .order_by("position", "id")
    )


def team_of(case: Case) -> QuerySet[User]:
    """The case team now: who an activity can be given to."""
    members = CaseMember.objects.filter(case=case, removed_on__isnull=True)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("full_name")


def plan_revisions_of(case: Case) -> QuerySet[PlanRevision]:
    return PlanRevision.objects.filter(case=case).select_related("created_by").order_by("-number")


def _who(activity: Activity) -> str:
    names = [str(activity.responsible)] if activity.responsible is not None else []
    if activity.responsible_other:
        names.append(activity.responsible_other)
    return ", ".join(names)


def plan_snapshot(case: Case) -> dict[str, Any]:
    """The whole plan as JSON, as a revision keeps it."""
    return {
        "goals": [
            {
                "id": str(goal.public_id),
                "description": goal.description,
                "status": goal.status,
                "activities": [
                    {
                        "id": str(activity.public_id),
                        "description": activity.description,
                        "who": _who(activity),
                        "responsible": activity.responsible.username
                        if activity.responsible is not None
                        else None,
                        "responsible_other": activity.responsible_other,
                        "due_on": activity.due_on.isoformat() if activity.due_on else None,
                        "status": activity.status,
                    }
                    for activity in goal.activities.all()
                ],
            }
            for goal in plan_of(case)
        ]
    }


@dataclass(frozen=True)
class ActivityView:
    description: str
    who: str
    due_on: datetime.date | None
    status: str
    status_label: str
    is_new: bool
    changed: list[str]


@dataclass(frozen=True)
class GoalView:
    description: str
    status: str
    status_label: str
    is_new: bool
    changed: list[str]
    activities: list[ActivityView]


def _status_label(value: str) -> str:
    try:
        return str(PlanItemStatus(value).label)
    except ValueError:
        return value


def _changed(
    item: Mapping[str, Any], before: Mapping[str, Any] | None, labels: Mapping[str, Any]
) -> list[str]:
    if before is None:
        return []
    return [str(label) for key, label in labels.items() if item.get(key) != before.get(key)]


GOAL_LABELS = {"description": _("goal"), "status": _("status")}
ACTIVITY_LABELS = {
    "description": _("activity"),
    "who": _("who"),
    "due_on": _("by when"),
    "status": _("status"),
}


def revision_view(revision: PlanRevision, previous: PlanRevision | None) -> list[GoalView]:
    """A revision's plan, each goal and activity marked new or changed against the one before."""
    old_goals = {
        goal["id"]: goal for goal in (previous.snapshot if previous else {}).get("goals", [])
    }
    old_activities = {
        activity["id"]: activity
        for goal in old_goals.values()
        for activity in goal.get("activities", [])
    }
    views = []
    for goal in revision.snapshot.get("goals", []):
        before = old_goals.get(goal["id"])
        activities = []
        for activity in goal.get("activities", []):
            old = old_activities.get(activity["id"])
            activities.append(
                ActivityView(
                    description=activity["description"],
                    who=activity.get("who", ""),
                    due_on=datetime.date.fromisoformat(activity["due_on"])
                    if activity.get("due_on")
                    else None,
                    status=activity["status"],
                    status_label=_status_label(activity["status"]),
                    is_new=previous is not None and old is None,
                    changed=_changed(activity, old, ACTIVITY_LABELS),
                )
            )
        views.append(
            GoalView(
                description=goal["description"],
                status=goal["status"],
                status_label=_status_label(goal["status"]),
                is_new=previous is not None and before is None,
                changed=_changed(goal, before, GOAL_LABELS),
                activities=activities,
            )
        )
    return views


# -- writes -----------------------------------------------------------------------------------


def _open_case(case: Case) -> Case:
    current = lock_for_edit(case)
    if current.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, code="not_open")
    return current


def _revise(*, actor: User, case: Case, note: str) -> PlanRevision:
    """The next revision, with the plan as it is now (the caller holds the case's lock)."""
    last = PlanRevision.objects.filter(case=case).aggregate(last=Max("number"))["last"] or 0
    revision = PlanRevision(
        case=case,
        number=last + 1,
        snapshot=plan_snapshot(case),
        note=note.strip()[:300],
        created_at=timezone.now(),
        created_by=actor,
    )
    revision.save()
    Case.objects.filter(pk=case.pk).update(last_activity_at=revision.created_at)
    return revision


def _revise_and_audit(
    *, actor: User, case: Case, target: Goal | Activity, note: str, changes: dict[str, Any]
) -> PlanRevision:
    """A plan change: the next revision, and its audit row naming the revision."""
    revision = _revise(actor=actor, case=case, note=note)
    audit_record(
        actor=actor,
        action=actions.PLAN_REVISED,
        target=target,
        organisation=case.organisation,
        changes={**changes, "plan_revision": [revision.number - 1, revision.number]},
    )
    return revision


def _check_status(status: str) -> None:
    if status not in PlanItemStatus.values:
        raise DomainError(STATUS_UNKNOWN, code="unknown_status", field="status")


def _goal_state(goal: Goal) -> dict[str, Any]:
    return {"description": goal.description, "status": goal.status}


def _activity_state(activity: Activity) -> dict[str, Any]:
    return {
        "description": activity.description,
        "responsible": activity.responsible.username if activity.responsible else None,
        "responsible_other": activity.responsible_other,
        "due_on": activity.due_on,
        "status": activity.status,
    }


@transaction.atomic
def goal_add(*, actor: User, case: Case, description: str, note: str = "") -> Goal:
    current = _open_case(case)
    text = description.strip()
    if not text:
        raise DomainError(GOAL_NEEDS_DESCRIPTION, code="needs_description", field="description")
    if Goal.objects.filter(case=current, description=text).exists():
        raise DomainError(GOAL_ALREADY_IN_PLAN, code="already_in_plan", field="description")
    last = Goal.objects.filter(case=current).aggregate(last=Max("position"))["last"]
    goal = Goal(case=current, description=text, position=0 if last is None else last + 1)
    goal.full_clean()
    goal.save()
    _revise_and_audit(
        actor=actor,
        case=current,
        target=goal,
        note=note,
        changes={
            "case": [None, current.number],
            **field_diff({}, _goal_state(goal), redact=REDACTED),
        },
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    expected_version: int,
    description: str | None = None,
    status: str | None = None,
    note: str = "",
) -> Goal:
    case = _open_case(goal.case)
    current = lock_for_edit(goal)
    before = _goal_state(current)
    wanted = {
        **before,
        **({"description": description.strip()} if description is not None else {}),
        **({"status": status} if status is not None else {}),
    }
    if wanted == before and current.version != expected_version:
        return current  # A double-submitted form: the first submit already made this change.
    refuse_if_stale(current, expected_version)
    if not wanted["description"]:
        raise DomainError(GOAL_NEEDS_DESCRIPTION, code="needs_description", field="description")
    _check_status(wanted["status"])
    if wanted == before:
        return current
    current.description, current.status = wanted["description"], wanted["status"]
    current.version += 1
    current.full_clean()
    current.save()
    _revise_and_audit(
        actor=actor,
        case=case,
        target=current,
        note=note,
        changes={
            **field_diff(before, _goal_state(current), redact=REDACTED),
            "version": [expected_version, current.version],
        },
    )
    return current


def _check_activity(
    case: Case,
    *,
    description: str,
    responsible: User | None,
    responsible_other: str,
    due_on: datetime.date | None,
    responsible_changed: bool,
) -> None:
    if not description:
        raise DomainError(ACTIVITY_NEEDS_DESCRIPTION, code="needs_description", field="description")
    if responsible is None and not responsible_other:
        raise DomainError(ACTIVITY_NEEDS_WHO, code="needs_who", field="responsible")
    if (
        responsible is not None
        and responsible_changed
        and not team_of(case).filter(pk=responsible.pk).exists()
    ):
        raise DomainError(
            ACTIVITY_WHO_NOT_ON_TEAM,
            code="not_on_team",
            field="responsible",
            params={"name": str(responsible)},
        )
    if due_on is None:
        raise DomainError(ACTIVITY_NEEDS_DUE_DATE, code="needs_due_date", field="due_on")


@transaction.atomic
def activity_add(
    *,
    actor: User,
    goal: Goal,
    description: str,
    due_on: datetime.date | None,
    responsible: User | None = None,
    responsible_other: str = "",
    note: str = "",
) -> Activity:
    case = _open_case(goal.case)
    text, other = description.strip(), responsible_other.strip()
    _check_activity(
        case,
        description=text,
        responsible=responsible,
        responsible_other=other,
        due_on=due_on,
        responsible_changed=True,
    )
    if Activity.objects.filter(goal=goal, description=text).exists():
        raise DomainError(ACTIVITY_ALREADY_IN_PLAN, code="already_in_plan", field="description")
    activity = Activity(
        goal=goal,
        description=text,
        responsible=responsible,
        responsible_other=other,
        due_on=due_on,
    )
    activity.full_clean()
    activity.save()
    _revise_and_audit(
        actor=actor,
        case=case,
        target=activity,
        note=note,
        changes={
            "case": [None, case.number],
            **field_diff({}, _activity_state(activity), redact=REDACTED),
        },
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    expected_version: int,
    note: str = "",
    **fields: Any,
) -> Activity:
    """Change any of ``ACTIVITY_FIELDS``; the others keep their value."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields {sorted(unknown)}")
    case = _open_case(activity.goal.case)
    current = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("responsible")
        .get(pk=activity.pk)
    )
    before = _activity_state(current)
    for name in ("description", "responsible_other"):
        if name in fields:
            fields[name] = fields[name].strip()
    wanted = {**_activity_values(current), **fields}
    for name, value in wanted.items():
        setattr(current, name, value)
    after = _activity_state(current)
    if after == before and current.version != expected_version:
        return current  # A double-submitted form: the first submit already made this change.
    refuse_if_stale(current, expected_version)
    _check_status(current.status)
    _check_activity(
        case,
        description=current.description,
        responsible=current.responsible,
        responsible_other=current.responsible_other,
        due_on=current.due_on,
        responsible_changed=after["responsible"] != before["responsible"],
    )
    if after == before:
        return current
    current.version += 1
    current.full_clean()
    current.save()
    _revise_and_audit(
        actor=actor,
        case=case,
        target=current,
        note=note,
        changes={
            **field_diff(before, after, redact=REDACTED),
            "version": [expected_version, current.version],
        },
    )
    return current


def _activity_values(activity: Activity) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
