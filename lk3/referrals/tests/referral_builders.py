"""Test data for referrals out, made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.cases.models import Case
from lk3.cases.tests.builders import open_case
from lk3.core.models import ServiceType
from lk3.people import services as people_services
from lk3.people.models import Consent, ConsentGiver, ConsentMethod, ConsentPurpose, Person
from lk3.referrals import partners, referrals
from lk3.referrals.models import LegalBasis, Partner, PartnerMember, Referral, SharedItem
from lk3.referrals.permissions import can_manage_directory

try:
    from lk3.referrals.tests.partner_builders import make_partner
except ImportError:  # pragma: no cover - the directory's builders come with its helper
    make_partner = None  # type: ignore[assignment]

REASON = "Klien membutuhkan pendampingan hukum atas KDRT."
SERVICE = "pendampingan"


def data_sharing_consent(
    actor: User, person: Person | None, *, given_on: datetime.date | None = None, **overrides: Any
) -> Consent:
    """A consent to share data with partners, given by the person themself (or a parent
    for a child)."""
    assert person is not None, "the case has no client"
    given_on = given_on or timezone.localdate()
    child = person.is_child_on(given_on)
    values: dict[str, Any] = {
        "purpose": ConsentPurpose.DATA_SHARING,
        "given_by": ConsentGiver.PARENT if child else ConsentGiver.SELF,
        "method": ConsentMethod.WRITTEN,
        "given_on": given_on,
        "giver_name": "Ibu kandung" if child else "",
    }
    values.update(overrides)
    return people_services.consent_record(
        actor=actor,
        person=person,
        consent=people_services.ConsentInput(**values),
        today=max(given_on, timezone.localdate()),
    )


def _manager_of(actor: User) -> User | None:
    """Who may add partners for the actor's organisation (the actor when they may)."""
    if can_manage_directory(actor):
        return actor
    return (
        User.objects.filter(
            organisation=actor.organisation,
            role__in=[Role.COORDINATOR, Role.ADMIN],
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def partner_for(actor: User, name: str = "UPTD PPA Kota Bontang", **kw: Any) -> Partner:
    """A partner of the actor's organisation's directory (the UPTD PPA unless named).

    An existing partner of that name is reused; a new one is made through the
    directory's services (by the organisation's coordinator when the actor may
    not manage the directory).
    """
    existing = Partner.objects.filter(organisation=actor.organisation, name=name).first()
    if existing is not None:
        return existing
    manager = _manager_of(actor)
    if make_partner is not None and manager is not None:
        return make_partner(manager, name, **kw)
    values: dict[str, Any] = {
        "organisation": actor.organisation,
        "name": name,
        "short_name": name[:60],
        "kind": "government",
    }
    values.update(kw)
    return Partner.objects.create(**values)


def link_staff(user: User, partner: Partner) -> PartnerMember:
    """Makes ``user`` (role partner) a staff account of ``partner``."""
    manager = _manager_of(user)
    if manager is not None and user.organisation_id == partner.organisation_id:
        return partners.staff_link(
            actor=manager, partner=partner, user=user, today=timezone.localdate()
        )
    membership, _ = PartnerMember.objects.get_or_create(
        user=user, defaults={"partner": partner, "added_on": timezone.localdate()}
    )
    return membership


def _service_of(partner: Partner) -> ServiceType:
    """The usual service, or one the partner offers when it lists others."""
    usual = ServiceType.objects.get(code=SERVICE)
    offered = list(partner.services.all())
    return usual if not offered or usual in offered else offered[0]


def send_referral(
    actor: User, case: Case | None = None, partner: Partner | None = None, **kw: Any
) -> Referral:
    """A referral out of ``case`` (a new one when not given) to ``partner`` (the UPTD PPA).

    Records the client's data-sharing consent when the legal basis is consent
    and no consent is given.
    """
    case = case or open_case(actor)
    partner = partner or partner_for(actor)
    today = kw.pop("today", None) or timezone.localdate()
    values: dict[str, Any] = {
        "service": _service_of(partner),
        "reason": REASON,
        "shared_items": list(referrals.MINIMUM_ITEMS),
        "legal_basis": LegalBasis.CONSENT,
    }
    values.update(kw)
    if values["legal_basis"] == LegalBasis.CONSENT and values.get("consent") is None:
        subject = referrals.subject_of(case)
        assert subject is not None, "the case has no client or family head"
        found = referrals.valid_consents(subject, today)
        values["consent"] = (
            found[0] if found else data_sharing_consent(actor, subject, given_on=today)
        )
    return referrals.referral_send(actor=actor, case=case, partner=partner, today=today, **values)


def answer(actor: User, referral: Referral, to_status: str, text: str = "") -> Referral:
    """The partner's answer, on the referral's current version."""
    referral.refresh_from_db()
    return referrals.referral_answer(
        actor=actor,
        referral=referral,
        to_status=to_status,
        text=text,
        expected_version=referral.version,
    )


def revoke(actor: User, referral: Referral, reason: str = "Klien pindah ke luar kota.") -> Referral:
    referral.refresh_from_db()
    return referrals.referral_revoke(
        actor=actor, referral=referral, reason=reason, expected_version=referral.version
    )


ALL_ITEMS = [item.value for item in SharedItem]


def case_of(referral: Referral) -> Case:
    """The referral's case (a referral out always has one)."""
    assert referral.case is not None
    return referral.case
