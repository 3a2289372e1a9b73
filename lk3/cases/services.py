"""Writes of casework: opening, stages, team, transfer, closure, reopening, follow-up.

Rules:
- Every write is atomic and audited in the same transaction; edits take the
  version the user saw and are refused as stale when someone else saved in
  between (the user sees what changed). An edit that changes nothing (a
  double-submitted form) is a no-op, stale or not.
- Case numbers are ``KS-<year>-<sequence>`` per organisation and year,
  taken from a locked counter row: never reused, safe when two cases are
  opened at once (``case_number_next``).
- A case is about a person or a family (or both); the lead counsellor must
  be an active counsellor, psychologist or coordinator of the organisation.
- Stages: one step forward, or one step back with a note (``stages``);
  only an open case moves.
- Closure: a reason and an outcome are required; "goals achieved" only from
  termination or follow-up. The coordinator approves (the case closes) or
  returns it with a comment (the case goes on). One request waits at a time.
- Reopening a closed case needs a reason; it restarts at the initial
  assessment.
- Stage names: an organisation may name stages as its SOP does; an empty
  name restores the standard one. The order and the rules stay the same.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.cases import stages
from lk3.cases.models import (
    Case,
    CaseMember,
    CaseNumberCounter,
    CaseStatus,
    CaseTransfer,
    CheckIn,
    ClosureOutcome,
    ClosureReason,
    ClosureRequest,
    ClosureStatus,
    StageChange,
    StageLabel,
    Task,
)
from lk3.cases.permissions import can_lead
from lk3.core.concurrency import lock_for_edit
from lk3.core.counters import counter_take
from lk3.core.errors import DomainError
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.models import Family, Person, PersonStatus

NEEDS_PERSON_OR_FAMILY = _("Choose the person or the family the case is about.")
PERSON_MERGED_AWAY = _("This person's record was merged into another: open that one.")
OTHER_ORGANISATION = _("This person or family is registered by another organisation.")
NEEDS_PMKS = _("Choose at least one PMKS category.")
LEAD_NOT_ALLOWED = _(
    "The lead counsellor must be an active counsellor, psychologist or coordinator of this organisation."
)
CASE_NOT_OPEN = _("This case is closed or waiting for closure approval: it cannot change now.")
STAGE_SKIPPED = _("A case moves one stage at a time: from %(current)s it can go to %(next)s.")
STAGE_BACK_NEEDS_NOTE = _("Say why the case goes back a stage.")
STAGE_LAST = _("This is the last stage: request closure instead.")
CLOSURE_NEEDS_REASON = _("Choose why the case closes.")
CLOSURE_NEEDS_OUTCOME = _("Choose the outcome for the client.")
CLOSURE_NEEDS_SUMMARY = _("Write a short closing summary.")
CLOSURE_TOO_EARLY = _("'Goals achieved' needs the case to be at termination or follow-up first.")
CLOSURE_ALREADY_PENDING = _("A closure request is already waiting for approval.")
CLOSURE_ALREADY_DECIDED = _("This closure request has already been decided.")
RETURN_NEEDS_COMMENT = _("Say what still needs doing before the case can close.")
REOPEN_NEEDS_REASON = _("Say why the case is reopened.")
CASE_NOT_CLOSED = _("Only a closed case can be reopened.")
TRANSFER_NEEDS_REASON = _("Say why the case is transferred.")
TRANSFER_TO_SAME = _("This worker already leads the case.")
MEMBER_ALREADY = _("This worker is already on the case team.")
MEMBER_IS_LEAD = _("The lead counsellor cannot leave the team: transfer the case first.")
CHECK_IN_DONE = _("This check-in has already been recorded.")
CHECK_IN_NOT_FOLLOW_UP = _("Check-ins are scheduled once the case is in follow-up.")
DATE_IN_FUTURE = _("The date cannot be in the future.")

NUMBER_FORMAT = "KS-{year}-{sequence:04d}"
CASE_FIELDS = (
    "intake_channel",
    "referrer_name",
    "referrer_contact",
    "presenting_problem",
    "pmks_categories",
    "problem_types",
    "risk_level",
    "is_confidential",
    "kelurahan",
)
REDACTED = ("presenting_problem",)
MANY_FIELDS = ("pmks_categories", "problem_types")


# -- numbers ---------------------------------------------------------------------------------


def case_number_next(organisation: Organisation, year: int) -> tuple[int, str]:
    """The next sequence and number for the organisation's year; the caller's transaction holds the lock."""
    sequence = counter_take(CaseNumberCounter, organisation, year)
    return sequence, NUMBER_FORMAT.format(year=year, sequence=sequence)


# -- opening and editing ---------------------------------------------------------------------


def _check_subject(
    organisation: Organisation, client: Person | None, family: Family | None
) -> None:
    if client is None and family is None:
        raise DomainError(NEEDS_PERSON_OR_FAMILY, code="needs_subject", field="client")
    if client is not None:
        if client.organisation_id != organisation.pk:
            raise DomainError(OTHER_ORGANISATION, code="other_organisation", field="client")
        if client.status != PersonStatus.ACTIVE:
            raise DomainError(PERSON_MERGED_AWAY, code="merged_away", field="client")
    if family is not None and family.organisation_id != organisation.pk:
        raise DomainError(OTHER_ORGANISATION, code="other_organisation", field="family")


def _check_lead(organisation: Organisation, lead: User | None) -> None:
    if lead is not None and (lead.organisation_id != organisation.pk or not can_lead(lead)):
        raise DomainError(LEAD_NOT_ALLOWED, code="lead_not_allowed", field="lead_counsellor")


@transaction.atomic
def case_open(
    *,
    actor: User,
    organisation: Organisation,
    intake_channel: IntakeChannel,
    presenting_problem: str,
    pmks_categories: Iterable[PmksCategory],
    client: Person | None = None,
    family: Family | None = None,
    problem_types: Iterable[ProblemType] = (),
    lead_counsellor: User | None = None,
    today: datetime.date | None = None,
    **fields: Any,
) -> Case:
    today = today or timezone.localdate()
    _check_subject(organisation, client, family)
    _check_lead(organisation, lead_counsellor)
    pmks = list(pmks_categories)
    if not pmks:
        raise DomainError(NEEDS_PMKS, code="needs_pmks", field="pmks_categories")
    if family is None and client is not None:
        family = _current_family(client)
    kelurahan = fields.pop("kelurahan", None) or _kelurahan_of(client, family)
    sequence, number = case_number_next(organisation, today.year)
    case = Case(
        organisation=organisation,
        number=number,
        year=today.year,
        sequence=sequence,
        client=client,
        family=family,
        intake_channel=intake_channel,
        presenting_problem=presenting_problem,
        lead_counsellor=lead_counsellor,
        kelurahan=kelurahan,
        opened_on=today,
        opened_by=actor,
        last_activity_at=timezone.now(),
        **fields,
    )
    case.full_clean(exclude=["pmks_categories", "problem_types"])
    case.save()
    case.pmks_categories.set(pmks)
    case.problem_types.set(list(problem_types))
    StageChange.objects.create(
        case=case, from_stage="", to_stage=case.stage, changed_at=timezone.now(), changed_by=actor
    )
    if lead_counsellor is not None:
        CaseMember.objects.create(case=case, user=lead_counsellor, added_on=today, added_by=actor)
    audit_record(
        actor=actor,
        action=actions.CASE_OPENED,
        target=case,
        organisation=organisation,
        changes=field_diff({}, snapshot(case, CASE_FIELDS), redact=REDACTED),
    )
    return case


def _current_family(person: Person) -> Family | None:
    membership = person.memberships.filter(ended_on__isnull=True).select_related("family").first()
    return membership.family if membership is not None else None


def _kelurahan_of(client: Person | None, family: Family | None) -> Any:
    if client is not None and client.domicile_village_id:
        return client.domicile_village
    if family is not None and family.domicile_village_id:
        return family.domicile_village
    return None


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, code="not_open")


def _touch(case: Case) -> None:
    case.version += 1
    case.last_activity_at = timezone.now()


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    pmks_categories: Iterable[PmksCategory] | None = None,
    problem_types: Iterable[ProblemType] | None = None,
    **fields: Any,
) -> Case:
    current = lock_for_edit(case)
    before = snapshot(current, CASE_FIELDS)
    if _same_as(current, before, fields, pmks_categories, problem_types):
        # Nothing to change (a double-submitted form, or a save without edits).
        return current
    refuse_if_stale(current, expected_version)
    for name, value in fields.items():
        setattr(current, name, value)
    if pmks_categories is not None:
        pmks = list(pmks_categories)
        if not pmks:
            raise DomainError(NEEDS_PMKS, code="needs_pmks", field="pmks_categories")
        current.pmks_categories.set(pmks)
    if problem_types is not None:
        current.problem_types.set(list(problem_types))
    _touch(current)
    current.full_clean(exclude=["pmks_categories", "problem_types"])
    current.save()
    audit_record(
        actor=actor,
        action=actions.CASE_UPDATED,
        target=current,
        organisation=current.organisation,
        changes=field_diff(before, snapshot(current, CASE_FIELDS), redact=REDACTED)
        | {"version": [expected_version, current.version]},
    )
    return current


def _same_as(
    current: Case,
    before: dict[str, Any],
    fields: dict[str, Any],
    pmks_categories: Iterable[PmksCategory] | None,
    problem_types: Iterable[ProblemType] | None,
) -> bool:
    proposed = copy.copy(current)
    for name, value in fields.items():
        setattr(proposed, name, value)
    after = snapshot(proposed, [name for name in CASE_FIELDS if name not in MANY_FIELDS])
    for name, terms in (("pmks_categories", pmks_categories), ("problem_types", problem_types)):
        after[name] = before[name] if terms is None else sorted(term.code for term in terms)
    return after == before


# -- stage names -------------------------------------------------------------------------------


@transaction.atomic
def stage_labels_update(
    *, actor: User, organisation: Organisation, labels: Mapping[str, str]
) -> dict[str, str]:
    """Set the organisation's own stage names; an empty or standard name restores the standard one."""
    lock_for_edit(organisation)
    standard = stages.stage_labels(None)
    before = dict(
        StageLabel.objects.filter(organisation=organisation).values_list("stage", "label")
    )
    after = {
        stage: " ".join(label.split())
        for stage, label in labels.items()
        if stage in standard and " ".join(label.split()) not in ("", standard[stage])
    }
    changes = {
        stage: [before.get(stage), after.get(stage)]
        for stage in standard
        if before.get(stage) != after.get(stage)
    }
    if not changes:
        return after
    StageLabel.objects.filter(organisation=organisation).exclude(stage__in=after).delete()
    for stage, label in after.items():
        StageLabel.objects.update_or_create(
            organisation=organisation, stage=stage, defaults={"label": label}
        )
    audit_record(
        actor=actor,
        action=actions.STAGE_LABELS_CHANGED,
        target=organisation,
        organisation=organisation,
        changes=changes,
    )
    return after


