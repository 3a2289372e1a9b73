"""The repatriation report: stranded people by origin, by month, costs and days to return.

Rules:
- The report covers the stranded intakes of the given organisations found
  (``found_on``) in the period; people are the intakes' members.
- Each person counts once as taken in, and as returned home (decision
  "return home" and the group arrived), stayed (decision local employment
  or other) or still open (the group is still open and the person does not
  stay). A person whose origin is not known yet counts under "Unknown".
- By month: people taken in by the month they were found, people home by
  the month their group arrived (``returned_on``).
- Costs are of approved plans (a plan stays approved once handed over):
  all of them, and those of groups that arrived; the cost per person is
  their total over their travellers; "over the ceiling" compares a plan's
  cost per person with the ceiling copied when it was submitted.
- Days to return are ``returned_on - found_on`` of the arrived groups.
- Everything is aggregated in the database, grouped by the indexed origin
  codes; the region names come in one more query. The number of queries is
  the same whatever the size of the data. The report holds counts and sums
  only, never a name.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation
from lk3.regions.models import Region
from lk3.repatriation.models import (
    OPEN_STATUSES,
    Decision,
    GroupStatus,
    PlanStatus,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
)

UNKNOWN = _("Unknown")
STAY_DECISIONS = (Decision.LOCAL_EMPLOYMENT, Decision.OTHER)
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=0)

RETURNED = Q(decision=Decision.RETURN_HOME, group__status=GroupStatus.ARRIVED)
STAYED = Q(decision__in=STAY_DECISIONS)
STILL_OPEN = Q(group__status__in=OPEN_STATUSES) & ~Q(decision__in=STAY_DECISIONS)


@dataclass(frozen=True)
class Counts:
    """People taken in, returned home, stayed and still open."""

    taken_in: int = 0
    returned: int = 0
    stayed: int = 0
    still_open: int = 0


@dataclass(frozen=True)
class OriginRow:
    code: str  # "" when unknown
    name: str
    counts: Counts
    province_code: str = ""
    province_name: str = ""


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date  # the first day of the month
    taken_in: int
    arrived: int


@dataclass(frozen=True)
class Costs:
    approved_plans: int = 0
    approved_total: Decimal = Decimal(0)
    approved_travellers: int = 0
    arrived_plans: int = 0
    arrived_total: Decimal = Decimal(0)
    over_ceiling: int = 0

    @property
    def per_person(self) -> Decimal | None:
        """The approved plans' cost over their travellers, to the rupiah; None without any."""
        if not self.approved_travellers:
            return None
        return (self.approved_total / self.approved_travellers).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class Days:
    groups: int = 0
    median: Decimal | None = None
    mean: Decimal | None = None
    longest: int | None = None


@dataclass(frozen=True)
class Report:
    date_from: datetime.date
    date_to: datetime.date
    groups: int
    totals: Counts
    provinces: list[OriginRow]
    regencies: list[OriginRow]
    months: list[MonthRow]
    costs: Costs
    days: Days


def _counts(row: dict[str, Any]) -> Counts:
    return Counts(
        taken_in=row["taken_in"],
        returned=row["returned"],
        stayed=row["stayed"],
        still_open=row["still_open"],
    )


def _by_origin(members: QuerySet[StrandedPerson], *codes: str) -> list[dict[str, Any]]:
    return list(
        members.values(*codes)
        .annotate(
            taken_in=Count("pk"),
            returned=Count("pk", filter=RETURNED),
            stayed=Count("pk", filter=STAYED),
            still_open=Count("pk", filter=STILL_OPEN),
        )
        .order_by(*codes)
    )


def _region_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))


def _name(names: dict[str, str], code: str) -> str:
    if not code:
        return str(UNKNOWN)
    return names.get(code, code)


def _sort_key(row: OriginRow) -> tuple[int, int, str]:
    """Most people first; unknown last; then by code so the order is stable."""
    return (row.code == "", -row.counts.taken_in, row.code)


def _month_rows(members: QuerySet[StrandedPerson]) -> list[MonthRow]:
    taken = dict(
        members.annotate(month=TruncMonth("group__found_on"))
        .values("month")
        .annotate(people=Count("pk"))
        .order_by("month")
        .values_list("month", "people")
    )
    arrived = dict(
        members.filter(RETURNED, group__returned_on__isnull=False)
        .annotate(month=TruncMonth("group__returned_on"))
        .values("month")
        .annotate(people=Count("pk"))
        .order_by("month")
        .values_list("month", "people")
    )
    months = sorted(set(taken) | set(arrived))
    return [MonthRow(month, taken.get(month, 0), arrived.get(month, 0)) for month in months]


