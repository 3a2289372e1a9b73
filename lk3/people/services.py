"""Writes for persons, their consents, and families.

Rules enforced here:
- A NIK is parsed, never trusted blindly: malformed is refused with the
  field named; region/date/sex mismatches are warnings the form shows.
  Without a NIK, the reason is required.
- One active person per NIK in an organisation: a second registration of
  the same NIK is refused and names the existing record.
- A birth date cannot be in the future.
- A child (under 18 on the day of registration) is registered only with the
  consent of a parent or guardian (UU PDP art. 25; UU 35/2014).
- Family: at most one current family per person and one current head per
  family (database constraints); moving a person to another family ends
  the old membership instead of rewriting it.
- Every write records its AuditEvent in the same transaction; the NIK and
  the KK number never appear in the audit diff.
- Every change to a name or an alias updates the search index in the same
  transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.core.concurrency import lock_for_edit
from lk3.core.crypto import lookup_hash
from lk3.core.errors import DomainError
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import (
    AliasKind,
    Consent,
    ConsentGiver,
    Family,
    FamilyMembership,
    MembershipEnd,
    Person,
    PersonAlias,
    PersonPhone,
    PersonStatus,
    Relationship,
)
from lk3.people.phones import PHONE_INVALID, normalise_phone
from lk3.people.search_index import person_index
from lk3.regions.identity import IdentityResult, Problem, parse_kk, parse_nik

KK_HASH_PURPOSE = "kk"

NIK_OR_REASON = _("Enter the NIK, or choose why the person has none.")
NIK_ALREADY_REGISTERED = _("This NIK is already registered for %(name)s. Open that record instead.")
KK_ALREADY_REGISTERED = _("This KK number is already registered for %(family)s.")
BIRTH_DATE_IN_FUTURE = _("The birth date cannot be in the future.")
CHILD_NEEDS_GUARDIAN_CONSENT = _(
    "This person is a child (under 18): record the consent of a parent or guardian."
)
CONSENT_GIVER_NAME_REQUIRED = _("Name the parent or guardian who gave the consent.")
CONSENT_IN_FUTURE = _("The consent date cannot be in the future.")
CONSENT_ALREADY_WITHDRAWN = _("This consent was already withdrawn.")
ALREADY_IN_FAMILY = _(
    "%(name)s is still a member of %(family)s. Choose to move them, which ends that membership."
)
ALREADY_IN_THIS_FAMILY = _("%(name)s is already a member of this family.")
FAMILY_HAS_HEAD = _("This family already has a head; end that membership first.")
OTHER_ORGANISATION = _("Persons and families of another organisation cannot be combined.")
MEMBERSHIP_ALREADY_ENDED = _("This membership has already ended.")
END_BEFORE_START = _("The end date cannot be before the membership started (%(date)s).")
PERSON_MERGED_AWAY = _("This record was merged into another one and can no longer be changed.")

PERSON_FIELDS = (
    "full_name",
    "nik",
    "nik_absence",
    "nik_region_code",
    "birth_date",
    "birth_date_is_estimated",
    "sex",
    "birth_place",
    "religion",
    "marital_status",
    "education",
    "occupation",
    "disability",
    "domicile_village",
    "address",
    "rt",
    "rw",
    "photo",
)
SECRET_FIELDS = ("nik", "nik_hash", "kk_number", "kk_hash")
FAMILY_FIELDS = ("kk_number", "domicile_village", "address", "rt", "rw")


@dataclass(frozen=True)
class ConsentInput:
    purpose: str
    given_by: str
    method: str
    given_on: datetime.date
    giver_name: str = ""
    giver_person: Person | None = None
    note: str = ""


@dataclass(frozen=True)
class AliasInput:
    name: str
    kind: str = AliasKind.NICKNAME


# -- identity -------------------------------------------------------------------------


def _problems_message(problems: Sequence[Problem]) -> list[str]:
    return [str(problem.message) for problem in problems]


def identity_check(
    *,
    organisation: Organisation,
    nik: str,
    nik_absence: str,
    birth_date: datetime.date | None,
    sex: str,
    today: datetime.date,
    exclude: Person | None = None,
) -> IdentityResult | None:
    """Check the identity fields; raise ValidationError naming the field.

    Returns the parsed NIK (its warnings are for the form to show), or None
    when the person has no NIK.
    """
    errors: dict[str, list[str]] = {}
    if birth_date is not None and birth_date > today:
        errors["birth_date"] = [str(BIRTH_DATE_IN_FUTURE)]
    result = None
    if nik.strip():
        result = parse_nik(nik, birth_date=birth_date, sex=sex or None, today=today)
        if not result.valid:
            errors["nik"] = _problems_message(result.errors)
        else:
            holder = _nik_holder(organisation, result.number, exclude)
            if holder is not None:
                errors["nik"] = [str(NIK_ALREADY_REGISTERED % {"name": holder.full_name})]
    elif not nik_absence:
        errors["nik_absence"] = [str(NIK_OR_REASON)]
    if errors:
        raise ValidationError(errors)
    return result


def _nik_holder(organisation: Organisation, digits: str, exclude: Person | None) -> Person | None:
    holders = Person.objects.filter(
        organisation=organisation, nik_hash=nik_lookup_hash(digits), status=PersonStatus.ACTIVE
    )
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    return holders.first()


def _identity_fields(result: IdentityResult | None, fields: dict[str, Any]) -> dict[str, Any]:
    if result is None:
        return {**fields, "nik": "", "nik_hash": "", "nik_region_code": ""}
    return {
        **fields,
        "nik": result.number,
        "nik_hash": nik_lookup_hash(result.number),
        "nik_absence": "",
        "nik_region_code": result.region_code or "",
    }


def _consent_problems(
    consent: ConsentInput, *, child: bool, today: datetime.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if consent.given_on > today:
        errors["given_on"] = [str(CONSENT_IN_FUTURE)]
    if child and consent.given_by == ConsentGiver.SELF:
        errors["given_by"] = [str(CHILD_NEEDS_GUARDIAN_CONSENT)]
    if consent.given_by != ConsentGiver.SELF and not (
        consent.giver_name.strip() or consent.giver_person
    ):
        errors["giver_name"] = [str(CONSENT_GIVER_NAME_REQUIRED)]
    return errors


def _require_guardian_consent(
    person: Person, consents: Sequence[ConsentInput], today: datetime.date
) -> None:
    if not person.is_child_on(today):
        return
    if not any(consent.given_by != ConsentGiver.SELF for consent in consents):
        raise ValidationError({"consent": [str(CHILD_NEEDS_GUARDIAN_CONSENT)]})


# -- persons ----------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: User,
    organisation: Organisation,
    full_name: str,
    sex: str,
    nik: str = "",
    nik_absence: str = "",
    birth_date: datetime.date | None = None,
    aliases: Iterable[AliasInput] = (),
    phones: Iterable[str] = (),
    consents: Sequence[ConsentInput] = (),
    today: datetime.date | None = None,
    **details: Any,
) -> Person:
    """Register a person. Checking for likely duplicates is the caller's step before this."""
    today = today or timezone.localdate()
    result = identity_check(
        organisation=organisation,
        nik=nik,
        nik_absence=nik_absence,
        birth_date=birth_date,
        sex=sex,
        today=today,
    )
    values = _identity_fields(
        result,
        {"full_name": full_name.strip(), "sex": sex, "nik_absence": nik_absence, **details},
    )
    person = Person(organisation=organisation, birth_date=birth_date, created_by=actor, **values)
    _require_guardian_consent(person, consents, today)
    person.full_clean()
    person.save()
    _aliases_replace(person, aliases)
    _phones_replace(person, phones)
    for consent in consents:
        _consent_create(actor=actor, person=person, consent=consent, today=today)
    person_index(person)
    audit_record(
        actor=actor,
        action=actions.PERSON_CREATED,
        target=person,
        organisation=organisation,
        changes=field_diff({}, snapshot(person, PERSON_FIELDS), redact=SECRET_FIELDS),
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    expected_version: int,
    aliases: Iterable[AliasInput] | None = None,
    phones: Iterable[str] | None = None,
    today: datetime.date | None = None,
    **fields: Any,
) -> Person:
    today = today or timezone.localdate()
    current = lock_for_edit(person)
    if current.status != PersonStatus.ACTIVE:
        raise DomainError(PERSON_MERGED_AWAY, code="merged_away")
    before = {**snapshot(current, PERSON_FIELDS), "aliases": _alias_names(current)}
    refuse_if_stale(current, expected_version)
    merged = {**snapshot(current, PERSON_FIELDS), **fields}
    result = identity_check(
        organisation=current.organisation,
        nik=merged["nik"],
        nik_absence=merged["nik_absence"],
        birth_date=merged["birth_date"],
        sex=merged["sex"],
        today=today,
        exclude=current,
    )
    for name, value in _identity_fields(result, fields).items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    if aliases is not None:
        _aliases_replace(current, aliases)
    if phones is not None:
        _phones_replace(current, phones)
    person_index(current)
    after = {**snapshot(current, PERSON_FIELDS), "aliases": _alias_names(current)}
    audit_record(
        actor=actor,
        action=actions.PERSON_UPDATED,
        target=current,
        organisation=current.organisation,
        changes={
            **field_diff(before, after, redact=SECRET_FIELDS),
            "version": [expected_version, current.version],
        },
    )
    return current


