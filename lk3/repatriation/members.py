"""Identifying and screening stranded people, their shelter, family tracing and the decision.

Rules:
- Identification: the documents held are ``IdentityDocument`` codes; the
  origin region must be a known Kemendagri code (any level, usually a desa or
  kelurahan): an unknown code is refused on ``origin_region`` and nothing is
  saved. The province and kab/kota of origin are kept beside it for reports.
  Edits carry the member's version: a stale edit is refused with what changed;
  the health note is encrypted and never written to the audit trail.
- Shelter: one open stay per person; checking out is refused before the
  check-in time and once the stay is closed.
- Family tracing: one contact per entry, never dated in the future; its note
  is encrypted and not audited.
- Decision: a return home needs the person fit to travel (treated first).
  A person returned home before (``returned_before``: an earlier intake of
  the same organisation, same registry person or same NIK, decided "return
  home", handed over or arrived, within the organisation's window) may be
  returned again only while the count stays under ``returns_allowed``
  (0 = no limit); beyond it only the coordinator can record an exception,
  with a note. Decisions are frozen while the group's plan is awaiting
  approval or approved and once the return is under way or done.
- Every change writes its audit row in the same transaction; a decision
  refreshes the group's derived status.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.cases.permissions import is_coordinator
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.regions.selectors import region_by_code
from lk3.repatriation import intake, rules
from lk3.repatriation.models import (
    Decision,
    GroupStatus,
    HealthStatus,
    IdentityDocument,
    ShelterStay,
    StrandedGroup,
    StrandedPerson,
    TracingContact,
    TracingMethod,
    TracingResult,
)

MEMBER_FIELDS = [
    "documents",
    "documents_note",
    "health_status",
    "health_note",
    "screened_on",
    "stated_origin",
    "origin_region",
    "origin_province_code",
    "origin_regency_code",
]
REDACTED = ["health_note"]
DECISION_FIELDS = ["decision", "decision_reason", "returned_before_note", "decided_on"]

ORIGIN_UNKNOWN = _("Region code %(code)s is unknown.")
DOCUMENT_UNKNOWN = _("Choose the documents from the list.")
HEALTH_UNKNOWN = _("Choose a health status from the list.")
SCREENED_IN_FUTURE = _("The screening date cannot be in the future.")
SHELTER_REQUIRED = _("Name the shelter.")
ALREADY_IN_SHELTER = _(
    "This person is already in %(shelter)s since %(since)s: check them out first."
)
CHECK_IN_IN_FUTURE = _("The check-in time cannot be in the future.")
NOT_IN_SHELTER = _("This stay is already closed.")
CHECK_OUT_BEFORE_CHECK_IN = _("The check-out time cannot be before the check-in time.")
TRACING_IN_FUTURE = _("The date of the contact cannot be in the future.")
TRACING_CONTACT_REQUIRED = _("Say who was contacted.")
TRACING_METHOD_UNKNOWN = _("Choose how the family was contacted.")
TRACING_RESULT_UNKNOWN = _("Choose the result of the contact.")
TRACING_OTHER_GROUP = _("This person is not in this intake.")
DECISION_UNKNOWN = _("Choose a decision from the list.")
REASON_REQUIRED = _("Give the reason for the decision.")
NOT_FIT = _(
    "A return home needs the person fit to travel: record the health screening first "
    "(sick people are treated before any return)."
)
PLAN_PENDING = _(
    "The return plan is awaiting approval or approved: send the plan back first to change "
    "a decision."
)
RETURN_UNDER_WAY = _("The return is under way or done: decisions can no longer change.")
GROUP_GONE = _(
    "The group has been handed over or has arrived home: shelter and tracing are closed."
)
RETURNED_BEFORE = _(
    "This person was already returned home with intake %(number)s (%(date)s); the rule "
    "allows %(allowed)s return(s) in %(days)s days."
)
EXCEPTION_NEEDED = _("To return them again, record why the exception is made.")
COORDINATOR_ONLY = _("Only the coordinator can record an exception to this rule.")

FROZEN_BY_PLAN = (GroupStatus.AWAITING_APPROVAL, GroupStatus.APPROVED)
FROZEN_BY_RETURN = (GroupStatus.HANDED_OVER, GroupStatus.ARRIVED)
RETURNED = (GroupStatus.HANDED_OVER, GroupStatus.ARRIVED)


# -- identification and screening -----------------------------------------------------------


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: StrandedPerson,
    expected_version: int,
    documents: Iterable[str],
    documents_note: str = "",
    health_status: str = HealthStatus.NOT_SCREENED,
    health_note: str = "",
    screened_on: datetime.date | None = None,
    stated_origin: str = "",
    origin_code: str = "",
    share_origin: bool = False,
    today: datetime.date | None = None,
) -> StrandedPerson:
    """Record what the person holds, how they are, and where they come from.

    ``share_origin`` gives the same region of origin to the others of the
    group who have none yet (``_origin_share``).
    """
    today = today or timezone.localdate()
    held = sorted(set(documents))
    if any(code not in IdentityDocument.values for code in held):
        raise DomainError(DOCUMENT_UNKNOWN, code="document_unknown", field="documents")
    if health_status not in HealthStatus.values:
        raise DomainError(HEALTH_UNKNOWN, code="health_unknown", field="health_status")
    if screened_on is not None and screened_on > today:
        raise DomainError(SCREENED_IN_FUTURE, code="future", field="screened_on")
    region = None
    if origin_code.strip():
        region = region_by_code(origin_code.strip())
        if region is None:
            raise DomainError(
                ORIGIN_UNKNOWN,
                code="origin_unknown",
                field="origin_region",
                params={"code": origin_code.strip()},
            )
    current = lock_for_edit(member)
    before = snapshot(current, MEMBER_FIELDS)
    current.documents = held
    current.documents_note = documents_note.strip()
    current.health_status = health_status
    current.health_note = health_note.strip()
    current.screened_on = screened_on
    current.stated_origin = stated_origin.strip()
    current.origin_region = region
    current.origin_province_code, current.origin_regency_code = intake.origin_codes(
        region.code if region is not None else current.person.nik_region_code
    )
    after = snapshot(current, MEMBER_FIELDS)
    if after == before:
        # Nothing to change (a double-submitted form, or a save without edits).
        if share_origin:
            _origin_share(actor=actor, member=current)
        return current
    refuse_if_stale(current, expected_version)
    current.version += 1
    current.full_clean(exclude=["group", "person", "decided_by"])
    current.save()
    audit_record(
        actor=actor,
        action=actions.STRANDED_MEMBER_UPDATED,
        target=current,
        organisation=current.group.organisation,
        changes=field_diff(before, after, redact=REDACTED)
        | {"version": [expected_version, current.version]},
    )
    if share_origin:
        _origin_share(actor=actor, member=current)
    return current


# -- shelter ---------------------------------------------------------------------------------


def _origin_share(*, actor: User, member: StrandedPerson) -> list[StrandedPerson]:
    """Give the member's region of origin to the others of the group who have none yet.

    A family travelling together usually comes from one village: the worker
    picks it once. Members with an origin of their own keep it.
    """
    source = member
    if source.origin_region_id is None:
        return []
    others = StrandedPerson.objects.select_for_update().filter(
        group_id=source.group_id, origin_region__isnull=True
    )
    changed = []
    for other in others.exclude(pk=source.pk):
        other.origin_region_id = source.origin_region_id
        other.origin_province_code = source.origin_province_code
        other.origin_regency_code = source.origin_regency_code
        other.version += 1
        other.save(
            update_fields=[
                "origin_region",
                "origin_province_code",
                "origin_regency_code",
                "version",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=actions.STRANDED_MEMBER_UPDATED,
            target=other,
            organisation=source.group.organisation,
            changes={"origin_region": [None, source.origin_region_id]},
        )
        changed.append(other)
    return changed


@transaction.atomic
def shelter_check_in(
    *,
    actor: User,
    member: StrandedPerson,
    shelter: str,
    checked_in_at: datetime.datetime | None = None,
) -> ShelterStay:
    now = timezone.now()
    checked_in_at = checked_in_at or now
    if not shelter.strip():
        raise DomainError(SHELTER_REQUIRED, code="needs_shelter", field="shelter")
    if checked_in_at > now + datetime.timedelta(minutes=5):
        raise DomainError(CHECK_IN_IN_FUTURE, code="future", field="checked_in_at")
    current = lock_for_edit(member)
    _refuse_if_gone(current.group)
    open_stay = current.stays.filter(checked_out_at__isnull=True).first()
    if open_stay is not None:
        raise DomainError(
            ALREADY_IN_SHELTER,
            code="already_in_shelter",
            field="shelter",
            params={
                "shelter": open_stay.shelter,
                "since": formats.date_format(
                    timezone.localtime(open_stay.checked_in_at), "DATETIME_FORMAT"
                ),
            },
        )
    stay = ShelterStay(
        member=current, shelter=shelter.strip(), checked_in_at=checked_in_at, recorded_by=actor
    )
    stay.full_clean(exclude=["member", "recorded_by"])
    stay.save()
    audit_record(
        actor=actor,
        action=actions.SHELTER_CHECKED_IN,
        target=current,
        organisation=current.group.organisation,
        changes={"shelter": [None, stay.shelter], "checked_in_at": [None, _iso(checked_in_at)]},
    )
    return stay


@transaction.atomic
def shelter_check_out(
    *, actor: User, stay: ShelterStay, checked_out_at: datetime.datetime | None = None
) -> ShelterStay:
    checked_out_at = checked_out_at or timezone.now()
    current = (
        ShelterStay.objects.select_for_update().select_related("member__group").get(pk=stay.pk)
    )
    if current.checked_out_at is not None:
        raise DomainError(NOT_IN_SHELTER, code="not_in_shelter")
    if checked_out_at < current.checked_in_at:
        raise DomainError(CHECK_OUT_BEFORE_CHECK_IN, code="before_check_in", field="checked_out_at")
    current.checked_out_at = checked_out_at
    current.save(update_fields=["checked_out_at"])
    audit_record(
        actor=actor,
        action=actions.SHELTER_CHECKED_OUT,
        target=current.member,
        organisation=current.member.group.organisation,
        changes={
            "shelter": [current.shelter, current.shelter],
            "checked_out_at": [None, _iso(checked_out_at)],
        },
    )
    return current


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="minutes")


# -- family tracing --------------------------------------------------------------------------


@transaction.atomic
def tracing_record(
    *,
    actor: User,
    group: StrandedGroup,
    contacted_on: datetime.date,
    contact: str,
    method: str,
    result: str,
    member: StrandedPerson | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> TracingContact:
    """One attempt to reach the family; the note stays out of the audit trail."""
    today = today or timezone.localdate()
    _refuse_if_gone(group)
    if member is not None and member.group_id != group.pk:
        raise DomainError(TRACING_OTHER_GROUP, code="other_group", field="member")
    if contacted_on > today:
        raise DomainError(TRACING_IN_FUTURE, code="future", field="contacted_on")
    if not contact.strip():
        raise DomainError(TRACING_CONTACT_REQUIRED, code="needs_contact", field="contact")
    if method not in TracingMethod.values:
        raise DomainError(TRACING_METHOD_UNKNOWN, code="method_unknown", field="method")
    if result not in TracingResult.values:
        raise DomainError(TRACING_RESULT_UNKNOWN, code="result_unknown", field="result")
    entry = TracingContact(
        group=group,
        member=member,
        contacted_on=contacted_on,
        contact=contact.strip(),
        method=method,
        result=result,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    entry.full_clean(exclude=["group", "member", "recorded_by"])
    entry.save()
    audit_record(
        actor=actor,
        action=actions.TRACING_RECORDED,
        target=group,
        organisation=group.organisation,
        changes={
            "member": [None, str(member.person.public_id) if member is not None else None],
            "contacted_on": [None, contacted_on.isoformat()],
            "contact": [None, entry.contact],
            "method": [None, method],
            "result": [None, result],
        },
    )
    return entry


# -- returned before -------------------------------------------------------------------------


def returned_before(member: StrandedPerson, today: datetime.date) -> list[StrandedPerson]:
    """Earlier returns home of the same person (registry record or NIK) within the window.

    Counted among the intakes of the member's organisation, other than this
    one, that were handed over or arrived; the date is the arrival (or the
    date found while still on the way). Newest first.
    """
    group = member.group
    window = rules.settings_for(group.organisation).return_window_days
    same_person = Q(person_id=member.person_id)
    if member.person.nik_hash:
        same_person |= Q(person__nik_hash=member.person.nik_hash)
    return list(
        StrandedPerson.objects.filter(
            same_person,
            group__organisation_id=group.organisation_id,
            group__status__in=RETURNED,
            decision=Decision.RETURN_HOME,
        )
        .exclude(group_id=group.pk)
        .annotate(returned=Coalesce("group__returned_on", "group__found_on"))
        .filter(
            returned__gte=today - datetime.timedelta(days=window),
            returned__lte=today,
        )
        .select_related("group")
        .order_by("-returned", "-pk")
    )


def returned_on(earlier: StrandedPerson) -> datetime.date:
    """When an earlier return happened (arrival, or the date found while on the way)."""
    return earlier.group.returned_on or earlier.group.found_on


def _returns_check(
    *, actor: User, member: StrandedPerson, exception_note: str, today: datetime.date
) -> str:
    """The exception note to keep, or a refusal when the rule forbids another return."""
    settings = rules.settings_for(member.group.organisation)
    earlier = returned_before(member, today)
    if not settings.returns_allowed or len(earlier) < settings.returns_allowed:
        return ""
    latest = earlier[0]
    refusal = str(RETURNED_BEFORE) % {
        "number": latest.group.number,
        "date": formats.date_format(returned_on(latest), "DATE_FORMAT"),
        "allowed": settings.returns_allowed,
        "days": settings.return_window_days,
    }
    if not is_coordinator(actor):
        raise DomainError(f"{refusal} {COORDINATOR_ONLY}", code="returned_before", field="decision")
    if not exception_note.strip():
        raise DomainError(
            f"{refusal} {EXCEPTION_NEEDED}", code="needs_exception", field="exception_note"
        )
    return exception_note.strip()


# -- decision --------------------------------------------------------------------------------


@transaction.atomic
def member_decide(
    *,
    actor: User,
    member: StrandedPerson,
    decision: str,
    reason: str,
    expected_version: int,
    exception_note: str = "",
    today: datetime.date | None = None,
) -> StrandedPerson:
    """Decide, after assessment, whether the person returns home, works here, or else."""
    today = today or timezone.localdate()
    if decision not in Decision.values:
        raise DomainError(DECISION_UNKNOWN, code="decision_unknown", field="decision")
    if not reason.strip():
        raise DomainError(REASON_REQUIRED, code="needs_reason", field="reason")
    # The group first: a plan submitted meanwhile freezes the decisions.
    group = StrandedGroup.objects.select_for_update().get(pk=member.group_id)
    _refuse_if_frozen(group)
    current = lock_for_edit(member)
    current.group = group
    if (
        current.decision == decision
        and current.decision_reason == reason.strip()
        and current.returned_before_note == exception_note.strip()
    ):
        # The same decision again (a double-submitted form).
        return current
    refuse_if_stale(current, expected_version)
    note = ""
    if decision == Decision.RETURN_HOME:
        if current.health_status != HealthStatus.FIT:
            raise DomainError(NOT_FIT, code="not_fit", field="decision")
        note = _returns_check(
            actor=actor, member=current, exception_note=exception_note, today=today
        )
    before = snapshot(current, DECISION_FIELDS)
    current.decision = decision
    current.decision_reason = reason.strip()
    current.returned_before_note = note
    current.decided_on = today
    current.decided_by = actor
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=actions.STRANDED_DECIDED,
        target=current,
        organisation=group.organisation,
        changes=field_diff(before, snapshot(current, DECISION_FIELDS))
        | {"version": [expected_version, current.version]},
    )
    intake.group_status_refresh(group)
    return current


def _refuse_if_gone(group: StrandedGroup) -> None:
    """Once the travellers left, nobody checks them in to a shelter or traces their family."""
    if group.status in RETURNED:
        raise DomainError(GROUP_GONE, code="group_gone")


def _refuse_if_frozen(group: StrandedGroup) -> None:
    if group.status in FROZEN_BY_PLAN:
        raise DomainError(PLAN_PENDING, code="plan_pending", field="decision")
    if group.status in FROZEN_BY_RETURN:
        raise DomainError(RETURN_UNDER_WAY, code="under_way", field="decision")


def decision_context(member: StrandedPerson, today: datetime.date) -> dict[str, Any]:
    """What the decision form warns about: earlier returns and the organisation's rule."""
    settings = rules.settings_for(member.group.organisation)
    earlier = returned_before(member, today)
    return {
        "earlier_returns": [(item, returned_on(item)) for item in earlier],
        "returns_allowed": settings.returns_allowed,
        "return_window_days": settings.return_window_days,
        "over_the_rule": bool(settings.returns_allowed)
        and len(earlier) >= settings.returns_allowed,
    }
