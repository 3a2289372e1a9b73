"""Reads for the stranded-people pages: the list, the group page, the registry picks.

Rules:
- Every read starts from ``permissions.groups_for_user`` (the intakes whose
  case the user reaches) or from a group already fetched and checked.
- Region names (the NIK's region of issue, the origin) are looked up for a
  whole page in one query from the codes' lineages, never one per member.
- A list never decrypts the circumstances or health notes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from lk3.people.models import Person, PersonStatus
from lk3.people.permissions import registry_organisation_ids
from lk3.regions import codes
from lk3.regions.models import Region
from lk3.repatriation.models import (
    IdentityDocument,
    ShelterStay,
    StrandedGroup,
    StrandedPerson,
    TracingContact,
)
from lk3.repatriation.permissions import groups_for_user

PER_PAGE = 25
# People the user registered this long ago still show as quick picks on take-in.
RECENT_REGISTRATIONS = datetime.timedelta(hours=12)
RECENT_LIMIT = 10


# -- the list --------------------------------------------------------------------------------


def group_list(*, user: Any, status: str = "", query: str = "") -> QuerySet[StrandedGroup]:
    """The intakes the user reaches, newest first, with their size and first member's origin."""
    first_member = StrandedPerson.objects.filter(group=OuterRef("pk")).order_by("pk")
    groups = (
        groups_for_user(user)
        .defer("circumstances")
        .annotate(
            people=Count("members", distinct=True),
            origin_regency=Subquery(first_member.values("origin_regency_code")[:1]),
        )
        .order_by("-found_on", "-year", "-sequence")
    )
    if status:
        groups = groups.filter(status=status)
    if query.strip():
        groups = groups.filter(number__icontains=query.strip())
    return groups


def region_names(region_codes: Iterable[str]) -> dict[str, str]:
    """Names of the given codes and all their ancestors, in one query."""
    wanted = {code for value in region_codes if value for code in codes.lineage(value)}
    if not wanted:
        return {}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))


def path_names(code: str, names: dict[str, str]) -> list[str]:
    """Province first, down to the code itself; unknown parts are left out."""
    if not code:
        return []
    return [names[part] for part in codes.lineage(code) if part in names]


# -- the group page --------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: StrandedPerson
    age: int | None
    nik_region: list[str]
    origin_path: list[str]
    documents: list[str]
    open_stay: ShelterStay | None
    last_stay: ShelterStay | None
    stays: list[ShelterStay] = field(default_factory=list)


def members_of(group: StrandedGroup) -> QuerySet[StrandedPerson]:
    return (
        group.members.select_related("person", "decided_by")
        .prefetch_related(
            Prefetch("stays", queryset=ShelterStay.objects.order_by("checked_in_at", "pk"))
        )
        .order_by("pk")
    )


def member_rows(
    members: Iterable[StrandedPerson], today: datetime.date | None = None
) -> list[MemberRow]:
    today = today or timezone.localdate()
    chosen = list(members)
    names = region_names(
        [member.person.nik_region_code for member in chosen]
        + [member.origin_region_id or "" for member in chosen]
    )
    labels = dict(IdentityDocument.choices)
    rows = []
    for member in chosen:
        stays = list(member.stays.all())
        open_stay = next((stay for stay in stays if stay.checked_out_at is None), None)
        rows.append(
            MemberRow(
                member=member,
                age=member.person.age_on(today),
                nik_region=path_names(member.person.nik_region_code, names),
                origin_path=path_names(member.origin_region_id or "", names),
                documents=[str(labels.get(code, code)) for code in member.documents],
                open_stay=open_stay,
                last_stay=stays[-1] if stays else None,
                stays=stays,
            )
        )
    return rows


def tracing_of(group: StrandedGroup) -> list[TracingContact]:
    return list(
        TracingContact.objects.filter(group=group)
        .select_related("member__person", "recorded_by")
        .order_by("-contacted_on", "-pk")
    )


def group_page(group: StrandedGroup, today: datetime.date | None = None) -> dict[str, Any]:
    """What the group page shows about the intake itself (the cards add their own)."""
    members = list(members_of(group))
    return {
        "members": members,
        "member_rows": member_rows(members, today),
        "tracing": tracing_of(group),
    }


# -- picking people from the registry --------------------------------------------------------


def chosen_persons(*, user: Any, public_ids: Iterable[Any]) -> list[Person]:
    """The persons ticked so far, in the order chosen; unknown or unreachable ids are dropped."""
    wanted = list(dict.fromkeys(public_ids))
    found = {
        person.public_id: person
        for person in Person.objects.select_related("domicile_village").filter(
            public_id__in=wanted,
            organisation_id__in=registry_organisation_ids(user),
            status=PersonStatus.ACTIVE,
        )
    }
    return [found[public_id] for public_id in wanted if public_id in found]


def recent_registrations(*, user: Any, exclude: Iterable[Person] = ()) -> list[Person]:
    """People the user registered lately: who they just registered comes back as a pick."""
    since = timezone.now() - RECENT_REGISTRATIONS
    return list(
        Person.objects.select_related("domicile_village")
        .filter(
            created_by=user,
            created_at__gte=since,
            organisation_id=user.organisation_id,
            status=PersonStatus.ACTIVE,
        )
        .exclude(pk__in=[person.pk for person in exclude])
        .order_by("-created_at", "-pk")[:RECENT_LIMIT]
    )