# -- stages ------------------------------------------------------------------------------------


@transaction.atomic
def case_stage_move(
    *, actor: User, case: Case, to_stage: str, expected_version: int, note: str = ""
) -> Case:
    current = lock_for_edit(case)
    refuse_if_stale(current, expected_version)
    _require_open(current)
    from_stage = current.stage
    if stages.next_stage(from_stage) is None and not stages.is_back(from_stage, to_stage):
        raise DomainError(STAGE_LAST, code="last_stage", field="to_stage")
    if stages.is_back(from_stage, to_stage):
        if not note.strip():
            raise DomainError(STAGE_BACK_NEEDS_NOTE, code="back_needs_note", field="note")
    elif not stages.is_forward(from_stage, to_stage):
        labels = stages.stage_labels(current.organisation_id)
        next_stage = stages.next_stage(from_stage) or from_stage
        raise DomainError(
            STAGE_SKIPPED,
            code="stage_skipped",
            field="to_stage",
            params={"current": labels[from_stage], "next": labels[next_stage]},
        )
    current.stage = to_stage
    _touch(current)
    current.save(update_fields=["stage", "version", "last_activity_at", "updated_at"])
    StageChange.objects.create(
        case=current,
        from_stage=from_stage,
        to_stage=to_stage,
        note=note.strip(),
        changed_at=timezone.now(),
        changed_by=actor,
    )
    audit_record(
        actor=actor,
        action=actions.CASE_STAGE_CHANGED,
        target=current,
        organisation=current.organisation,
        changes={"stage": [from_stage, to_stage], "version": [expected_version, current.version]},
    )
    return current


