"""Referrals in: another agency refers someone to LK3, and the intake desk decides.

Statuses used (within ``lk3.referrals.transitions``):

    received  -- recorded at the intake desk (the referral has arrived)
    received -> accepted  -- taken into a new case or an existing open case
    received -> declined  -- with a reason (final)

Rules:
- The referring agency is a partner of the organisation's directory or a
  name typed in; one of the two is required. The client's name and the
  reason are required; a NIK, when given, must be well formed (it is
  stored encrypted, never in the audit diff).
- The desk has ``ReferralSettings.answer_days`` (3 by default) to decide:
  ``answer_due_on``; the first decision sets ``first_answer_at``.
- Accepting into a new case: the caller shows the registry's likely
  duplicates first (``likely_clients``); the desk takes an existing person
  or registers a new one, and the case is opened with the referrer copied.
  Person, case and referral change in one transaction: nothing half-saved.
- Accepting into an existing case: the case must be open and of the same
  organisation; its client becomes the referral's person.
- A decision takes the version the user saw: a referral decided in the
  meantime is refused (``ALREADY_DECIDED``, so a double submit creates
  nothing twice) and an edit in between is refused as stale.
- Every write records an AuditEvent and a ReferralEvent in the same
  transaction. Notifications never carry the client's name or problem.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.cases import services as case_services
from lk3.cases.models import Case, CaseStatus
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType, ServiceType
from lk3.people import duplicates
from lk3.people import services as people_services
from lk3.people.models import Person, PersonStatus
from lk3.people.search import person_search_for_user
from lk3.referrals.models import (
    Direction,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from lk3.referrals.notifications import notify
from lk3.referrals.referrals import answer_days, referral_number_next
from lk3.referrals.transitions import may_answer
from lk3.regions.identity import parse_nik

# Audit action codes (a public contract: never renamed). To be added to lk3.audit.actions.

# How many of the registry's name-search hits are offered when the birth date is unknown.
NAME_HITS = 8
WAITING = (ReferralStatus.SENT, ReferralStatus.RECEIVED)

NEEDS_REFERRER = _("Choose the referring agency from the directory, or type its name.")
PARTNER_NOT_IN_NETWORK = _("This partner is not in your organisation's directory.")
NEEDS_CLIENT_NAME = _("Enter the client's name as the agency gave it.")
BIRTH_DATE_IN_FUTURE = _("The birth date cannot be in the future.")
NEEDS_REASON = _("Write why the agency refers the client.")
ALREADY_DECIDED = _("This referral has already been decided.")
DECLINE_NEEDS_REASON = _("Say why the referral is declined.")
NEEDS_CLIENT = _("Choose an existing person or register a new one.")
CLIENT_NOT_ACTIVE = _("This person's record was merged into another: choose that one.")
CASE_NOT_OPEN = _("Only an open case can take a referral: this one is closed or closing.")
CASE_OTHER_ORGANISATION = _("This case belongs to another organisation.")
NOT_A_REFERRAL_IN = _("This is not a referral in.")

# The channel a referral in opens a case with when the agency's name gives no better hint.
FALLBACK_CHANNEL = "dinsos-lain"
# Words in an agency's name that point to an intake channel (lower case).
CHANNEL_HINTS: Sequence[tuple[str, str]] = (
    ("slrt", "slrt-puskesos"),
    ("puskesos", "slrt-puskesos"),
    ("ppa", "uptd-ppa"),
    ("puskesmas", "rumah-sakit"),
    ("rumah sakit", "rumah-sakit"),
    ("rsud", "rumah-sakit"),
    ("polres", "polisi"),
    ("polsek", "polisi"),
    ("polisi", "polisi"),
    ("sekolah", "sekolah"),
    ("smp", "sekolah"),
    ("sma", "sekolah"),
    ("sd ", "sekolah"),
    ("dinas sosial", "dinsos-lain"),
    ("dinsos", "dinsos-lain"),
)

REFERRAL_IN_FIELDS = (
    "partner",
    "referrer_name",
    "referrer_contact",
    "external_reference",
    "client_name",
    "client_nik",
    "client_birth_date",
    "client_sex",
    "reason",
    "service",
    "status",
    "answer_due_on",
    "person",
    "case",
    "decline_reason",
)
# The client's name and what the referral says stay out of the trail (read without case access).
REDACTED = ("client_name", "client_nik", "client_birth_date", "reason", "decline_reason")


# -- reading ---------------------------------------------------------------------------------


def referrer_label(referral: Referral) -> str:
    """Who referred: the directory's partner or the name typed in."""
    if referral.partner_id is not None and referral.partner is not None:
        return referral.partner.name
    return referral.referrer_name