def _alias_names(person: Person) -> list[str]:
    return sorted(person.aliases.values_list("name", flat=True))


def _aliases_replace(person: Person, aliases: Iterable[AliasInput]) -> None:
    person.aliases.all().delete()
    rows = [
        PersonAlias(person=person, name=alias.name.strip(), kind=alias.kind)
        for alias in aliases
        if alias.name.strip()
    ]
    PersonAlias.objects.bulk_create(rows)


def _phones_replace(person: Person, phones: Iterable[str]) -> None:
    numbers = []
    for value in phones:
        if not value.strip():
            continue
        number = normalise_phone(value)
        if number is None:
            raise ValidationError({"phones": [str(PHONE_INVALID)]})
        if number not in numbers:
            numbers.append(number)
    person.phones.all().delete()
    PersonPhone.objects.bulk_create(PersonPhone(person=person, number=number) for number in numbers)


# -- consent ------------------------------------------------------------------------------


def _consent_create(
    *, actor: User, person: Person, consent: ConsentInput, today: datetime.date
) -> Consent:
    errors = _consent_problems(consent, child=person.is_child_on(today), today=today)
    if errors:
        raise ValidationError(errors)
    record = Consent(
        person=person,
        purpose=consent.purpose,
        given_by=consent.given_by,
        giver_name=consent.giver_name.strip(),
        giver_person=consent.giver_person,
        method=consent.method,
        given_on=consent.given_on,
        recorded_by=actor,
        note=consent.note,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=actions.CONSENT_RECORDED,
        target=record,
        organisation=person.organisation,
        changes=field_diff(
            {}, snapshot(record, ("purpose", "given_by", "giver_name", "method", "given_on"))
        ),
    )
    return record


