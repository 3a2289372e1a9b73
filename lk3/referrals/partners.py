"""The partner directory: partners, their contacts, MoUs/PKS and staff accounts.

Rules:
- A partner belongs to one LK3's network (``Partner.organisation``).
- An MoU/PKS is valid from ``valid_from`` to ``valid_until`` inclusive; it is
  "expiring" within the organisation's ``agreement_warning_days`` of its end.
- Referrals go to a partner with no agreement on record (many government
  services work without one) or with one valid today; a partner whose
  agreements have all ended gets none until a new one is recorded.
- Writes (below) are for the organisation's directory managers
  (``permissions.can_manage_directory``), atomic and audited in the same
  transaction. A partner's name is unique in its organisation's directory
  (ignoring case); a PSKS partner needs its PSKS category. Edits take the
  version the user saw (stale edits are refused with what changed); an edit
  that changes nothing, or any write sent twice, is a no-op.
- A staff account (``PartnerMember``) links an active partner-role user of
  the same organisation to exactly one partner.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, record_reference, refuse_if_stale, snapshot
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.core.models import PsksCategory, ServiceType
from lk3.referrals.models import (
    Agreement,
    AgreementKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMember,
    ReferralSettings,
)
from lk3.referrals.permissions import can_manage_directory
from lk3.regions.models import Region

DEFAULT_WARNING_DAYS = 60


class AgreementState(StrEnum):
    NONE = "none"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_YET = "not_yet"


def warning_days(organisation_id: int) -> int:
    found = ReferralSettings.objects.filter(organisation_id=organisation_id).first()
    return found.agreement_warning_days if found else DEFAULT_WARNING_DAYS


def agreement_state(agreement: Agreement, today: datetime.date, warn_days: int) -> AgreementState:
    if today < agreement.valid_from:
        return AgreementState.NOT_YET
    if today > agreement.valid_until:
        return AgreementState.EXPIRED
    if (agreement.valid_until - today).days <= warn_days:
        return AgreementState.EXPIRING
    return AgreementState.VALID


def partner_agreement_state(partner: Partner, today: datetime.date) -> AgreementState:
    """The best state among the partner's agreements (one valid agreement is enough)."""
    agreements = list(partner.agreements.all())
    if not agreements:
        return AgreementState.NONE
    return best_state(agreements, today, warning_days(partner.organisation_id))


def best_state(
    agreements: Iterable[Agreement], today: datetime.date, warn_days: int
) -> AgreementState:
    """``partner_agreement_state`` over agreements already loaded (no query per partner)."""
    states = {agreement_state(agreement, today, warn_days) for agreement in agreements}
    if not states:
        return AgreementState.NONE
    for state in (AgreementState.VALID, AgreementState.EXPIRING, AgreementState.NOT_YET):
        if state in states:
            return state
    return AgreementState.EXPIRED


def agreement_refusal(partner: Partner, today: datetime.date) -> str | None:
    """Why no referral may go to the partner today, or None when it may."""
    if not partner.is_active:
        return _("This partner is no longer active in the directory.")
    if partner_agreement_state(partner, today) != AgreementState.EXPIRED:
        return None
    ended = max(agreement.valid_until for agreement in partner.agreements.all())
    return _(
        "The MoU/PKS with %(partner)s ended on %(date)s. Record a new agreement before referring."
    ) % {"partner": partner, "date": date_format(ended, "j F Y")}


# -- services ----------------------------------------------------------------------------------
# Writes of the directory: atomic, audited in the same transaction, managers only.


