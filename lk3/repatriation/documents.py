"""The letters of a return: covering letter, the person's statement, the handover record.

Rules:
- Each document is a letter of the organisation's one register
  (``referrals.letters.letter_issue``): numbered, rendered in Indonesian,
  stored with its SHA-256 and verifiable by its QR code.
- The covering letter (surat pengantar) and the handover record (berita
  acara serah terima) need an approved return plan; they list every
  traveller. The statement (surat pernyataan) is one traveller's (a member
  whose decision is "return home") and needs a plan to agree to.
- Issuing the same kind (for the same member) again while nothing it shows
  changed since (the plan, the travellers) returns the document already
  issued: a double submit is harmless. After a change a new letter is issued.
- Issuing is audited on the group in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.referrals import letter_pdf
from lk3.referrals.letters import letter_issue
from lk3.referrals.models import LetterKind
from lk3.regions.models import Region
from lk3.regions.selectors import region_by_code, region_path
from lk3.repatriation.models import (
    Decision,
    DocumentKind,
    PlanStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
)
from lk3.repatriation.plans import travellers_of

BODY_TEMPLATES = {
    DocumentKind.COVERING: "repatriation/letters/covering.html",
    DocumentKind.STATEMENT: "repatriation/letters/statement.html",
    DocumentKind.HANDOVER: "repatriation/letters/handover.html",
}
LETTER_KINDS = {
    DocumentKind.COVERING: LetterKind.COVERING,
    DocumentKind.STATEMENT: LetterKind.STATEMENT,
    DocumentKind.HANDOVER: LetterKind.HANDOVER,
}

DOCUMENT_KIND_UNKNOWN = gettext_lazy("Choose which document to issue.")
NEEDS_APPROVED_PLAN = gettext_lazy(
    "This document is issued once the coordinator has approved the return plan."
)
NEEDS_PLAN = gettext_lazy("Save the return plan first: the statement agrees to it.")
NEEDS_TRAVELLER = gettext_lazy("Choose the person who returns home and makes the statement.")
NOT_A_TRAVELLER = gettext_lazy("A statement is made by a person of this group who returns home.")


@dataclass(frozen=True)
class Traveller:
    """A traveller as the letters print them."""

    name: str
    nik: str
    sex: str
    age: int | None
    birth_place: str
    birth_date_text: str
    origin: str
    stated_origin: str


def origin_text(member: StrandedPerson) -> str:
    """The origin's region names, smallest first ("Kota Kulon, Garut Kota, Kabupaten Garut, ...")."""
    code = member.origin_region_id or member.origin_regency_code or member.origin_province_code
    region: Region | None = region_by_code(code) if code else None
    if region is None:
        return member.stated_origin
    return ", ".join(item.name for item in reversed(region_path(region)))


def _traveller(member: StrandedPerson, day: datetime.date) -> Traveller:
    person = member.person
    return Traveller(
        name=person.full_name,
        nik=person.nik or "",
        sex=str(person.get_sex_display()),
        age=person.age_on(day),
        birth_place=person.birth_place,
        birth_date_text=letter_pdf.indonesian_date(person.birth_date) if person.birth_date else "",
        origin=origin_text(member),
        stated_origin=member.stated_origin,
    )


def _plan_facts(plan: ReturnPlan) -> dict[str, Any]:
    return {
        "plan": plan,
        "mode_text": str(plan.get_mode_display()),
        "departure_text": letter_pdf.indonesian_date(plan.departure_on)
        if plan.departure_on
        else "",
    }


def _latest_change(plan: ReturnPlan, members: list[StrandedPerson]) -> datetime.datetime:
    return max([plan.updated_at, *(member.updated_at for member in members)])


def default_signatory(user: User) -> tuple[str, str]:
    """The issuer's name and role, as printed under the signature (in Indonesian)."""
    with translation.override(letter_pdf.LETTER_LANGUAGE):
        role = str(Role(user.role).label) if user.role in Role.values else ""
    organisation = user.organisation
    position = f"{role} {organisation.short_name}".strip() if organisation else role
    return user.full_name, position