@transaction.atomic
def consent_record(
    *, actor: User, person: Person, consent: ConsentInput, today: datetime.date | None = None
) -> Consent:
    return _consent_create(
        actor=actor, person=person, consent=consent, today=today or timezone.localdate()
    )


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, withdrawn_on: datetime.date | None = None
) -> Consent:
    current = lock_for_edit(consent)
    if current.withdrawn_on is not None:
        raise DomainError(CONSENT_ALREADY_WITHDRAWN, code="already_withdrawn")
    current.withdrawn_on = withdrawn_on or timezone.localdate()
    current.version += 1
    current.save(update_fields=["withdrawn_on", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=actions.CONSENT_WITHDRAWN,
        target=current,
        organisation=current.person.organisation,
        changes={"withdrawn_on": [None, current.withdrawn_on.isoformat()]},
    )
    return current


# -- families -----------------------------------------------------------------------------


def kk_lookup_hash(digits: str) -> str:
    return lookup_hash(digits, purpose=KK_HASH_PURPOSE)


def kk_check(
    *,
    organisation: Organisation,
    kk_number: str,
    today: datetime.date,
    exclude: Family | None = None,
) -> IdentityResult | None:
    if not kk_number.strip():
        return None
    result = parse_kk(kk_number, today=today)
    if not result.valid:
        raise ValidationError({"kk_number": _problems_message(result.errors)})
    holders = Family.objects.filter(
        organisation=organisation, kk_hash=kk_lookup_hash(result.number)
    )
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    holder = holders.first()
    if holder is not None:
        raise ValidationError({"kk_number": [str(KK_ALREADY_REGISTERED % {"family": holder})]})
    return result


@transaction.atomic
def family_create(
    *,
    actor: User,
    organisation: Organisation,
    kk_number: str = "",
    head: Person | None = None,
    started_on: datetime.date | None = None,
    move_head: bool = False,
    today: datetime.date | None = None,
    **fields: Any,
) -> Family:
    today = today or timezone.localdate()
    result = kk_check(organisation=organisation, kk_number=kk_number, today=today)
    family = Family(
        organisation=organisation,
        kk_number=result.number if result else "",
        kk_hash=kk_lookup_hash(result.number) if result else "",
        created_by=actor,
        **fields,
    )
    family.full_clean()
    family.save()
    audit_record(
        actor=actor,
        action=actions.FAMILY_CREATED,
        target=family,
        organisation=organisation,
        changes=field_diff({}, snapshot(family, FAMILY_FIELDS), redact=SECRET_FIELDS),
    )
    if head is not None:
        family_member_add(
            actor=actor,
            family=family,
            person=head,
            relationship=Relationship.HEAD,
            started_on=started_on or today,
            move=move_head,
        )
    return family


@transaction.atomic
def family_update(
    *,
    actor: User,
    family: Family,
    expected_version: int,
    today: datetime.date | None = None,
    **fields: Any,
) -> Family:
    current = lock_for_edit(family)
    refuse_if_stale(current, expected_version)
    before = snapshot(current, FAMILY_FIELDS)
    if "kk_number" in fields:
        result = kk_check(
            organisation=current.organisation,
            kk_number=fields.pop("kk_number"),
            today=today or timezone.localdate(),
            exclude=current,
        )
        current.kk_number = result.number if result else ""
        current.kk_hash = kk_lookup_hash(result.number) if result else ""
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=actions.FAMILY_UPDATED,
        target=current,
        organisation=current.organisation,
        changes={
            **field_diff(before, snapshot(current, FAMILY_FIELDS), redact=SECRET_FIELDS),
            "version": [expected_version, current.version],
        },
    )
    return current


