"""Taking a stranded person or group in, adding people to the group, and where the group stands.

Taking in opens the group's case (intake channel "orang-terlantar", problem
type "terlantar-perjalanan") with the first person as its client, so the
casework (team, sessions, assessments, closure) is the case's; the
repatriation records hang off the case. A group's status is never set by
hand: ``group_status_refresh`` derives it from its members' decisions, its
plan and its handovers, and every service calls it after a change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases.services import case_open
from lk3.core.counters import counter_take
from lk3.core.errors import DomainError
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.models import Person, PersonStatus
from lk3.repatriation.models import (
    Decision,
    FoundAt,
    GroupStatus,
    HandoverStatus,
    PlanStatus,
    ReturnPlan,
    StrandedGroup,
    StrandedNumberCounter,
    StrandedPerson,
)

NUMBER_FORMAT = "OT-{year}-{sequence:04d}"
CHANNEL_CODE = "orang-terlantar"
PROBLEM_CODE = "terlantar-perjalanan"

NEEDS_PERSON = _("Choose at least one person: register them first if they are new.")
PERSON_TWICE = _("The same person is listed twice.")
PERSON_NOT_HERE = _("This person is registered by another organisation.")
PERSON_MERGED = _("This person's record was merged into another: choose that one.")
ALREADY_IN_GROUP = _("This person is already in the group.")
FOUND_PLACE_REQUIRED = _("Say where the person was found.")
FOUND_AT_UNKNOWN = _("Choose where the person was found.")
FOUND_IN_FUTURE = _("The date found cannot be in the future.")
GROUP_CLOSED = _("This intake is finished: nothing can be added now.")
CHANNEL_MISSING = _(
    "The intake channel for stranded people is missing: load the reference data again."
)


def stranded_number_next(organisation: Organisation, year: int) -> tuple[int, str]:
    sequence = counter_take(StrandedNumberCounter, organisation, year)
    return sequence, NUMBER_FORMAT.format(year=year, sequence=sequence)


def _check_persons(organisation: Organisation, persons: Sequence[Person]) -> None:
    if not persons:
        raise DomainError(NEEDS_PERSON, code="needs_person", field="persons")
    if len({person.pk for person in persons}) != len(persons):
        raise DomainError(PERSON_TWICE, code="person_twice", field="persons")
    for person in persons:
        _check_person(organisation, person)


def _check_person(organisation: Organisation, person: Person) -> None:
    if person.organisation_id != organisation.pk:
        raise DomainError(PERSON_NOT_HERE, code="other_organisation", field="persons")
    if person.status != PersonStatus.ACTIVE:
        raise DomainError(PERSON_MERGED, code="merged_away", field="persons")


def _presenting_problem(found_place: str, found_on: datetime.date, circumstances: str) -> str:
    opening = f"Terlantar di {found_place} sejak {found_on.strftime('%d-%m-%Y')}."
    return f"{opening}\n{circumstances}".strip()


@transaction.atomic
def stranded_take_in(
    *,
    actor: User,
    organisation: Organisation,
    persons: Sequence[Person],
    found_at: str,
    found_place: str,
    found_on: datetime.date,
    pmks_categories: Iterable[PmksCategory],
    brought_by: str = "",
    police_letter_ref: str = "",
    circumstances: str = "",
    lead_counsellor: User | None = None,
    today: datetime.date | None = None,
) -> StrandedGroup:
    """Take a stranded person or group in: one case, one intake, one member per person."""
    today = today or timezone.localdate()
    _check_persons(organisation, persons)
    if found_at not in FoundAt.values:
        raise DomainError(FOUND_AT_UNKNOWN, code="found_at_unknown", field="found_at")
    if not found_place.strip():
        raise DomainError(FOUND_PLACE_REQUIRED, code="needs_place", field="found_place")
    if found_on > today:
        raise DomainError(FOUND_IN_FUTURE, code="future", field="found_on")
    channel = IntakeChannel.objects.filter(code=CHANNEL_CODE).first()
    if channel is None:
        raise DomainError(CHANNEL_MISSING, code="channel_missing")
    case = case_open(
        actor=actor,
        organisation=organisation,
        intake_channel=channel,
        presenting_problem=_presenting_problem(found_place.strip(), found_on, circumstances),
        pmks_categories=pmks_categories,
        client=persons[0],
        problem_types=ProblemType.objects.filter(code=PROBLEM_CODE),
        lead_counsellor=lead_counsellor,
        referrer_name=brought_by.strip(),
        today=today,
    )
    sequence, number = stranded_number_next(organisation, today.year)
    group = StrandedGroup(
        organisation=organisation,
        number=number,
        year=today.year,
        sequence=sequence,
        case=case,
        found_at=found_at,
        found_place=found_place.strip(),
        found_on=found_on,
        brought_by=brought_by.strip(),
        police_letter_ref=police_letter_ref.strip(),
        circumstances=circumstances.strip(),
        created_by=actor,
    )
    group.full_clean()
    group.save()
    for person in persons:
        _member_create(group, person)
    audit_record(
        actor=actor,
        action=actions.STRANDED_TAKEN_IN,
        target=group,
        organisation=organisation,
        changes={
            "number": [None, number],
            "case": [None, case.number],
            "found_at": [None, found_at],
            "found_on": [None, found_on.isoformat()],
            "persons": [None, len(persons)],
        },
    )
    return group


def _member_create(group: StrandedGroup, person: Person) -> StrandedPerson:
    """A member's origin starts as the NIK's region of issue, until the person says otherwise."""
    member = StrandedPerson(group=group, person=person)
    member.origin_province_code, member.origin_regency_code = origin_codes(person.nik_region_code)
    member.save()
    return member


def origin_codes(code: str) -> tuple[str, str]:
    """The province and kab/kota parts of a region code (``"32", "32.05"``); empty when unknown."""
    parts = code.split(".") if code else []
    province = parts[0] if parts else ""
    regency = ".".join(parts[:2]) if len(parts) >= 2 else ""
    return province, regency


@transaction.atomic
def stranded_member_add(*, actor: User, group: StrandedGroup, person: Person) -> StrandedPerson:
    current = StrandedGroup.objects.select_for_update().get(pk=group.pk)
    if current.status in (GroupStatus.ARRIVED, GroupStatus.SETTLED, GroupStatus.HANDED_OVER):
        raise DomainError(GROUP_CLOSED, code="group_closed")
    _check_person(current.organisation, person)
    if current.members.filter(person=person).exists():
        raise DomainError(ALREADY_IN_GROUP, code="already_in_group", field="person")
    member = _member_create(current, person)
    audit_record(
        actor=actor,
        action=actions.STRANDED_MEMBER_ADDED,
        target=current,
        organisation=current.organisation,
        changes={"person": [None, str(person.public_id)]},
    )
    group_status_refresh(current)
    return member


# -- status ----------------------------------------------------------------------------------


def group_status_of(group: StrandedGroup) -> str:
    """Where the group stands, from its handovers, its plan and its members' decisions."""
    latest = group.handovers.order_by("-pk").first()
    if latest is not None and latest.status == HandoverStatus.ARRIVED:
        return GroupStatus.ARRIVED
    if latest is not None and latest.status == HandoverStatus.SENT:
        return GroupStatus.HANDED_OVER
    plan = ReturnPlan.objects.filter(group=group).first()
    if plan is not None and plan.status == PlanStatus.APPROVED:
        return GroupStatus.APPROVED
    if plan is not None and plan.status == PlanStatus.SUBMITTED:
        return GroupStatus.AWAITING_APPROVAL
    decisions = list(group.members.values_list("decision", flat=True))
    if Decision.RETURN_HOME in decisions:
        return GroupStatus.PLANNING
    if decisions and all(decisions):
        return GroupStatus.SETTLED
    return GroupStatus.INTAKE


def group_status_refresh(group: StrandedGroup) -> StrandedGroup:
    """Store the derived status (and bump the version when it changes)."""
    status = group_status_of(group)
    if status != group.status:
        group.status = status
        group.version += 1
        group.save(update_fields=["status", "version", "updated_at"])
    return group
