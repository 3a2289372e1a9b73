"""The letter register: numbers, issuing letters as PDFs, referral letters (surat rujukan).

Rules:
- Each organisation numbers its letters per year from a locked counter row
  (``letter_number_take``), in the transaction that writes the letter:
  numbers are never reused and two letters issued at once never share one.
- The printed number follows ``LETTER_NUMBER_PATTERN``
  (``012/LK3-BTG/XI/2026``); the sequence and the year are what make it unique.
- A letter is rendered once, when it is issued (``letter_pdf``); its PDF is
  kept in the private storage with its SHA-256, and the register row and the
  audit event are written in the same transaction. If saving fails the file
  is removed again: nothing is half-saved.
- Each letter has a random verification code (``secrets.token_urlsafe``);
  its QR code leads to a public page that says the letter is genuine
  (number, date, kind, organisation, signatory) and never what it says.
- A referral letter is issued for a referral out by whoever may work on the
  referral's case (``cases.permissions.can_work_on``; never partner staff).
  It tells the partner the service, the reason and only the snapshot the
  referral shared (``Referral.shared_summary``), and names the case's lead
  counsellor as the contact. A revoked or declined referral gets no letter.
  The same form sent twice (same referral, signatory and date within
  ``DOUBLE_SUBMIT_WINDOW``) returns the letter already issued.
- Who gets a letter's PDF: for a referral letter, whoever reaches its
  referral (``referral_get_for_user``: the LK3 side through the case, and the
  partner it is addressed to); for any other letter, the organisation's
  coordinator and user administrator. The register (what was issued, never
  the content) is for the coordinator and the user administrator.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from lk3.accounts.models import Organisation, User
from lk3.accounts.permissions import is_active_member
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases.permissions import can_work_on, is_coordinator
from lk3.core.counters import counter_take
from lk3.core.errors import DomainError
from lk3.referrals import letter_pdf
from lk3.referrals.models import (
    Direction,
    Letter,
    LetterKind,
    LetterNumberCounter,
    Referral,
    ReferralStatus,
)
from lk3.referrals.permissions import partner_of, referral_get_for_user, referrals_for_user

LETTER_NUMBER_PATTERN = "{sequence:03d}/LK3-{code}/{month}/{year}"
"""How a letter number is printed, Indonesian office style: ``012/LK3-BTG/XI/2026``.