def current_membership(person: Person) -> FamilyMembership | None:
    return (
        FamilyMembership.objects.select_related("family")
        .filter(person=person, ended_on__isnull=True)
        .first()
    )


@transaction.atomic
def family_member_add(
    *,
    actor: User,
    family: Family,
    person: Person,
    relationship: str,
    started_on: datetime.date,
    move: bool = False,
) -> FamilyMembership:
    """Add ``person`` to ``family``; with ``move``, end their current membership first."""
    if person.organisation_id != family.organisation_id:
        raise DomainError(OTHER_ORGANISATION, code="other_organisation")
    if person.status != PersonStatus.ACTIVE:
        raise DomainError(PERSON_MERGED_AWAY, code="merged_away")
    existing = current_membership(person)
    if existing is not None:
        if existing.family_id == family.pk:
            raise DomainError(
                ALREADY_IN_THIS_FAMILY % {"name": person.full_name}, code="already_member"
            )
        if not move:
            raise DomainError(
                ALREADY_IN_FAMILY % {"name": person.full_name, "family": existing.family},
                code="in_other_family",
            )
        family_member_end(
            actor=actor, membership=existing, ended_on=started_on, reason=MembershipEnd.MOVED
        )
    membership = FamilyMembership(
        family=family, person=person, relationship=relationship, started_on=started_on
    )
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        # The database holds the rule even when two clerks add a head at once.
        raise DomainError(FAMILY_HAS_HEAD, code="family_has_head") from error
    audit_record(
        actor=actor,
        action=actions.FAMILY_MEMBER_ADDED,
        target=family,
        organisation=family.organisation,
        changes={
            "person": [None, str(person.public_id)],
            "relationship": [None, relationship],
            "started_on": [None, started_on.isoformat()],
        },
    )
    return membership


@transaction.atomic
def family_member_end(
    *, actor: User, membership: FamilyMembership, ended_on: datetime.date, reason: str
) -> FamilyMembership:
    current = (
        FamilyMembership.objects.select_for_update()
        .select_related("family", "person")
        .get(pk=membership.pk)
    )
    if current.ended_on is not None:
        raise DomainError(MEMBERSHIP_ALREADY_ENDED, code="already_ended")
    if ended_on < current.started_on:
        raise ValidationError(
            {"ended_on": [str(END_BEFORE_START % {"date": current.started_on.isoformat()})]}
        )
    current.ended_on = ended_on
    current.end_reason = reason
    current.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action=actions.FAMILY_MEMBER_ENDED,
        target=current.family,
        organisation=current.family.organisation,
        changes={
            "person": [str(current.person.public_id), str(current.person.public_id)],
            "ended_on": [None, ended_on.isoformat()],
            "end_reason": [None, reason],
        },
    )
    return current