def is_waiting(referral: Referral) -> bool:
    return referral.status in WAITING


def intake_queue(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals in, the waiting ones first (soonest due first), then the decided ones."""
    waiting_first = models.Case(
        models.When(status__in=WAITING, then=models.Value(0)), default=models.Value(1)
    )
    return (
        referrals.filter(direction=Direction.IN)
        .select_related("partner", "case", "service")
        .order_by(waiting_first, "answer_due_on", "-sent_at", "-id")
    )


def client_nik_digits(referral: Referral) -> str:
    return parse_nik(referral.client_nik).number if referral.client_nik else ""


@dataclass(frozen=True)
class LikelyClient:
    """A registry person who may be the referred client, with why."""

    person: Person
    score: float
    reason_labels: list[str]

    @classmethod
    def from_draft(cls, match: duplicates.DraftMatch) -> LikelyClient:
        return cls(match.person, match.comparison.score, match.reason_labels)


def likely_clients(referral: Referral, *, user: User) -> list[LikelyClient]:
    """The registry's persons that may be the referred client, best first.

    The duplicate check runs on the name, the NIK, the birth date (as the
    agency gave it, else the one the NIK gives) and the sex. Without a birth date the matcher cannot tell two people of
    the same name apart, so the registry's name search adds its best hits.
    """
    digits = client_nik_digits(referral)
    birth_date = referral.client_birth_date or (parse_nik(digits).birth_date if digits else None)
    name = referral.client_name
    if not name.strip() and not digits:
        return []
    found = [
        LikelyClient.from_draft(match)
        for match in duplicates.likely_duplicates_for_draft(
            organisation=referral.organisation,
            full_name=name,
            birth_date=birth_date,
            sex=referral.client_sex,
            nik=digits,
        )
    ]
    if birth_date is None and name.strip():
        seen = {client.person.pk for client in found}
        hits = person_search_for_user(user=user, query=name, per_page=NAME_HITS).hits
        found += [
            LikelyClient(hit.person, hit.score, [str(reason) for reason in hit.reasons])
            for hit in hits
            if hit.person.pk not in seen and hit.person.organisation_id == referral.organisation_id
        ]
    return found


def open_cases_of(persons: Iterable[Person], reachable: QuerySet[Case]) -> QuerySet[Case]:
    return (
        reachable.filter(client__in=list(persons), status=CaseStatus.OPEN)
        .select_related("client")
        .order_by("-opened_on", "-id")
    )


def suggested_channel(referral: Referral) -> IntakeChannel | None:
    """The intake channel the agency's name points to ("another agency" by default)."""
    name = f" {referrer_label(referral).lower()} "
    code = next((code for word, code in CHANNEL_HINTS if word in name), FALLBACK_CHANNEL)
    return IntakeChannel.objects.filter(code=code, is_active=True).first()


# -- recording -------------------------------------------------------------------------------


def _checked_nik(value: str, today: datetime.date) -> str:
    if not value.strip():
        return ""
    result = parse_nik(value, today=today)
    if not result.valid:
        message = " ".join(str(problem.message) for problem in result.errors)
        raise DomainError(message, code="nik_invalid", field="client_nik")
    return result.number


@transaction.atomic
def referral_in_record(
    *,
    actor: User,
    organisation: Organisation,
    client_name: str,
    reason: str,
    partner: Partner | None = None,
    referrer_name: str = "",
    referrer_contact: str = "",
    external_reference: str = "",
    client_nik: str = "",
    client_birth_date: datetime.date | None = None,
    client_sex: str = "",
    service: ServiceType | None = None,
    today: datetime.date | None = None,
) -> Referral:
    """Record a referral that arrived from another agency: it waits at the intake desk."""
    today = today or timezone.localdate()
    if partner is None and not referrer_name.strip():
        raise DomainError(NEEDS_REFERRER, code="needs_referrer", field="referrer_name")
    if partner is not None and partner.organisation_id != organisation.pk:
        raise DomainError(PARTNER_NOT_IN_NETWORK, code="partner_elsewhere", field="partner")
    if not client_name.strip():
        raise DomainError(NEEDS_CLIENT_NAME, code="needs_client_name", field="client_name")
    if not reason.strip():
        raise DomainError(NEEDS_REASON, code="needs_reason", field="reason")
    nik = _checked_nik(client_nik, today)
    if client_birth_date is not None and client_birth_date > today:
        raise DomainError(BIRTH_DATE_IN_FUTURE, code="birth_date_future", field="client_birth_date")
    now = timezone.now()
    referral = Referral(
        organisation=organisation,
        direction=Direction.IN,
        number=referral_number_next(organisation, today.year),
        partner=partner,
        service=service,
        referrer_name=referrer_name.strip(),
        referrer_contact=referrer_contact.strip(),
        external_reference=external_reference.strip(),
        client_name=client_name.strip(),
        client_nik=nik,
        client_birth_date=client_birth_date,
        client_sex=client_sex,
        reason=reason.strip(),
        status=ReferralStatus.RECEIVED,
        sent_at=now,
        answer_due_on=today + datetime.timedelta(days=answer_days(organisation.pk)),
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, from_status="", to_status=referral.status, at=now, by=actor
    )
    audit_record(
        actor=actor,
        action=actions.REFERRAL_IN_RECORDED,
        target=referral,
        organisation=organisation,
        changes=field_diff({}, snapshot(referral, REFERRAL_IN_FIELDS), redact=REDACTED),
    )
    desk = User.objects.filter(
        organisation=organisation, role__in=[Role.INTAKE, Role.COORDINATOR], is_active=True
    ).exclude(pk=actor.pk)
    notify(
        recipients=desk,
        kind="referral_in_waiting",
        text=str(_("A referral in is waiting at the intake desk.")),
        url=reverse("referrals:intake_detail", args=[referral.public_id]),
    )
    return referral


# -- deciding --------------------------------------------------------------------------------


def _lock_waiting(referral: Referral, expected_version: int) -> Referral:
    """The referral locked for the decision; refused when decided or changed meanwhile."""
    current = lock_for_edit(referral)
    if current.direction != Direction.IN:
        raise DomainError(NOT_A_REFERRAL_IN, code="not_in")
    if not is_waiting(current):
        raise DomainError(ALREADY_DECIDED, code="already_decided")
    refuse_if_stale(current, expected_version)
    return current


def _decide(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    action: str,
    note: str = "",
    **fields: Any,
) -> Referral:
    if not may_answer(referral.status, to_status):
        raise DomainError(ALREADY_DECIDED, code="already_decided")
    before = snapshot(referral, REFERRAL_IN_FIELDS)
    from_status = referral.status
    now = timezone.now()
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = to_status
    referral.first_answer_at = referral.first_answer_at or now
    if to_status == ReferralStatus.DECLINED:
        referral.closed_at = now
    referral.version += 1
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, from_status=from_status, to_status=to_status, at=now, by=actor, note=note
    )
    audit_record(
        actor=actor,
        action=action,
        target=referral,
        organisation=referral.organisation,
        changes=field_diff(before, snapshot(referral, REFERRAL_IN_FIELDS), redact=REDACTED)
        | {"version": [referral.version - 1, referral.version]},
    )
    return referral


