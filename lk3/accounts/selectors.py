"""Reads for organisations, accounts and the board, already scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from lk3.accounts.models import BoardMember, Institution, Organisation, User
from lk3.accounts.permissions import can_view_staff_directory, visible_organisation_ids
from lk3.regions.models import Region, RegionLevel


class TermStatus:
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class BoardFilters:
    query: str = ""
    role: str = ""
    institution: str = ""
    function: str = ""
    kelurahan: str = ""
    term: str = ""
    organisation: str = ""
    include_inactive: bool = False


def term_status(member: BoardMember, today: datetime.date) -> str:
    if today < member.term_start:
        return TermStatus.NOT_STARTED
    if today > member.term_end:
        return TermStatus.EXPIRED
    if member.term_days_left(today) <= settings.LK3_TERM_EXPIRY_WARNING_DAYS:
        return TermStatus.EXPIRING
    return TermStatus.ACTIVE


def _term_filter(term: str, today: datetime.date) -> Q:
    warning_end = today + datetime.timedelta(days=settings.LK3_TERM_EXPIRY_WARNING_DAYS)
    in_term = Q(term_start__lte=today, term_end__gte=today)
    if term == TermStatus.ACTIVE:
        return in_term
    if term == TermStatus.EXPIRING:
        return in_term & Q(term_end__lte=warning_end)
    if term == TermStatus.EXPIRED:
        return Q(term_end__lt=today)
    if term == TermStatus.NOT_STARTED:
        return Q(term_start__gt=today)
    return Q()


def board_member_list_for_user(
    *, user: User, filters: BoardFilters, today: datetime.date
) -> QuerySet[BoardMember]:
    if not can_view_staff_directory(user):
        return BoardMember.objects.none()
    members = BoardMember.objects.filter(organisation_id__in=visible_organisation_ids(user))
    if not filters.include_inactive:
        members = members.filter(is_active=True)
    if filters.query:
        members = members.filter(
            Q(full_name__icontains=filters.query) | Q(unit__icontains=filters.query)
        )
    if filters.role:
        members = members.filter(user__role=filters.role)
    if filters.institution:
        members = members.filter(institution=filters.institution)
    if filters.function:
        members = members.filter(function=filters.function)
    if filters.kelurahan:
        members = members.filter(kelurahan__code=filters.kelurahan)
    if filters.organisation:
        members = members.filter(organisation__public_id=filters.organisation)
    members = members.filter(_term_filter(filters.term, today))
    return (
        members.select_related("organisation", "user")
        .prefetch_related("kelurahan")
        .order_by("full_name", "id")
        .distinct()
    )


def kelurahan_choices_for_user(user: User) -> QuerySet[Region]:
    """Villages inside the regions of the organisations the user can see."""
    codes = Organisation.objects.filter(id__in=visible_organisation_ids(user)).values_list(
        "region_id", flat=True
    )
    prefix = Q()
    for code in codes:
        prefix |= Q(code__startswith=f"{code}.")
    if not prefix:
        return Region.objects.none()
    return Region.objects.filter(prefix, level=RegionLevel.VILLAGE).order_by("name")


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=visible_organisation_ids(user)).order_by("name")


def board_counts_for_organisation(
    *, organisation: Organisation, today: datetime.date
) -> dict[str, int]:
    members = BoardMember.objects.filter(organisation=organisation, is_active=True)
    return {
        "members": members.count(),
        "in_term": members.filter(_term_filter(TermStatus.ACTIVE, today)).count(),
        "expiring": members.filter(_term_filter(TermStatus.EXPIRING, today)).count(),
        "expired": members.filter(_term_filter(TermStatus.EXPIRED, today)).count(),
        "with_account": members.filter(user__isnull=False).count(),
    }


def kelurahan_network_for_user(*, user: User, today: datetime.date) -> QuerySet[BoardMember]:
    """Members in term who work in the user's kelurahan: who to call on the ground."""
    if not can_view_staff_directory(user):
        return BoardMember.objects.none()
    return (
        BoardMember.objects.filter(
            organisation_id__in=visible_organisation_ids(user),
            is_active=True,
            kelurahan__in=user.kelurahan.all(),
        )
        .filter(_term_filter(TermStatus.ACTIVE, today))
        .exclude(user=user)
        .prefetch_related("kelurahan")
        .order_by("full_name")
        .distinct()
    )


def board_counts_by_institution(*, organisation_ids: set[int]) -> list[tuple[str, int]]:
    """Counts only, for roles that see aggregates and never names."""
    rows = (
        BoardMember.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        .values("institution")
        .annotate(total=Count("id"))
        .order_by("institution")
    )
    labels = dict(Institution.choices)
    return [(str(labels.get(row["institution"], row["institution"])), row["total"]) for row in rows]
