"""Referrals out: sending a case's client to a partner, the partner's answers, revoking.

Rules:
- A referral is sent from an open case by whoever may work on it
  (``cases.permissions.can_work_on``) to an active partner of the case's
  organisation's directory whose MoU/PKS has not ended
  (``partners.agreement_refusal``).
- Nothing is shared without a basis (UU PDP): the client's data-sharing
  consent (for a family case, the family head's; a child's is given by a
  parent or guardian), not withdrawn and given on or before the day of
  sending, or another legal basis with a note saying why.
- What is shared is chosen item by item (the identity minimum by default):
  the partner sees a snapshot of exactly those items taken when the
  referral was sent (``shared_summary``) and the reason, never the live
  person or case.
- Numbers are ``RJ-<year>-<sequence>`` per organisation and year, from a
  locked counter row; never reused. A double-clicked "send" (same one-time
  token) creates one referral.
- The partner's staff answer (``transitions.may_answer``): declining needs a
  reason, completing needs feedback; a final referral (declined, completed,
  revoked) takes no more answers. The sender revokes, with a reason.
- Every write is atomic and audited; answers and revokes take the version
  the user saw (stale ones are refused with what changed) and repeating the
  move the referral already made is a no-op. The other side is notified
  with a text that carries no case content.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record, refuse_if_stale
from lk3.cases.models import Case, CaseStatus
from lk3.cases.permissions import can_work_on
from lk3.core.concurrency import lock_for_edit
from lk3.core.counters import counter_take
from lk3.core.errors import DomainError
from lk3.core.models import ServiceType
from lk3.people.models import (
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Family,
    FamilyMembership,
    Person,
    Relationship,
)
from lk3.referrals import transitions
from lk3.referrals.models import (
    Direction,
    LegalBasis,
    Partner,
    Referral,
    ReferralEvent,
    ReferralNumberCounter,
    ReferralSettings,
    ReferralStatus,
    SharedItem,
)
from lk3.referrals.notifications import notify
from lk3.referrals.partners import agreement_refusal
from lk3.referrals.permissions import partner_of

# Audit action codes (to be added to lk3.audit.actions with their labels).

NUMBER_FORMAT = "RJ-{year}-{sequence:04d}"
DEFAULT_ANSWER_DAYS = 3
MINIMUM_ITEMS = (SharedItem.NAME, SharedItem.SEX, SharedItem.BIRTH_DATE)

CASE_NOT_OPEN = _("Only an open case can be referred.")
PARTNER_NOT_IN_DIRECTORY = _("Choose a partner from your organisation's directory.")
PARTNER_DOES_NOT_OFFER = _("This partner does not offer that service.")
NEEDS_SERVICE = _("Choose the service the client is referred for.")
NEEDS_REASON = _("Say why the client is referred.")
NEEDS_ITEMS = _("Choose at least one item of information to share.")
UNKNOWN_ITEM = _("Choose the information to share from the list.")
UNKNOWN_BASIS = _("Choose the legal basis for sharing the client's information.")
NEEDS_CONSENT = _(
    "Sharing needs the client's recorded consent to share data with partners "
    "(a parent or guardian's for a child), or another legal basis with a note."
)
CONSENT_NOT_OF_CLIENT = _("This consent is not the client's.")
CONSENT_WRONG_PURPOSE = _("This consent is not for sharing data with referral partners.")
CONSENT_WITHDRAWN = _(
    "This consent was withdrawn on %(date)s: record a new one or choose another legal basis."
)
CONSENT_NOT_YET = _("This consent is dated after today.")
CONSENT_CHILD_SELF = _("A child's consent must be given by a parent or guardian.")
NEEDS_BASIS_NOTE = _("Explain why the information may be shared without consent.")
NO_SUBJECT = _("This case has no client or family head whose information could be shared.")
ANSWER_NOT_ALLOWED = _("A referral that is %(current)s cannot be marked %(target)s.")
ANSWER_REVOKED = _("The LK3 revoked this referral: it takes no more answers.")
ANSWER_FINAL = _("This referral is already %(current)s: it takes no more answers.")
DECLINE_NEEDS_REASON = _("Say why the referral is declined.")
COMPLETE_NEEDS_FEEDBACK = _("Write feedback on the service given before completing.")
REVOKE_NEEDS_REASON = _("Say why the referral is revoked.")
REVOKE_NOT_ALLOWED = _("A referral that is %(current)s can no longer be revoked.")

S = ReferralStatus


# -- numbers ---------------------------------------------------------------------------------


def referral_number_next(organisation: Organisation, year: int) -> str:
    """The next referral number; the caller's transaction holds the counter's lock."""
    sequence = counter_take(ReferralNumberCounter, organisation, year)
    return NUMBER_FORMAT.format(year=year, sequence=sequence)


def answer_days(organisation_id: int) -> int:
    found = ReferralSettings.objects.filter(organisation_id=organisation_id).first()
    return found.answer_days if found else DEFAULT_ANSWER_DAYS


# -- who the referral is about ---------------------------------------------------------------


def family_head(family: Family) -> Person | None:
    membership = (
        FamilyMembership.objects.filter(
            family=family, relationship=Relationship.HEAD, ended_on__isnull=True
        )
        .select_related("person")
        .first()
    )
    return membership.person if membership is not None else None


def subject_of(case: Case) -> Person | None:
    """Whose information a referral shares: the client, or for a family case the family head."""
    if case.client_id is not None:
        return case.client
    if case.family_id is not None:
        return family_head(case.family)  # type: ignore[arg-type]
    return None


def valid_consents(person: Person | None, today: datetime.date) -> list[Consent]:
    """The person's data-sharing consents that hold today, newest first."""
    if person is None:
        return []
    consents = Consent.objects.filter(
        person=person,
        purpose=ConsentPurpose.DATA_SHARING,
        withdrawn_on__isnull=True,
        given_on__lte=today,
    ).order_by("-given_on", "-id")
    if person.is_child_on(today):
        consents = consents.exclude(given_by=ConsentGiver.SELF)
    return list(consents)