def _costs(groups: QuerySet[StrandedGroup]) -> Costs:
    # ReturnPlan.total_cost, in the database.
    total = ExpressionWrapper(
        F("ticket_cost") + F("pocket_money") + F("escort_cost") + F("other_cost"),
        output_field=MONEY,
    )
    ceiling = ExpressionWrapper(
        F("ceiling_per_person") * Greatest(F("travellers"), Value(1)), output_field=MONEY
    )
    over = Q(ceiling_per_person__isnull=False) & Q(total_value__gt=ceiling)
    arrived = Q(group__status=GroupStatus.ARRIVED)
    found = (
        ReturnPlan.objects.filter(group__in=groups.values("pk"), status=PlanStatus.APPROVED)
        .annotate(total_value=total)
        .aggregate(
            approved_plans=Count("pk"),
            approved_total=Coalesce(Sum("total_value"), Value(0), output_field=MONEY),
            approved_travellers=Coalesce(Sum("travellers"), Value(0)),
            arrived_plans=Count("pk", filter=arrived),
            arrived_total=Coalesce(
                Sum("total_value", filter=arrived), Value(0), output_field=MONEY
            ),
            over_ceiling=Count("pk", filter=over),
        )
    )
    return Costs(
        approved_plans=found["approved_plans"],
        approved_total=Decimal(found["approved_total"]),
        approved_travellers=int(found["approved_travellers"]),
        arrived_plans=found["arrived_plans"],
        arrived_total=Decimal(found["arrived_total"]),
        over_ceiling=found["over_ceiling"],
    )


def _days(groups: QuerySet[StrandedGroup]) -> Days:
    spans = sorted(
        (returned - found).days
        for found, returned in groups.filter(
            status=GroupStatus.ARRIVED, returned_on__isnull=False
        ).values_list("found_on", "returned_on")
        if returned is not None
    )
    if not spans:
        return Days()
    one_decimal = Decimal("0.1")
    return Days(
        groups=len(spans),
        median=Decimal(str(statistics.median(spans))).quantize(one_decimal, ROUND_HALF_UP),
        mean=(Decimal(sum(spans)) / len(spans)).quantize(one_decimal, ROUND_HALF_UP),
        longest=spans[-1],
    )


def repatriation_report(
    *,
    organisations: QuerySet[Organisation] | Iterable[Organisation],
    date_from: datetime.date,
    date_to: datetime.date,
) -> Report:
    """The report over the intakes of ``organisations`` found from ``date_from`` to ``date_to``.

    Eight queries whatever the data: people by province, by kab/kota, region
    names, intakes, people by month found and by month home, plan costs, days
    to return.
    """
    if isinstance(organisations, QuerySet):
        scope: Any = organisations.values("pk")
    else:
        scope = [organisation.pk for organisation in organisations]
    groups = StrandedGroup.objects.filter(
        organisation__in=scope, found_on__gte=date_from, found_on__lte=date_to
    )
    members = StrandedPerson.objects.filter(
        group__organisation__in=scope,
        group__found_on__gte=date_from,
        group__found_on__lte=date_to,
    )
    by_province = _by_origin(members, "origin_province_code")
    by_regency = _by_origin(members, "origin_province_code", "origin_regency_code")
    names = _region_names(
        [row["origin_province_code"] for row in by_regency]
        + [row["origin_regency_code"] for row in by_regency]
    )
    provinces = sorted(
        (
            OriginRow(
                code=row["origin_province_code"],
                name=_name(names, row["origin_province_code"]),
                counts=_counts(row),
            )
            for row in by_province
        ),
        key=_sort_key,
    )
    regencies = sorted(
        (
            OriginRow(
                code=row["origin_regency_code"],
                name=_name(names, row["origin_regency_code"]),
                counts=_counts(row),
                province_code=row["origin_province_code"],
                province_name=_name(names, row["origin_province_code"]),
            )
            for row in by_regency
        ),
        key=_sort_key,
    )
    totals = Counts(
        taken_in=sum(row.counts.taken_in for row in provinces),
        returned=sum(row.counts.returned for row in provinces),
        stayed=sum(row.counts.stayed for row in provinces),
        still_open=sum(row.counts.still_open for row in provinces),
    )
    return Report(
        date_from=date_from,
        date_to=date_to,
        groups=groups.count(),
        totals=totals,
        provinces=provinces,
        regencies=regencies,
        months=_month_rows(members),
        costs=_costs(groups),
        days=_days(groups),
    )