NAME_REQUIRED = gettext_lazy("Write the partner's name.")
NAME_TAKEN = gettext_lazy("A partner with this name is already in the directory.")
KIND_UNKNOWN = gettext_lazy("Choose what kind of partner this is.")
PSKS_NEEDS_CATEGORY = gettext_lazy("Choose the PSKS category of this partner.")
PARTNER_INACTIVE = gettext_lazy("This partner is no longer active in the directory.")
CONTACT_NAME_REQUIRED = gettext_lazy("Write the contact person's name.")
CONTACT_NEEDS_WAY = gettext_lazy("Give a phone number or an email address for this contact.")
AGREEMENT_NUMBER_REQUIRED = gettext_lazy("Write the agreement's number.")
AGREEMENT_KIND_UNKNOWN = gettext_lazy("Choose MoU or PKS.")
AGREEMENT_DATES = gettext_lazy("The end date cannot be before the start date.")
AGREEMENT_DUPLICATE = gettext_lazy("This agreement is already recorded for this partner.")
STAFF_INACTIVE = gettext_lazy("This account is not active.")
STAFF_NOT_PARTNER_ROLE = gettext_lazy("Only an account with the partner role can be linked.")
STAFF_OTHER_ORGANISATION = gettext_lazy("This account belongs to another organisation.")
STAFF_LINKED_ELSEWHERE = gettext_lazy("This account is already linked to %(partner)s.")
STAFF_ALREADY_LINKED = gettext_lazy("This account is already linked to this partner.")

PARTNER_FIELDS = (
    "name",
    "short_name",
    "kind",
    "psks_category",
    "services",
    "description",
    "service_area",
    "address",
    "phone",
    "email",
    "is_active",
)
MANY_FIELDS = ("services", "service_area")
EDITABLE = frozenset(PARTNER_FIELDS) - {"is_active"}


def _require_manager(actor: Any, organisation_id: int) -> None:
    if not can_manage_directory(actor) or actor.organisation_id != organisation_id:
        raise PermissionDenied


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _check_partner_values(
    organisation_id: int, values: dict[str, Any], *, exclude_pk: int | None = None
) -> None:
    if not values["name"]:
        raise DomainError(NAME_REQUIRED, code="name_required", field="name")
    if values["kind"] not in PartnerKind.values:
        raise DomainError(KIND_UNKNOWN, code="kind_unknown", field="kind")
    if values["kind"] == PartnerKind.PSKS and values.get("psks_category") is None:
        raise DomainError(PSKS_NEEDS_CATEGORY, code="psks_category", field="psks_category")
    taken = Partner.objects.filter(organisation_id=organisation_id, name__iexact=values["name"])
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(NAME_TAKEN, code="name_taken", field="name")


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    for field in ("name", "short_name", "phone", "email"):
        if field in values:
            values[field] = _clean(values[field])
    for field in ("description", "address"):
        if field in values:
            values[field] = (values[field] or "").strip()
    if "name" in values and "short_name" in values and not values["short_name"]:
        values["short_name"] = values["name"][:60]
    if values.get("kind") not in (None, PartnerKind.PSKS):
        values["psks_category"] = None
    return values


def _save_checked(instance: Any, **clean_kwargs: Any) -> None:
    try:
        instance.full_clean(**clean_kwargs)
    except ValidationError as error:
        first_field, messages = next(iter(error.message_dict.items()))
        raise DomainError(
            messages[0], code="invalid", field=None if first_field == "__all__" else first_field
        ) from error
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise DomainError(NAME_TAKEN, code="name_taken", field="name") from error


@transaction.atomic
def partner_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    short_name: str,
    kind: str,
    psks_category: PsksCategory | None = None,
    services: Iterable[ServiceType] = (),
    description: str = "",
    service_area: Iterable[Region] = (),
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Partner:
    _require_manager(actor, organisation.pk)
    values = _normalise(
        {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "psks_category": psks_category,
            "description": description,
            "address": address,
            "phone": phone,
            "email": email,
        }
    )
    _check_partner_values(organisation.pk, values)
    partner = Partner(organisation=organisation, **values)
    _save_checked(partner, exclude=list(MANY_FIELDS))
    partner.services.set(list(services))
    partner.service_area.set(list(service_area))
    audit_record(
        actor=actor,
        action=actions.PARTNER_CREATED,
        target=partner,
        organisation=organisation,
        changes=field_diff({}, snapshot(partner, PARTNER_FIELDS)),
    )
    return partner