def _check_consent(consent: Consent | None, subject: Person, today: datetime.date) -> None:
    if consent is None:
        raise DomainError(NEEDS_CONSENT, code="needs_consent", field="consent")
    if consent.person_id != subject.pk:
        raise DomainError(CONSENT_NOT_OF_CLIENT, code="consent_not_of_client", field="consent")
    if consent.purpose != ConsentPurpose.DATA_SHARING:
        raise DomainError(CONSENT_WRONG_PURPOSE, code="consent_wrong_purpose", field="consent")
    if consent.withdrawn_on is not None:
        raise DomainError(
            CONSENT_WITHDRAWN,
            code="consent_withdrawn",
            field="consent",
            params={"date": date_format(consent.withdrawn_on, "j F Y")},
        )
    if consent.given_on > today:
        raise DomainError(CONSENT_NOT_YET, code="consent_not_yet", field="consent")
    if subject.is_child_on(today) and consent.given_by == ConsentGiver.SELF:
        raise DomainError(CONSENT_CHILD_SELF, code="consent_child_self", field="consent")


def _check_basis(
    legal_basis: str,
    consent: Consent | None,
    note: str,
    subject: Person,
    today: datetime.date,
) -> Consent | None:
    if legal_basis not in LegalBasis.values:
        raise DomainError(UNKNOWN_BASIS, code="unknown_basis", field="legal_basis")
    if legal_basis == LegalBasis.CONSENT:
        _check_consent(consent, subject, today)
        return consent
    if not note.strip():
        raise DomainError(NEEDS_BASIS_NOTE, code="needs_basis_note", field="legal_basis_note")
    return None


def _clean_items(shared_items: Iterable[str]) -> list[str]:
    chosen = set(shared_items)
    if not chosen:
        raise DomainError(NEEDS_ITEMS, code="needs_items", field="shared_items")
    if not chosen <= set(SharedItem.values):
        raise DomainError(UNKNOWN_ITEM, code="unknown_item", field="shared_items")
    # In the list's order, so the snapshot always reads the same way.
    return [item for item in SharedItem.values if item in chosen]


# -- the snapshot the partner sees -----------------------------------------------------------


def shared_snapshot(case: Case, subject: Person, items: Iterable[str], today: datetime.date) -> str:
    """A text of exactly the chosen items, as they are today."""
    lines = []
    for item in items:
        value = _item_value(case, subject, item, today)
        label = SharedItem(item).label
        lines.append(f"{label}: {value or '—'}")
    return "\n".join(lines)


def _item_value(case: Case, person: Person, item: str, today: datetime.date) -> str:
    if item == SharedItem.NAME:
        return person.full_name
    if item == SharedItem.SEX:
        return str(person.get_sex_display())
    if item == SharedItem.BIRTH_DATE:
        return _birth(person, today)
    if item == SharedItem.CONTACT:
        return ", ".join(phone.number for phone in person.phones.all())
    if item == SharedItem.ADDRESS:
        return _address(person)
    if item == SharedItem.NIK:
        return person.nik
    if item == SharedItem.FAMILY:
        return _family(case, person)
    if item == SharedItem.PROBLEM:
        return case.presenting_problem
    if item == SharedItem.RISK:
        return str(case.get_risk_level_display())
    return ""


