"""Reads of the partner directory and the partner scorecard.

Rules:
- The directory list is filtered in the database (kind, service offered,
  kelurahan served, MoU state, name) and paginated; each row's MoU state is
  computed from prefetched agreements, so the page costs the same number of
  queries whatever the number of partners.
- A partner with no service area serves the whole city; one serving a
  kecamatan or the city serves every kelurahan in it.
- MoU states follow ``partners.agreement_state``: "valid" means at least one
  agreement in force beyond the warning days, "expiring" one in force that
  ends within them (and none beyond), "expired" agreements that all ended,
  "none" no agreement on record.
- Scorecard, per partner, over referrals out sent in the period:
  sent; accepted % = accepted, in service or completed over those answered
  (accepted, in service, completed or declined); median days from sending to
  the first answer (``first_answer_at``); completed % = completed over
  accepted (accepted, in service or completed); MoUs expiring within the
  warning days (as of today). A fixed number of queries: one for the
  partners, one pass over the referrals' values, one for the agreements.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lk3.core.models import ServiceType
from lk3.referrals.models import Agreement, Direction, Partner, Referral, ReferralStatus
from lk3.referrals.partners import AgreementState, best_state, warning_days
from lk3.regions.models import Region, RegionLevel

S = ReferralStatus
ACCEPTED = frozenset({S.ACCEPTED, S.IN_SERVICE, S.COMPLETED})
ANSWERED = ACCEPTED | {S.DECLINED}
DEFAULT_PERIOD_DAYS = 365
FILTER_STATES = (
    AgreementState.VALID,
    AgreementState.EXPIRING,
    AgreementState.EXPIRED,
    AgreementState.NONE,
)


@dataclass(frozen=True)
class PartnerFilters:
    query: str = ""
    kind: str = ""
    service: ServiceType | None = None
    kelurahan: Region | None = None
    agreement: str = ""
    include_inactive: bool = False


def _served_codes(region: Region) -> list[str]:
    """The region's code and those of the regions above it (kecamatan, kab/kota, province)."""
    parts = region.code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def _agreement_filter(state: str, today: datetime.date, warn_days: int) -> Q:
    agreements = Agreement.objects.filter(partner=OuterRef("pk"))
    in_force = agreements.filter(valid_from__lte=today, valid_until__gte=today)
    horizon = today + datetime.timedelta(days=warn_days)
    beyond = Exists(in_force.filter(valid_until__gt=horizon))
    ending = Exists(in_force.filter(valid_until__lte=horizon))
    if state == AgreementState.VALID:
        return Q(beyond)
    if state == AgreementState.EXPIRING:
        return Q(ending) & ~Q(beyond)
    if state == AgreementState.EXPIRED:
        return Q(Exists(agreements)) & ~Q(Exists(agreements.filter(valid_until__gte=today)))
    if state == AgreementState.NONE:
        return ~Q(Exists(agreements))
    return Q()


def partner_list(
    partners: QuerySet[Partner],
    *,
    filters: PartnerFilters,
    today: datetime.date,
    warn_days: int,
) -> QuerySet[Partner]:
    """The directory, filtered; agreements and services come prefetched."""
    if not filters.include_inactive:
        partners = partners.filter(is_active=True)
    if filters.query:
        partners = partners.filter(
            Q(name__icontains=filters.query) | Q(short_name__icontains=filters.query)
        )
    if filters.kind:
        partners = partners.filter(kind=filters.kind)
    if filters.service is not None:
        offered = Partner.services.through.objects.filter(
            partner_id=OuterRef("pk"), servicetype_id=filters.service.pk
        )
        partners = partners.filter(Exists(offered))
    if filters.kelurahan is not None:
        area = Partner.service_area.through.objects.filter(partner_id=OuterRef("pk"))
        covers = area.filter(region__code__in=_served_codes(filters.kelurahan))
        partners = partners.filter(Exists(covers) | ~Exists(area))
    if filters.agreement:
        partners = partners.filter(_agreement_filter(filters.agreement, today, warn_days))
    return partners.prefetch_related(
        "agreements", Prefetch("services", queryset=ServiceType.objects.order_by("sort_order"))
    ).order_by("name")