# -- team and transfer ----------------------------------------------------------------------------


@transaction.atomic
def case_member_add(
    *, actor: User, case: Case, user: User, today: datetime.date | None = None
) -> CaseMember:
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    _require_open(current)
    _check_lead(current.organisation, user)
    if CaseMember.objects.filter(case=current, user=user, removed_on__isnull=True).exists():
        raise DomainError(MEMBER_ALREADY, code="already_member", field="user")
    member = CaseMember.objects.create(case=current, user=user, added_on=today, added_by=actor)
    audit_record(
        actor=actor,
        action=actions.CASE_MEMBER_ADDED,
        target=current,
        organisation=current.organisation,
        changes={"team": [None, user.username]},
    )
    return member


@transaction.atomic
def case_member_remove(
    *, actor: User, case: Case, user: User, today: datetime.date | None = None
) -> None:
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    if current.lead_counsellor_id == user.pk:
        raise DomainError(MEMBER_IS_LEAD, code="member_is_lead", field="user")
    ended = CaseMember.objects.filter(case=current, user=user, removed_on__isnull=True).update(
        removed_on=today
    )
    if ended:
        audit_record(
            actor=actor,
            action=actions.CASE_MEMBER_REMOVED,
            target=current,
            organisation=current.organisation,
            changes={"team": [user.username, None]},
        )


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    case: Case,
    to_user: User,
    reason: str,
    expected_version: int,
    today: datetime.date | None = None,
) -> Case:
    """A new lead counsellor; the previous one stays on the team until removed."""
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    refuse_if_stale(current, expected_version)
    _require_open(current)
    _check_lead(current.organisation, to_user)
    if not reason.strip():
        raise DomainError(TRANSFER_NEEDS_REASON, code="needs_reason", field="reason")
    if current.lead_counsellor_id == to_user.pk:
        raise DomainError(TRANSFER_TO_SAME, code="same_lead", field="to_user")
    previous = current.lead_counsellor
    CaseTransfer.objects.create(
        case=current,
        from_user=previous,
        to_user=to_user,
        reason=reason.strip(),
        transferred_at=timezone.now(),
        transferred_by=actor,
    )
    current.lead_counsellor = to_user
    _touch(current)
    current.save(update_fields=["lead_counsellor", "version", "last_activity_at", "updated_at"])
    if not CaseMember.objects.filter(case=current, user=to_user, removed_on__isnull=True).exists():
        CaseMember.objects.create(case=current, user=to_user, added_on=today, added_by=actor)
    audit_record(
        actor=actor,
        action=actions.CASE_TRANSFERRED,
        target=current,
        organisation=current.organisation,
        changes={
            "lead_counsellor": [previous.username if previous else None, to_user.username],
            "version": [expected_version, current.version],
        },
    )
    return current