def _birth(person: Person, today: datetime.date) -> str:
    if person.birth_date is None:
        return ""
    text = date_format(person.birth_date, "j F Y")
    age = person.age_on(today)
    details = [_g("%(age)s years old") % {"age": age}] if age is not None else []
    if person.birth_date_is_estimated:
        details.append(_g("estimated"))
    return f"{text} ({', '.join(details)})" if details else text


def _address(person: Person) -> str:
    parts = [person.address]
    if person.rt or person.rw:
        parts.append(f"RT {person.rt or '-'}/RW {person.rw or '-'}")
    if person.domicile_village_id:
        parts.append(str(getattr(person.domicile_village, "name", "")))
    return ", ".join(part for part in parts if part)


def _family(case: Case, person: Person) -> str:
    family_id = case.family_id
    if family_id is None:
        current = person.memberships.filter(ended_on__isnull=True).first()
        family_id = current.family_id if current is not None else None
    if family_id is None:
        return ""
    members = (
        FamilyMembership.objects.filter(family_id=family_id, ended_on__isnull=True)
        .exclude(person=person)
        .select_related("person")
        .order_by("id")
    )
    return "; ".join(
        f"{member.person.full_name} ({member.get_relationship_display()})" for member in members
    )


# -- notifications ---------------------------------------------------------------------------


def partner_staff(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(partner_membership__partner=partner, is_active=True, role="partner")
    )


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", kwargs={"public_id": referral.public_id})


def _case_workers(referral: Referral) -> list[User]:
    """Who hears of a partner's answer: the case's lead counsellor, else who sent it."""
    case = referral.case
    if case is not None and case.lead_counsellor is not None:
        return [case.lead_counsellor]
    return [referral.created_by]


# -- sending ---------------------------------------------------------------------------------


def _already_sent(actor: User, token: uuid.UUID | str | None) -> Referral | None:
    """The referral a double-submitted form (same token) already sent, if any."""
    key = _token_or_none(token)
    if key is None:
        return None
    return Referral.objects.filter(created_by=actor, send_token=key).first()


def _token_or_none(token: uuid.UUID | str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(token)) if token else None
    except ValueError:
        return None


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    partner: Partner,
    service: ServiceType | None,
    reason: str,
    shared_items: Iterable[str],
    legal_basis: str,
    consent: Consent | None = None,
    legal_basis_note: str = "",
    token: uuid.UUID | str | None = None,
    today: datetime.date | None = None,
) -> Referral:
    today = today or timezone.localdate()
    if not can_work_on(actor, case) or actor.organisation_id != case.organisation_id:
        raise PermissionDenied
    existing = _already_sent(actor, token)
    if existing is not None:
        return existing
    if case.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, code="not_open")
    if partner.organisation_id != case.organisation_id:
        raise DomainError(PARTNER_NOT_IN_DIRECTORY, code="other_directory", field="partner")
    refusal = agreement_refusal(partner, today)
    if refusal is not None:
        raise DomainError(refusal, code="partner_refused", field="partner")
    if service is None:
        raise DomainError(NEEDS_SERVICE, code="needs_service", field="service")
    offered = set(partner.services.values_list("pk", flat=True))
    if offered and service.pk not in offered:
        raise DomainError(PARTNER_DOES_NOT_OFFER, code="not_offered", field="service")
    if not reason.strip():
        raise DomainError(NEEDS_REASON, code="needs_reason", field="reason")
    items = _clean_items(shared_items)
    subject = subject_of(case)
    if subject is None:
        raise DomainError(NO_SUBJECT, code="no_subject")
    consent = _check_basis(legal_basis, consent, legal_basis_note, subject, today)
    # Taking the counter's lock first serialises two sends of the same form:
    # the second then finds the first's referral by its token and returns it.
    number = referral_number_next(case.organisation, today.year)
    existing = _already_sent(actor, token)
    if existing is not None:
        transaction.set_rollback(True)
        return existing
    now = timezone.now()
    referral = Referral.objects.create(
        organisation=case.organisation,
        direction=Direction.OUT,
        number=number,
        case=case,
        person=subject,
        partner=partner,
        service=service,
        reason=reason.strip(),
        shared_items=items,
        shared_summary=shared_snapshot(case, subject, items, today),
        legal_basis=legal_basis,
        legal_basis_note=legal_basis_note.strip() if legal_basis != LegalBasis.CONSENT else "",
        consent=consent,
        status=S.SENT,
        sent_at=now,
        answer_due_on=today + datetime.timedelta(days=answer_days(case.organisation_id)),
        created_by=actor,
        send_token=_token_or_none(token),
    )
    ReferralEvent.objects.create(
        referral=referral, from_status="", to_status=S.SENT, at=now, by=actor
    )
    changes: dict[str, Any] = {
        "number": [None, number],
        "partner": [None, str(partner.public_id)],
        "service": [None, service.code],
        "shared_items": [None, items],
        "legal_basis": [None, legal_basis],
        "consent": [None, str(consent.public_id) if consent else None],
        "reason": ["***", "***"],
    }
    audit_record(
        actor=actor,
        action=actions.REFERRAL_SENT,
        target=referral,
        organisation=case.organisation,
        changes=changes,
    )
    notify(
        recipients=partner_staff(partner),
        kind="referral_sent",
        text=_g("New referral %(number)s from %(organisation)s is waiting for your answer.")
        % {"number": number, "organisation": case.organisation},
        url=_detail_url(referral),
    )
    return referral