def _notify_lead(case: Case, referral: Referral, actor: User) -> None:
    if case.lead_counsellor is None or case.lead_counsellor_id == actor.pk:
        return
    notify(
        recipients=[case.lead_counsellor],
        kind="referral_in_accepted",
        text=str(
            _("A referral in (%(number)s) joined case %(case)s.")
            % {"number": referral.number or "—", "case": case.number}
        ),
        url=reverse("cases:case_detail", args=[case.public_id]),
    )


@transaction.atomic
def referral_in_accept_new_case(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    intake_channel: IntakeChannel,
    presenting_problem: str,
    pmks_categories: Iterable[PmksCategory],
    client: Person | None = None,
    new_client: Mapping[str, Any] | None = None,
    problem_types: Iterable[ProblemType] = (),
    lead_counsellor: User | None = None,
    today: datetime.date | None = None,
    **case_fields: Any,
) -> Referral:
    """Take the referral into a new case about an existing person or a newly registered one.

    ``new_client`` holds ``lk3.people.services.person_create``'s arguments;
    checking the registry for likely duplicates is the caller's step first.
    """
    today = today or timezone.localdate()
    current = _lock_waiting(referral, expected_version)
    if client is None and new_client is None:
        raise DomainError(NEEDS_CLIENT, code="needs_client", field="client")
    if client is not None:
        if client.organisation_id != current.organisation_id:
            raise DomainError(
                case_services.OTHER_ORGANISATION, code="other_organisation", field="client"
            )
        if client.status != PersonStatus.ACTIVE:
            raise DomainError(CLIENT_NOT_ACTIVE, code="merged_away", field="client")
    else:
        assert new_client is not None
        client = people_services.person_create(
            actor=actor, organisation=current.organisation, today=today, **new_client
        )
    case_fields.setdefault("referrer_name", referrer_label(current)[:200])
    case_fields.setdefault("referrer_contact", current.referrer_contact)
    case = case_services.case_open(
        actor=actor,
        organisation=current.organisation,
        client=client,
        intake_channel=intake_channel,
        presenting_problem=presenting_problem,
        pmks_categories=pmks_categories,
        problem_types=problem_types,
        lead_counsellor=lead_counsellor,
        today=today,
        **case_fields,
    )
    accepted = _decide(
        actor=actor,
        referral=current,
        to_status=ReferralStatus.ACCEPTED,
        action=actions.REFERRAL_IN_ACCEPTED,
        person=client,
        case=case,
    )
    _notify_lead(case, accepted, actor)
    return accepted


@transaction.atomic
def referral_in_accept_existing_case(
    *, actor: User, referral: Referral, expected_version: int, case: Case
) -> Referral:
    """Join the referral to an open case the desk already has for the client."""
    current = _lock_waiting(referral, expected_version)
    if case.organisation_id != current.organisation_id:
        raise DomainError(CASE_OTHER_ORGANISATION, code="other_organisation", field="case")
    if case.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, code="not_open", field="case")
    accepted = _decide(
        actor=actor,
        referral=current,
        to_status=ReferralStatus.ACCEPTED,
        action=actions.REFERRAL_IN_ACCEPTED,
        person=case.client,
        case=case,
    )
    _notify_lead(case, accepted, actor)
    return accepted


@transaction.atomic
def referral_in_decline(
    *, actor: User, referral: Referral, expected_version: int, reason: str
) -> Referral:
    current = _lock_waiting(referral, expected_version)
    if not reason.strip():
        raise DomainError(DECLINE_NEEDS_REASON, code="needs_reason", field="decline_reason")
    return _decide(
        actor=actor,
        referral=current,
        to_status=ReferralStatus.DECLINED,
        action=actions.REFERRAL_IN_DECLINED,
        decline_reason=reason.strip(),
    )