Fields: ``sequence`` (the letter's place in the organisation's register for
the year), ``code`` (the organisation's letter code, ``letter_code``),
``month`` (the letter's month in Roman numerals) and ``year``. It becomes a
per-organisation setting later; whatever the pattern, the organisation, year
and sequence are what make a number unique.
"""

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Words of an organisation's short name that are not its place ("LK3 Bontang").
NOT_PLACE_WORDS = frozenset({"LK3", "KOTA", "KABUPATEN", "KAB", "DINSOS"})
REFERRAL_LETTER_BODY = "referrals/letters/_body_referral.html"
# A plain letter: ``context`` gives ``addressee`` (optional) and ``paragraphs`` (texts).
TEXT_LETTER_BODY = "referrals/letters/_body_text.html"
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)
# secrets.token_urlsafe(24): 32 characters of the URL-safe base64 alphabet.
VERIFICATION_CODE = re.compile(r"[A-Za-z0-9_-]{32}")
REGISTER_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})

KIND_UNKNOWN = gettext_lazy("Choose what kind of letter this is.")
SUBJECT_REQUIRED = gettext_lazy("Write the letter's subject.")
SIGNATORY_NAME_REQUIRED = gettext_lazy("Write the name of the person who signs the letter.")
SIGNATORY_POSITION_REQUIRED = gettext_lazy("Write the position of the person who signs the letter.")
NOT_A_REFERRAL_OUT = gettext_lazy("A referral letter is only issued for a referral to a partner.")
REFERRAL_ENDED = gettext_lazy(
    "This referral was revoked or declined: no referral letter can be issued for it."
)


# -- numbers ---------------------------------------------------------------------------------


def letter_code(organisation: Organisation) -> str:
    """The organisation's short code in letter numbers ("BTG" for LK3 Bontang).

    The organisation's own ``letter_code`` when set; else made from the place
    in its short name: the first, middle and last consonant, as Indonesian
    offices abbreviate (Bontang BTG, Balikpapan BPN).
    """
    if organisation.letter_code:
        return organisation.letter_code.upper()
    words = re.findall(r"[A-Za-z0-9]+", organisation.short_name or organisation.name)
    places = [word for word in words if word.upper() not in NOT_PLACE_WORDS]
    place = (places[-1] if places else str(organisation.pk)).upper()
    consonants = [letter for letter in place if letter.isalpha() and letter not in "AEIOU"]
    if len(consonants) < 3:
        return place[:3]
    return consonants[0] + consonants[len(consonants) // 2] + consonants[-1]


def letter_number_take(organisation: Organisation, dated: datetime.date) -> tuple[int, int]:
    """The year and the next sequence of the organisation's register; the caller's transaction holds the lock."""
    return dated.year, counter_take(LetterNumberCounter, organisation, dated.year)


def letter_number_format(organisation: Organisation, *, sequence: int, dated: datetime.date) -> str:
    return LETTER_NUMBER_PATTERN.format(
        sequence=sequence,
        code=letter_code(organisation),
        month=ROMAN_MONTHS[dated.month - 1],
        year=dated.year,
    )


# -- issuing ---------------------------------------------------------------------------------


def _required(value: str, message: Any, field: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise DomainError(message, code=f"{field}_required", field=field)
    return text


@transaction.atomic
def letter_issue(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    subject: str,
    dated: datetime.date,
    signatory_name: str,
    signatory_position: str,
    body_template: str,
    context: Mapping[str, Any],
    referral: Referral | None = None,
) -> Letter:
    """Number, render, store and register a letter; ``body_template`` is the part between
    the subject and the signature, rendered with ``context`` in Indonesian."""
    if kind not in LetterKind.values:
        raise DomainError(KIND_UNKNOWN, code="kind_unknown", field="kind")
    letter = Letter(
        organisation=organisation,
        kind=kind,
        dated=dated,
        subject=_required(subject, SUBJECT_REQUIRED, "subject"),
        signatory_name=_required(signatory_name, SIGNATORY_NAME_REQUIRED, "signatory_name"),
        signatory_position=_required(
            signatory_position, SIGNATORY_POSITION_REQUIRED, "signatory_position"
        ),
        verification_code=secrets.token_urlsafe(24),
        referral=referral,
        created_by=actor,
    )
    letter.full_clean(exclude=["year", "sequence", "number", "sha256", "pdf"])
    letter.year, letter.sequence = letter_number_take(organisation, dated)
    letter.number = letter_number_format(organisation, sequence=letter.sequence, dated=dated)
    pdf = letter_pdf.pdf_from_html(
        letter_pdf.letter_html(
            organisation=organisation,
            number=letter.number,
            dated=dated,
            subject=letter.subject,
            signatory_name=letter.signatory_name,
            signatory_position=letter.signatory_position,
            verification_code=letter.verification_code,
            body_template=body_template,
            context=context,
        )
    )
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    try:
        letter.full_clean()
        letter.save()
        audit_record(
            actor=actor,
            action=actions.LETTER_ISSUED,
            target=letter,
            organisation=organisation,
            changes={
                "number": [None, letter.number],
                "kind": [None, kind],
                "dated": [None, dated.isoformat()],
                "subject": [None, letter.subject],
                "signatory_name": [None, letter.signatory_name],
                "signatory_position": [None, letter.signatory_position],
                "referral": [None, str(referral.public_id) if referral else None],
                "sha256": [None, letter.sha256],
            },
        )
    except BaseException:
        letter.pdf.storage.delete(letter.pdf.name)
        raise
    return letter


def default_signatory(organisation: Organisation) -> tuple[str, str]:
    """Who signs unless the issuer says otherwise: the organisation's coordinator."""
    coordinator = (
        User.objects.filter(organisation=organisation, role=Role.COORDINATOR, is_active=True)
        .order_by("full_name", "pk")
        .first()
    )
    if coordinator is None:
        return "", ""
    with translation.override(letter_pdf.LETTER_LANGUAGE):
        position = gettext("Coordinator of %(organisation)s") % {
            "organisation": organisation.short_name or organisation.name
        }
    return coordinator.full_name, position


@transaction.atomic
def referral_letter_issue(
    *,
    actor: User,
    referral: Referral,
    signatory_name: str,
    signatory_position: str,
    dated: datetime.date | None = None,
) -> Letter:
    """The surat rujukan of a referral out, addressed to its partner."""
    dated = dated or timezone.localdate()
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    partner, case = current.partner, current.case
    if current.direction != Direction.OUT or partner is None or case is None:
        raise DomainError(NOT_A_REFERRAL_OUT, code="not_referral_out")
    if current.status in (ReferralStatus.REVOKED, ReferralStatus.DECLINED):
        raise DomainError(REFERRAL_ENDED, code="referral_ended")
    name = " ".join((signatory_name or "").split())
    position = " ".join((signatory_position or "").split())
    just_issued = Letter.objects.filter(
        referral=current,
        kind=LetterKind.REFERRAL,
        dated=dated,
        signatory_name=name,
        signatory_position=position,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if just_issued is not None:
        return just_issued
    with translation.override(letter_pdf.LETTER_LANGUAGE):
        subject = gettext("Referral of a client to %(partner)s") % {"partner": partner.name}
    contact = case.lead_counsellor or actor
    return letter_issue(
        actor=actor,
        organisation=current.organisation,
        kind=LetterKind.REFERRAL,
        subject=subject,
        dated=dated,
        signatory_name=name,
        signatory_position=position,
        body_template=REFERRAL_LETTER_BODY,
        context={
            "partner": partner,
            "service": current.service,
            "reason": current.reason,
            "shared_summary": current.shared_summary,
            "referral_number": current.number,
            "sent_on_text": letter_pdf.indonesian_date(timezone.localdate(current.sent_at)),
            "answer_due_text": letter_pdf.indonesian_date(current.answer_due_on),
            "contact": contact,
        },
        referral=current,
    )


# -- who reaches what ------------------------------------------------------------------------


def can_issue_referral_letter(user: Any, referral: Referral) -> bool:
    """The LK3 side working on the referral's case (the user already reaches the referral)."""
    return (
        partner_of(user) is None
        and referral.direction == Direction.OUT
        and referral.case is not None
        and can_work_on(user, referral.case)
    )


def referral_get_for_letter(user: Any, public_id: UUID) -> Referral:
    """Fetch-and-check for the referral letter page: 404 out of reach, 403 without the right."""
    referral = referral_get_for_user(user, public_id)
    if not can_issue_referral_letter(user, referral):
        raise PermissionDenied
    return referral


def can_read_register(user: Any) -> bool:
    return is_active_member(user) and user.role in REGISTER_ROLES


def letters_for_register(user: Any) -> QuerySet[Letter]:
    if not can_read_register(user):
        return Letter.objects.none()
    return Letter.objects.filter(organisation_id=user.organisation_id).select_related(
        "created_by", "referral"
    )


def downloadable_ids(user: Any, letters: Iterable[Letter]) -> set[int]:
    """Which of ``letters`` the user may open, in one query.

    A referral letter: whoever reaches the referral. Any other letter (the
    covering letters, statements and handover records of a repatriation name
    people and their NIK): the organisation's coordinator; the user
    administrator sees it in the register but does not open it.
    """
    chosen = list(letters)
    referral_ids = {letter.referral_id for letter in chosen if letter.referral_id is not None}
    reached = set(referrals_for_user(user).filter(pk__in=referral_ids).values_list("pk", flat=True))
    return {
        letter.pk
        for letter in chosen
        if (letter.referral_id in reached)
        or (
            letter.referral_id is None
            and is_coordinator(user)
            and letter.organisation_id == user.organisation_id
        )
    }


def letter_get_for_user(user: Any, public_id: UUID) -> Letter:
    """Fetch-and-check for a letter's PDF; a letter the user may not open is a 404."""
    letter = (
        Letter.objects.select_related("organisation", "referral")
        .filter(public_id=public_id)
        .first()
    )
    if letter is None or letter.pk not in downloadable_ids(user, [letter]):
        raise Http404
    return letter


def letter_for_verification(code: str) -> Letter | None:
    """The letter a verification code names; None for anything else (malformed, changed, made up)."""
    if not VERIFICATION_CODE.fullmatch(code or ""):
        return None
    return Letter.objects.select_related("organisation").filter(verification_code=code).first()


def letter_download_name(letter: Letter) -> str:
    """``surat-012-LK3-BTG-XI-2026.pdf``."""
    return "surat-" + re.sub(r"[^A-Za-z0-9]+", "-", letter.number).strip("-") + ".pdf"