def _same_as(current: Partner, before: dict[str, Any], fields: dict[str, Any]) -> bool:
    proposed = copy.copy(current)
    for name, value in fields.items():
        if name not in MANY_FIELDS:
            setattr(proposed, name, value)
    after = snapshot(proposed, [name for name in PARTNER_FIELDS if name not in MANY_FIELDS])
    for name in MANY_FIELDS:
        after[name] = (
            before[name]
            if name not in fields
            else sorted(record_reference(item) for item in fields[name])
        )
    return after == before


@transaction.atomic
def partner_update(
    *, actor: Any, partner: Partner, expected_version: int, **fields: Any
) -> Partner:
    """Edit the partner's details; a stale edit is refused with what changed meanwhile."""
    _require_manager(actor, partner.organisation_id)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"partner_update cannot change {sorted(unknown)}")
    current = lock_for_edit(partner)
    before = snapshot(current, PARTNER_FIELDS)
    merged = {name: getattr(current, name) for name in EDITABLE - set(MANY_FIELDS)}
    merged.update({name: value for name, value in fields.items() if name not in MANY_FIELDS})
    merged = _normalise(merged)
    many = {name: list(fields[name]) for name in MANY_FIELDS if name in fields}
    if _same_as(current, before, merged | many):
        return current  # Nothing to change: a double submit or a save without edits.
    refuse_if_stale(current, expected_version)
    _check_partner_values(current.organisation_id, merged, exclude_pk=current.pk)
    for name, value in merged.items():
        setattr(current, name, value)
    current.version += 1
    _save_checked(current, exclude=list(MANY_FIELDS))
    for name, items in many.items():
        getattr(current, name).set(items)
    audit_record(
        actor=actor,
        action=actions.PARTNER_UPDATED,
        target=current,
        organisation=current.organisation,
        changes=field_diff(before, snapshot(current, PARTNER_FIELDS))
        | {"version": [expected_version, current.version]},
    )
    return current