# -- closure and reopening --------------------------------------------------------------------------


@transaction.atomic
def case_closure_request(
    *,
    actor: User,
    case: Case,
    reason: str,
    outcome: str,
    summary: str,
    expected_version: int,
) -> ClosureRequest:
    current = lock_for_edit(case)
    if current.status == CaseStatus.CLOSURE_REQUESTED:
        raise DomainError(CLOSURE_ALREADY_PENDING, code="closure_pending")
    refuse_if_stale(current, expected_version)
    _require_open(current)
    if not reason:
        raise DomainError(CLOSURE_NEEDS_REASON, code="needs_reason", field="reason")
    if not outcome:
        raise DomainError(CLOSURE_NEEDS_OUTCOME, code="needs_outcome", field="outcome")
    if not summary.strip():
        raise DomainError(CLOSURE_NEEDS_SUMMARY, code="needs_summary", field="summary")
    if reason == ClosureReason.GOALS_ACHIEVED and current.stage not in stages.CLOSING_STAGES:
        raise DomainError(CLOSURE_TOO_EARLY, code="too_early", field="reason")
    request = ClosureRequest(
        case=current,
        reason=reason,
        outcome=outcome,
        summary=summary.strip(),
        requested_at=timezone.now(),
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    current.status = CaseStatus.CLOSURE_REQUESTED
    _touch(current)
    current.save(update_fields=["status", "version", "last_activity_at", "updated_at"])
    audit_record(
        actor=actor,
        action=actions.CASE_CLOSURE_REQUESTED,
        target=current,
        organisation=current.organisation,
        changes={
            "status": [CaseStatus.OPEN, current.status],
            "closure_reason": [None, reason],
            "closure_outcome": [None, outcome],
            "version": [expected_version, current.version],
        },
    )
    return request


def _pending(request: ClosureRequest) -> tuple[ClosureRequest, Case]:
    current_request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    case = lock_for_edit(current_request.case)
    if current_request.status != ClosureStatus.PENDING:
        raise DomainError(CLOSURE_ALREADY_DECIDED, code="already_decided")
    return current_request, case


@transaction.atomic
def case_closure_approve(
    *, actor: User, request: ClosureRequest, today: datetime.date | None = None
) -> Case:
    today = today or timezone.localdate()
    current_request, case = _pending(request)
    current_request.status = ClosureStatus.APPROVED
    current_request.decided_at = timezone.now()
    current_request.decided_by = actor
    current_request.save(update_fields=["status", "decided_at", "decided_by"])
    case.status = CaseStatus.CLOSED
    case.closed_on = today
    case.closure_reason = current_request.reason
    case.closure_outcome = current_request.outcome
    case.next_due_on = None
    _touch(case)
    case.save()
    audit_record(
        actor=actor,
        action=actions.CASE_CLOSURE_APPROVED,
        target=case,
        organisation=case.organisation,
        changes={"status": [CaseStatus.CLOSURE_REQUESTED, CaseStatus.CLOSED]},
    )
    return case


@transaction.atomic
def case_close_on_arrival(
    *, actor: User, case: Case, summary: str, today: datetime.date | None = None
) -> Case:
    """Close a repatriation's case when the arrival home is confirmed.

    The coordinator approved the return plan, so no second approval is asked;
    the closure is kept as an approved request (the case's history reads the
    same as any other closure). A closed case is left as it is.
    """
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    if current.status == CaseStatus.CLOSED:
        return current
    now = timezone.now()
    pending = ClosureRequest.objects.select_for_update().filter(
        case=current, status=ClosureStatus.PENDING
    )
    pending.update(status=ClosureStatus.APPROVED, decided_at=now, decided_by=actor)
    ClosureRequest.objects.create(
        case=current,
        reason=ClosureReason.REPATRIATED,
        outcome=ClosureOutcome.IMPROVED,
        summary=summary,
        requested_at=now,
        requested_by=actor,
        status=ClosureStatus.APPROVED,
        decided_at=now,
        decided_by=actor,
    )
    from_status = current.status
    current.status = CaseStatus.CLOSED
    current.closed_on = today
    current.closure_reason = ClosureReason.REPATRIATED
    current.closure_outcome = ClosureOutcome.IMPROVED
    current.next_due_on = None
    _touch(current)
    current.save()
    audit_record(
        actor=actor,
        action=actions.CASE_CLOSED_ON_ARRIVAL,
        target=current,
        organisation=current.organisation,
        changes={"status": [from_status, CaseStatus.CLOSED]},
    )
    return current


@transaction.atomic
def case_closure_return(*, actor: User, request: ClosureRequest, comment: str) -> Case:
    if not comment.strip():
        raise DomainError(RETURN_NEEDS_COMMENT, code="needs_comment", field="comment")
    current_request, case = _pending(request)
    current_request.status = ClosureStatus.RETURNED
    current_request.decided_at = timezone.now()
    current_request.decided_by = actor
    current_request.comment = comment.strip()
    current_request.save(update_fields=["status", "decided_at", "decided_by", "comment"])
    case.status = CaseStatus.OPEN
    _touch(case)
    case.save(update_fields=["status", "version", "last_activity_at", "updated_at"])
    audit_record(
        actor=actor,
        action=actions.CASE_CLOSURE_RETURNED,
        target=case,
        organisation=case.organisation,
        changes={"status": [CaseStatus.CLOSURE_REQUESTED, CaseStatus.OPEN]},
    )
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str, expected_version: int) -> Case:
    current = lock_for_edit(case)
    refuse_if_stale(current, expected_version)
    if current.status != CaseStatus.CLOSED:
        raise DomainError(CASE_NOT_CLOSED, code="not_closed")
    if not reason.strip():
        raise DomainError(REOPEN_NEEDS_REASON, code="needs_reason", field="reason")
    from_stage = current.stage
    current.status = CaseStatus.OPEN
    current.stage = stages.REOPEN_STAGE
    current.closed_on = None
    current.closure_reason = ""
    current.closure_outcome = ""
    current.times_reopened += 1
    _touch(current)
    current.save()
    StageChange.objects.create(
        case=current,
        from_stage=from_stage,
        to_stage=current.stage,
        note=reason.strip(),
        changed_at=timezone.now(),
        changed_by=actor,
    )
    case_due_refresh(current)
    audit_record(
        actor=actor,
        action=actions.CASE_REOPENED,
        target=current,
        organisation=current.organisation,
        changes={
            "status": [CaseStatus.CLOSED, CaseStatus.OPEN],
            "stage": [from_stage, current.stage],
        },
    )
    return current


