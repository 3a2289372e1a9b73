"""Reads of the registry (other than search), already scoped by the permission helpers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lk3.accounts.models import Organisation
from lk3.people.models import (
    CandidateStatus,
    Consent,
    DedupRun,
    DuplicateCandidate,
    Family,
    FamilyMembership,
    Person,
    PersonMerge,
)
from lk3.regions.models import Region, RegionLevel


def villages_of(organisation: Organisation) -> QuerySet[Region]:
    """The kelurahan/desa inside the organisation's region, for domicile choices."""
    return Region.objects.filter(
        code__startswith=f"{organisation.region_id}.", level=RegionLevel.VILLAGE, is_active=True
    ).order_by("name")


def likely_families(
    *,
    organisation: Organisation,
    head: Person | None,
    address: str,
    village_code: str | None,
    limit: int = 10,
) -> list[Family]:
    """Families of the organisation that may be the one about to be registered.

    The head's current family, and families living at the same address in
    the same kelurahan (without regard to case; the form stores addresses
    with single spaces).
    """
    found: dict[int, Family] = {}
    if head is not None:
        for membership in FamilyMembership.objects.filter(
            person=head, ended_on__isnull=True, family__organisation=organisation
        ).select_related("family"):
            found[membership.family_id] = membership.family
    wanted = " ".join(address.split())
    if wanted and village_code:
        same_place = Family.objects.filter(
            organisation=organisation, domicile_village__code=village_code, address__iexact=wanted
        ).order_by("-created_at")[:limit]
        for family in same_place:
            found.setdefault(family.pk, family)
    return list(found.values())[:limit]


def consents_of(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("recorded_by", "giver_person").order_by(
        "-given_on", "-id"
    )


def memberships_of(person: Person) -> QuerySet[FamilyMembership]:
    """The person's families over time, the current one first."""
    return (
        FamilyMembership.objects.filter(person=person)
        .select_related("family")
        .order_by("ended_on", "-started_on")
    )


def members_of(family: Family) -> QuerySet[FamilyMembership]:
    """Current members first (head first), then former members."""
    return (
        FamilyMembership.objects.filter(family=family)
        .select_related("person")
        .order_by("ended_on", "started_on", "id")
    )


def open_candidates_of(person: Person) -> QuerySet[DuplicateCandidate]:
    return DuplicateCandidate.objects.filter(
        Q(person_a=person) | Q(person_b=person), status=CandidateStatus.OPEN
    ).select_related("person_a", "person_b")


def merges_into(person: Person) -> QuerySet[PersonMerge]:
    return PersonMerge.objects.filter(survivor=person).select_related("merged", "performed_by")


def candidate_queue(*, organisation: Organisation, status: str) -> QuerySet[DuplicateCandidate]:
    return (
        DuplicateCandidate.objects.filter(
            organisation=organisation, status=status or CandidateStatus.OPEN
        )
        .select_related("person_a__domicile_village", "person_b__domicile_village")
        .order_by("-score", "id")
    )


def latest_run(organisation: Organisation) -> DedupRun | None:
    return (
        DedupRun.objects.filter(organisation=organisation).order_by("-requested_at", "-id").first()
    )


def merges_of(organisation: Organisation) -> QuerySet[PersonMerge]:
    return (
        PersonMerge.objects.filter(organisation=organisation)
        .select_related("survivor", "merged", "performed_by", "undone_by")
        .order_by("-performed_at", "-id")
    )