@transaction.atomic
def partner_deactivate(*, actor: Any, partner: Partner, expected_version: int) -> Partner:
    """Take the partner out of the directory's choices; its history stays."""
    _require_manager(actor, partner.organisation_id)
    current = lock_for_edit(partner)
    if not current.is_active:
        return current  # Already done: a double submit.
    refuse_if_stale(current, expected_version)
    current.is_active = False
    current.version += 1
    current.save(update_fields=["is_active", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=actions.PARTNER_DEACTIVATED,
        target=current,
        organisation=current.organisation,
        changes={"is_active": [True, False], "version": [expected_version, current.version]},
    )
    return current


def _require_active(partner: Partner) -> None:
    if not partner.is_active:
        raise DomainError(PARTNER_INACTIVE, code="partner_inactive")


# -- contacts -----------------------------------------------------------------------------------


@transaction.atomic
def contact_add(
    *,
    actor: Any,
    partner: Partner,
    name: str,
    position: str = "",
    phone: str = "",
    email: str = "",
) -> PartnerContact:
    _require_manager(actor, partner.organisation_id)
    values = {
        "name": _clean(name),
        "position": _clean(position),
        "phone": _clean(phone),
        "email": _clean(email),
    }
    if not values["name"]:
        raise DomainError(CONTACT_NAME_REQUIRED, code="name_required", field="name")
    if not (values["phone"] or values["email"]):
        raise DomainError(CONTACT_NEEDS_WAY, code="contact_needs_way", field="phone")
    existing = PartnerContact.objects.filter(partner=partner, **values).first()
    if existing is not None:
        return existing  # The same contact sent twice.
    contact = PartnerContact(partner=partner, **values)
    _save_checked(contact)
    audit_record(
        actor=actor,
        action=actions.PARTNER_CONTACT_ADDED,
        target=partner,
        organisation=partner.organisation,
        changes={"contact": [None, contact.name]},
    )
    return contact


@transaction.atomic
def contact_remove(*, actor: Any, contact: PartnerContact) -> None:
    partner = contact.partner
    _require_manager(actor, partner.organisation_id)
    deleted, _rows = PartnerContact.objects.filter(pk=contact.pk).delete()
    if not deleted:
        return  # Already removed: a double submit.
    audit_record(
        actor=actor,
        action=actions.PARTNER_CONTACT_REMOVED,
        target=partner,
        organisation=partner.organisation,
        changes={"contact": [contact.name, None]},
    )


# -- agreements ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_add(
    *,
    actor: Any,
    partner: Partner,
    kind: str,
    number: str,
    title: str = "",
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> Agreement:
    _require_manager(actor, partner.organisation_id)
    number = _clean(number)
    if kind not in AgreementKind.values:
        raise DomainError(AGREEMENT_KIND_UNKNOWN, code="kind_unknown", field="kind")
    if not number:
        raise DomainError(AGREEMENT_NUMBER_REQUIRED, code="number_required", field="number")
    if valid_until < valid_from:
        raise DomainError(AGREEMENT_DATES, code="dates_out_of_order", field="valid_until")
    existing = Agreement.objects.filter(partner=partner, kind=kind, number__iexact=number).first()
    if existing is not None:
        if (existing.valid_from, existing.valid_until) == (valid_from, valid_until):
            return existing  # The same agreement sent twice.
        raise DomainError(AGREEMENT_DUPLICATE, code="duplicate", field="number")
    agreement = Agreement(
        partner=partner,
        kind=kind,
        number=number,
        title=_clean(title),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _save_checked(agreement)
    audit_record(
        actor=actor,
        action=actions.AGREEMENT_ADDED,
        target=agreement,
        organisation=partner.organisation,
        changes=field_diff(
            {}, snapshot(agreement, ("partner", "kind", "number", "valid_from", "valid_until"))
        ),
    )
    return agreement


# -- staff accounts -----------------------------------------------------------------------------


def staff_candidates(partner: Partner) -> QuerySet[User]:
    """The organisation's active partner-role accounts not linked to any partner."""
    return User.objects.filter(
        organisation_id=partner.organisation_id,
        role=Role.PARTNER,
        is_active=True,
        partner_membership__isnull=True,
    ).order_by("full_name", "username")


@transaction.atomic
def staff_link(*, actor: Any, partner: Partner, user: User, today: datetime.date) -> PartnerMember:
    """Give a partner-role account access to what is referred to ``partner``."""
    _require_manager(actor, partner.organisation_id)
    _require_active(partner)
    existing = PartnerMember.objects.select_related("partner").filter(user=user).first()
    if existing is not None:
        if existing.partner_id == partner.pk:
            return existing  # Already linked: a double submit.
        raise DomainError(
            STAFF_LINKED_ELSEWHERE,
            code="linked_elsewhere",
            field="user",
            params={"partner": existing.partner},
        )
    if user.organisation_id != partner.organisation_id:
        raise DomainError(STAFF_OTHER_ORGANISATION, code="other_organisation", field="user")
    if not user.is_active:
        raise DomainError(STAFF_INACTIVE, code="inactive", field="user")
    if user.role != Role.PARTNER:
        raise DomainError(STAFF_NOT_PARTNER_ROLE, code="not_partner_role", field="user")
    try:
        with transaction.atomic():
            member = PartnerMember.objects.create(partner=partner, user=user, added_on=today)
    except IntegrityError as error:  # Linked elsewhere at the same moment.
        raise DomainError(STAFF_ALREADY_LINKED, code="linked_elsewhere", field="user") from error
    audit_record(
        actor=actor,
        action=actions.PARTNER_STAFF_LINKED,
        target=partner,
        organisation=partner.organisation,
        changes={"staff": [None, user.username]},
    )
    return member


@transaction.atomic
def staff_unlink(*, actor: Any, partner: Partner, user: User) -> None:
    _require_manager(actor, partner.organisation_id)
    deleted, _rows = PartnerMember.objects.filter(partner=partner, user=user).delete()
    if not deleted:
        return  # Not linked (any more): a double submit.
    audit_record(
        actor=actor,
        action=actions.PARTNER_STAFF_UNLINKED,
        target=partner,
        organisation=partner.organisation,
        changes={"staff": [user.username, None]},
    )