def partner_rows(
    partners: Iterable[Partner], today: datetime.date, warn_days: int
) -> list[tuple[Partner, AgreementState]]:
    """Each partner with its MoU state, from the prefetched agreements."""
    return [
        (partner, best_state(partner.agreements.all(), today, warn_days)) for partner in partners
    ]


def kelurahan_choices(organisation_region_code: str | None) -> QuerySet[Region]:
    """The kelurahan/desa inside the organisation's region, for filters and service areas."""
    if not organisation_region_code:
        return Region.objects.none()
    return Region.objects.filter(
        code__startswith=f"{organisation_region_code}.", level=RegionLevel.VILLAGE, is_active=True
    ).order_by("name")


def service_area_choices(organisation_region_code: str | None) -> QuerySet[Region]:
    """The city itself, its kecamatan and its kelurahan: what a partner may serve."""
    if not organisation_region_code:
        return Region.objects.none()
    return Region.objects.filter(
        Q(code=organisation_region_code) | Q(code__startswith=f"{organisation_region_code}."),
        is_active=True,
    ).order_by("code")


# -- scorecard ---------------------------------------------------------------------------------


@dataclass
class Score:
    partner: Partner
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    completed: int = 0
    answer_days: list[float] = field(default_factory=list)
    expiring_agreements: int = 0

    @property
    def accepted_percent(self) -> float | None:
        return round(100 * self.accepted / self.answered) if self.answered else None

    @property
    def completed_percent(self) -> float | None:
        return round(100 * self.completed / self.accepted) if self.accepted else None

    @property
    def median_answer_days(self) -> float | None:
        if not self.answer_days:
            return None
        return round(statistics.median(self.answer_days), 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date) -> Period:
        return cls(start=today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS), end=today)


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def scorecard(
    *,
    organisation_id: int,
    period: Period,
    today: datetime.date,
    partners: Sequence[Partner] | None = None,
    warn_days: int | None = None,
) -> list[Score]:
    """One row per partner of the organisation (or per partner given), ordered by name.

    Three queries (four when ``warn_days`` is not given), whatever the
    number of partners and referrals.
    """
    if warn_days is None:
        warn_days = warning_days(organisation_id)
    if partners is None:
        partners = list(Partner.objects.filter(organisation_id=organisation_id).order_by("name"))
    scores = {partner.pk: Score(partner=partner) for partner in partners}
    if not scores:
        return []
    start, end = _bounds(period)
    referrals = Referral.objects.filter(
        organisation_id=organisation_id,
        direction=Direction.OUT,
        partner_id__in=list(scores),
        sent_at__gte=start,
        sent_at__lt=end,
    ).values_list("partner_id", "status", "sent_at", "first_answer_at")
    for partner_id, status, sent_at, first_answer_at in referrals:
        score = scores[partner_id]
        score.sent += 1
        if status in ANSWERED:
            score.answered += 1
        if status in ACCEPTED:
            score.accepted += 1
        if status == S.COMPLETED:
            score.completed += 1
        if first_answer_at is not None:
            score.answer_days.append((first_answer_at - sent_at).total_seconds() / 86400)
    horizon = today + datetime.timedelta(days=warn_days)
    expiring = Agreement.objects.filter(
        partner_id__in=list(scores),
        valid_from__lte=today,
        valid_until__gte=today,
        valid_until__lte=horizon,
    ).values_list("partner_id", flat=True)
    counts: dict[int, int] = defaultdict(int)
    for partner_id in expiring:
        counts[partner_id] += 1
    for partner_id, count in counts.items():
        scores[partner_id].expiring_agreements = count
    return list(scores.values())


def scorecard_total(scores: Iterable[Score]) -> Score:
    """The whole network's figures, for the scorecard's last row."""
    total = Score(partner=Partner(name="", short_name=""))
    for score in scores:
        total.sent += score.sent
        total.answered += score.answered
        total.accepted += score.accepted
        total.completed += score.completed
        total.answer_days.extend(score.answer_days)
        total.expiring_agreements += score.expiring_agreements
    return total