# -- answers ---------------------------------------------------------------------------------


def _move(
    actor: User,
    current: Referral,
    to_status: str,
    note: str,
    *,
    action: str,
    extra: dict[str, Any] | None = None,
) -> Referral:
    now = timezone.now()
    from_status = current.status
    current.status = to_status
    current.version += 1
    fields = ["status", "version", "updated_at"]
    if to_status in transitions.FINAL:
        current.closed_at = now
        fields.append("closed_at")
    for name, value in (extra or {}).items():
        setattr(current, name, value)
        fields.append(name)
    current.save(update_fields=fields)
    ReferralEvent.objects.create(
        referral=current, from_status=from_status, to_status=to_status, at=now, by=actor, note=note
    )
    changes: dict[str, Any] = {
        "status": [from_status, to_status],
        "version": [current.version - 1, current.version],
    }
    if note:
        changes["note"] = ["***", "***"]
    audit_record(
        actor=actor,
        action=action,
        target=current,
        organisation=current.organisation,
        changes=changes,
    )
    return current


@transaction.atomic
def referral_answer(
    *, actor: User, referral: Referral, to_status: str, text: str = "", expected_version: int
) -> Referral:
    """The partner's staff answer: received, accepted, declined, in service, completed."""
    partner = partner_of(actor)
    if partner is None or partner.pk != referral.partner_id:
        raise PermissionDenied
    current = lock_for_edit(referral)
    if current.status == to_status:
        return current  # A double-submitted answer.
    if current.status == S.REVOKED:
        raise DomainError(ANSWER_REVOKED, code="revoked")
    if current.status in transitions.FINAL:
        raise DomainError(
            ANSWER_FINAL, code="final", params={"current": current.get_status_display()}
        )
    if not transitions.may_answer(current.status, to_status):
        raise DomainError(
            ANSWER_NOT_ALLOWED,
            code="not_allowed",
            field="to_status",
            params={
                "current": current.get_status_display(),
                "target": S(to_status).label if to_status in S.values else to_status,
            },
        )
    refuse_if_stale(current, expected_version)
    text = text.strip()
    extra: dict[str, Any] = {}
    if to_status == S.DECLINED:
        if not text:
            raise DomainError(DECLINE_NEEDS_REASON, code="needs_reason", field="text")
        extra["decline_reason"] = text
    if to_status == S.COMPLETED:
        if not text:
            raise DomainError(COMPLETE_NEEDS_FEEDBACK, code="needs_feedback", field="text")
        extra["feedback"] = text
    if current.first_answer_at is None:
        extra["first_answer_at"] = timezone.now()
    current = _move(actor, current, to_status, text, action=actions.REFERRAL_ANSWERED, extra=extra)
    notify(
        recipients=_case_workers(current),
        kind="referral_answered",
        text=_g("%(partner)s marked referral %(number)s as %(status)s.")
        % {
            "partner": current.partner,
            "number": current.number,
            "status": current.get_status_display(),
        },
        url=_detail_url(current),
    )
    return current


@transaction.atomic
def referral_revoke(
    *, actor: User, referral: Referral, reason: str, expected_version: int
) -> Referral:
    """The sender takes the referral back (the partner is told)."""
    case = referral.case
    if case is None or not can_work_on(actor, case):
        raise PermissionDenied
    current = lock_for_edit(referral)
    if current.status == S.REVOKED:
        return current  # A double-submitted revoke.
    if not transitions.may_revoke(current.status):
        raise DomainError(
            REVOKE_NOT_ALLOWED,
            code="not_revocable",
            params={"current": current.get_status_display()},
        )
    refuse_if_stale(current, expected_version)
    if not reason.strip():
        raise DomainError(REVOKE_NEEDS_REASON, code="needs_reason", field="reason")
    current = _move(actor, current, S.REVOKED, reason.strip(), action=actions.REFERRAL_REVOKED)
    if current.partner is not None:
        notify(
            recipients=partner_staff(current.partner),
            kind="referral_revoked",
            text=_g("%(organisation)s revoked referral %(number)s.")
            % {"organisation": current.organisation, "number": current.number},
            url=_detail_url(current),
        )
    return current