# -- follow-up and due dates ---------------------------------------------------------------------------


def case_due_refresh(case: Case) -> None:
    """Recompute ``next_due_on``: the earliest open task or check-in (inside the caller's transaction)."""
    if case.status == CaseStatus.CLOSED:
        due = None
    else:
        task_due = Task.objects.filter(case=case, completed_at__isnull=True).aggregate(
            due=Min("due_on")
        )["due"]
        check_in_due = CheckIn.objects.filter(case=case, done_on__isnull=True).aggregate(
            due=Min("due_on")
        )["due"]
        dates = [date for date in (task_due, check_in_due) if date is not None]
        due = min(dates) if dates else None
    Case.objects.filter(pk=case.pk).update(next_due_on=due)
    case.next_due_on = due


@transaction.atomic
def check_in_schedule(*, actor: User, case: Case, due_on: datetime.date) -> CheckIn:
    current = lock_for_edit(case)
    _require_open(current)
    if current.stage != stages.Stage.FOLLOW_UP:
        raise DomainError(CHECK_IN_NOT_FOLLOW_UP, code="not_follow_up", field="due_on")
    check_in = CheckIn.objects.create(case=current, due_on=due_on)
    case_due_refresh(current)
    audit_record(
        actor=actor,
        action=actions.CHECK_IN_SCHEDULED,
        target=current,
        organisation=current.organisation,
        changes={"check_in_due_on": [None, due_on.isoformat()]},
    )
    return check_in


@transaction.atomic
def check_in_record(
    *,
    actor: User,
    check_in: CheckIn,
    done_on: datetime.date,
    note: str,
    today: datetime.date | None = None,
) -> CheckIn:
    today = today or timezone.localdate()
    current = CheckIn.objects.select_for_update().select_related("case").get(pk=check_in.pk)
    if current.done_on is not None:
        raise DomainError(CHECK_IN_DONE, code="already_done")
    if done_on > today:
        raise DomainError(DATE_IN_FUTURE, code="future", field="done_on")
    current.done_on = done_on
    current.note = note.strip()
    current.done_by = actor
    current.save(update_fields=["done_on", "note", "done_by"])
    case_due_refresh(current.case)
    audit_record(
        actor=actor,
        action=actions.CHECK_IN_RECORDED,
        target=current.case,
        organisation=current.case.organisation,
        changes={"check_in_done_on": [None, done_on.isoformat()], "note": ["***", "***"]},
    )
    return current