def _check(
    group: StrandedGroup, kind: str, member: StrandedPerson | None
) -> tuple[ReturnPlan, list[StrandedPerson]]:
    if kind not in DocumentKind.values:
        raise DomainError(DOCUMENT_KIND_UNKNOWN, code="kind_unknown", field="kind")
    plan = ReturnPlan.objects.filter(group=group).select_related("receiving_organisation").first()
    if kind == DocumentKind.STATEMENT:
        if member is None:
            raise DomainError(NEEDS_TRAVELLER, code="member_required", field="member")
        if member.group_id != group.pk or member.decision != Decision.RETURN_HOME:
            raise DomainError(NOT_A_TRAVELLER, code="not_a_traveller", field="member")
        if plan is None:
            raise DomainError(NEEDS_PLAN, code="plan_required")
        return plan, [
            StrandedPerson.objects.select_related("person", "origin_region").get(pk=member.pk)
        ]
    if plan is None or plan.status != PlanStatus.APPROVED:
        raise DomainError(NEEDS_APPROVED_PLAN, code="plan_not_approved")
    return plan, list(travellers_of(group))


def _subject(kind: str, group: StrandedGroup, plan: ReturnPlan, travellers: list[Traveller]) -> str:
    with translation.override(letter_pdf.LETTER_LANGUAGE):
        if kind == DocumentKind.COVERING:
            return gettext("Return of stranded people to %(agency)s") % {
                "agency": plan.receiving_agency
            }
        if kind == DocumentKind.STATEMENT:
            return gettext("Statement of a stranded person asking to return home: %(name)s") % {
                "name": travellers[0].name
            }
        return gettext("Record of the handover of stranded people (%(number)s)") % {
            "number": group.number
        }


@transaction.atomic
def document_issue(
    *,
    actor: User,
    group: StrandedGroup,
    kind: str,
    member: StrandedPerson | None = None,
    signatory_name: str,
    signatory_position: str,
    dated: datetime.date | None = None,
) -> RepatriationDocument:
    """Issue one document of a return (or return the same one issued a moment ago)."""
    dated = dated or timezone.localdate()
    current = lock_for_edit(group)
    plan, members = _check(current, kind, member)
    chosen = members[0] if kind == DocumentKind.STATEMENT else None
    existing = (
        RepatriationDocument.objects.filter(group=current, kind=kind, member=chosen)
        .select_related("letter")
        .order_by("-pk")
        .first()
    )
    if existing is not None and existing.letter.created_at >= _latest_change(plan, members):
        return existing
    with translation.override(letter_pdf.LETTER_LANGUAGE):
        travellers = [_traveller(item, dated) for item in members]
        facts = _plan_facts(plan)
        found_on_text = letter_pdf.indonesian_date(current.found_on)
    letter = letter_issue(
        actor=actor,
        organisation=current.organisation,
        kind=LETTER_KINDS[DocumentKind(kind)],
        subject=_subject(kind, current, plan, travellers),
        dated=dated,
        signatory_name=signatory_name,
        signatory_position=signatory_position,
        body_template=BODY_TEMPLATES[DocumentKind(kind)],
        context={
            **facts,
            "group": current,
            "travellers": travellers,
            "traveller": travellers[0] if travellers else None,
            "found_on_text": found_on_text,
            "sender": current.organisation,
            "signatures_in_body": kind == DocumentKind.HANDOVER,
        },
    )
    document = RepatriationDocument.objects.create(
        group=current, member=chosen, kind=kind, letter=letter
    )
    audit_record(
        actor=actor,
        action=actions.REPATRIATION_DOCUMENT_ISSUED,
        target=current,
        organisation=current.organisation,
        changes={
            "kind": [None, kind],
            "letter": [None, letter.number],
            "member": [None, str(chosen.public_id) if chosen else None],
        },
    )
    return document


def documents_of(group: StrandedGroup) -> list[RepatriationDocument]:
    return list(
        RepatriationDocument.objects.filter(group=group)
        .select_related("letter", "member__person")
        .order_by("-letter__year", "-letter__sequence")
    )
