"""The indicators, each defined once here and shown with its definition.

Every indicator is computed over a ``ReportScope`` (organisations, period
``date_from``..``date_to`` with both days included, and the PMKS, kelurahan
and channel filters, which select cases: ``scope.cases_in``). Figures are
read as the records stand when computed.

- **New cases**: cases opened (``opened_on``) in the period.
- **Open caseload**: cases open at the end of the period: opened on or
  before ``date_to`` and not closed on or before it (``closed_on`` empty or
  later). A reopened case has no closing date, so it counts as open.
- **Days to first contact**: the median, over cases opened in the period
  that have at least one session, of the days from opening to the earliest
  session held (``CaseSession.held_on``). Base: those cases.
- **Days to close**: the median, over cases closed (``closed_on``) in the
  period, of the days from opening to closing. Base: those cases.
- **Closure outcomes**: the cases closed in the period, by the outcome
  recorded at closure (breakdown); the value is their total.
- **Reopen rate**: of the cases closed in the period, the percentage that
  had been reopened at least once before that closure
  (``times_reopened > 0``): the closure did not hold the first time.
  A case reopened after the period has lost its closing date and is not
  counted (the case records keep the last closure only).
- **Referral acceptance**: of the referrals out sent (``sent_at``, in the
  organisation's time zone) in the period and decided by the partner
  (accepted, or declined), the percentage accepted. "Accepted" means the
  referral's history has an acceptance, so a referral accepted, then in
  service, completed or revoked counts as accepted.
- **Referral completion**: of the referrals out sent in the period and
  accepted (as above), the percentage completed by now.
- **Follow-ups done**: of the follow-up check-ins due (``due_on``) in the
  period, the percentage done (a ``done_on`` date, on any day).
- **Family-functioning change**: the mean, over cases whose last
  family-functioning assessment (instrument ``fungsi-keluarga``, scored
  1 to 4, higher is better) falls in the period and that have at least two
  such assessments, of the last score minus the first. Positive means the
  family functions better.
- **Repatriations**: stranded people returned home (decision "return
  home") whose group's arrival (``returned_on``) falls in the period.

Each indicator costs a fixed number of queries whatever the size of the
data (medians: a count, then the one or two middle values, in the
database). With ``suppress`` (counts-only readers), a count from 1 to
``threshold - 1`` and a rate or average computed over fewer than
``threshold`` cases is shown as ``Suppressed``; breakdowns go through
``suppression.table_shown``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lk3.cases.models import Assessment, Case, CaseSession, CaseStatus, CheckIn, ClosureOutcome
from lk3.referrals.models import Direction, Referral, ReferralEvent, ReferralStatus
from lk3.repatriation.models import Decision, GroupStatus, StrandedPerson
from lk3.reports.scope import ReportScope, cases_in, sent_between
from lk3.reports.suppression import Cell, Suppressed, is_small, table_shown

FAMILY_INSTRUMENT = "fungsi-keluarga"
COUNT, DAYS, PERCENT, POINTS = "count", "days", "percent", "points"
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")

Value = Decimal | int | None


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's exact figure.

    ``base`` is how many cases (or referrals, check-ins) a rate or an
    average is computed over; ``numerator``/``denominator`` are a rate's
    parts. ``breakdown`` lists (label, count) when the value splits.
    """

    value: Value
    base: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    breakdown: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    unit: str
    compute: Callable[[ReportScope], IndicatorValue]


@dataclass(frozen=True)
class Shown:
    """An indicator's figure as a reader may see it (small figures suppressed)."""

    value: Value | Suppressed
    base: Cell | None = None
    numerator: Cell | None = None
    breakdown: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return isinstance(self.value, Suppressed)


# -- helpers ------------------------------------------------------------------------------


def _in_period(name: str, scope: ReportScope) -> Q:
    return Q(**{f"{name}__gte": scope.date_from, f"{name}__lte": scope.date_to})


def _percent(numerator: int, denominator: int) -> IndicatorValue:
    value = None
    if denominator:
        value = (Decimal(numerator * 100) / Decimal(denominator)).quantize(
            ONE_DECIMAL, ROUND_HALF_UP
        )
    return IndicatorValue(
        value=value, base=denominator, numerator=numerator, denominator=denominator
    )


def _days(span: Any) -> Decimal:
    """A span read back from the database: a timedelta, or a number of days (PostgreSQL)."""
    if isinstance(span, datetime.timedelta):
        return Decimal(span.days)
    return Decimal(span)


def _median_days(cases: QuerySet[Any], start: Any, end: Any) -> IndicatorValue:
    """The median of ``end - start`` in days over ``cases``: a count and the middle value(s)."""
    spans = cases.annotate(
        span=ExpressionWrapper(end - start, output_field=DurationField())
    ).filter(span__isnull=False)
    total = spans.count()
    if not total:
        return IndicatorValue(value=None, base=0)
    middle = list(
        spans.order_by("span").values_list("span", flat=True)[(total - 1) // 2 : total // 2 + 1]
    )
    median = sum((_days(span) for span in middle), Decimal(0)) / len(middle)
    return IndicatorValue(value=median.quantize(ONE_DECIMAL, ROUND_HALF_UP), base=total)


def _closed_in(scope: ReportScope) -> QuerySet[Case]:
    return cases_in(scope).filter(_in_period("closed_on", scope), status=CaseStatus.CLOSED)


def _referrals_out(scope: ReportScope) -> QuerySet[Referral]:
    accepted = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), to_status=ReferralStatus.ACCEPTED
    )
    return Referral.objects.filter(
        sent_between(scope.date_from, scope.date_to),
        direction=Direction.OUT,
        case__in=cases_in(scope),
    ).annotate(ever_accepted=Exists(accepted))


# -- the indicators -----------------------------------------------------------------------


def new_cases(scope: ReportScope) -> IndicatorValue:
    return IndicatorValue(value=cases_in(scope).filter(_in_period("opened_on", scope)).count())


def open_caseload(scope: ReportScope) -> IndicatorValue:
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=scope.date_to)
    count = cases_in(scope).filter(still_open, opened_on__lte=scope.date_to).count()
    return IndicatorValue(value=count)


def days_to_first_contact(scope: ReportScope) -> IndicatorValue:
    first_session = (
        CaseSession.objects.filter(case=OuterRef("pk")).order_by("held_on").values("held_on")[:1]
    )
    opened = cases_in(scope).filter(_in_period("opened_on", scope))
    first = opened.annotate(first_held=Subquery(first_session))
    return _median_days(first, F("opened_on"), F("first_held"))


def days_to_close(scope: ReportScope) -> IndicatorValue:
    return _median_days(_closed_in(scope), F("opened_on"), F("closed_on"))


def closure_outcomes(scope: ReportScope) -> IndicatorValue:
    found = dict(
        _closed_in(scope)
        .order_by()
        .values_list("closure_outcome")
        .annotate(count=Count("pk"))
        .values_list("closure_outcome", "count")
    )
    breakdown = [(str(outcome.label), found.get(outcome.value, 0)) for outcome in ClosureOutcome]
    # A closure recorded without an outcome (none should be) still counts in the total.
    missing = sum(count for code, count in found.items() if code not in ClosureOutcome.values)
    if missing:
        breakdown.append((str(_("Not recorded")), missing))
    return IndicatorValue(value=sum(found.values()), breakdown=breakdown)


def reopen_rate(scope: ReportScope) -> IndicatorValue:
    counts = _closed_in(scope).aggregate(
        closed=Count("pk"), reopened=Count("pk", filter=Q(times_reopened__gt=0))
    )
    return _percent(counts["reopened"], counts["closed"])


def referral_acceptance(scope: ReportScope) -> IndicatorValue:
    counts = _referrals_out(scope).aggregate(
        decided=Count("pk", filter=Q(ever_accepted=True) | Q(status=ReferralStatus.DECLINED)),
        accepted=Count("pk", filter=Q(ever_accepted=True)),
    )
    return _percent(counts["accepted"], counts["decided"])


def referral_completion(scope: ReportScope) -> IndicatorValue:
    counts = _referrals_out(scope).aggregate(
        accepted=Count("pk", filter=Q(ever_accepted=True)),
        completed=Count("pk", filter=Q(ever_accepted=True, status=ReferralStatus.COMPLETED)),
    )
    return _percent(counts["completed"], counts["accepted"])


def follow_ups_done(scope: ReportScope) -> IndicatorValue:
    counts = CheckIn.objects.filter(
        _in_period("due_on", scope), case__in=cases_in(scope)
    ).aggregate(due=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False)))
    return _percent(counts["done"], counts["due"])


def family_functioning_change(scope: ReportScope) -> IndicatorValue:
    scores = Assessment.objects.filter(
        case=OuterRef("pk"), instrument__code=FAMILY_INSTRUMENT, score__isnull=False
    )
    oldest = scores.order_by("assessed_on", "pk")
    newest = scores.order_by("-assessed_on", "-pk")
    cases = (
        cases_in(scope)
        .annotate(
            last_on=Subquery(newest.values("assessed_on")[:1]),
            second=Subquery(oldest.values("pk")[1:2]),
            first_score=Subquery(oldest.values("score")[:1]),
            last_score=Subquery(newest.values("score")[:1]),
        )
        .filter(_in_period("last_on", scope), second__isnull=False)
    )
    change = ExpressionWrapper(
        F("last_score") - F("first_score"),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    result = cases.aggregate(change=Avg(change), cases=Count("pk"))
    mean = result["change"]
    value = None if mean is None else Decimal(str(mean)).quantize(TWO_DECIMALS, ROUND_HALF_UP)
    return IndicatorValue(value=value, base=result["cases"])


def repatriations(scope: ReportScope) -> IndicatorValue:
    returned = StrandedPerson.objects.filter(
        _in_period("group__returned_on", scope),
        decision=Decision.RETURN_HOME,
        group__status=GroupStatus.ARRIVED,
        group__case__in=cases_in(scope),
    )
    return IndicatorValue(value=returned.count())


INDICATORS: list[Indicator] = [
    Indicator(
        "new_cases",
        _("New cases"),
        _("Cases opened in the period."),
        COUNT,
        new_cases,
    ),
    Indicator(
        "open_caseload",
        _("Open caseload"),
        _(
            "Cases open at the end of the period: opened on or before its last day and not "
            "closed on or before it."
        ),
        COUNT,
        open_caseload,
    ),
    Indicator(
        "days_to_first_contact",
        _("Days to first contact"),
        _(
            "Median number of days from opening a case to its first session held, over the "
            "cases opened in the period that have a session."
        ),
        DAYS,
        days_to_first_contact,
    ),
    Indicator(
        "days_to_close",
        _("Days to close"),
        _("Median number of days from opening to closing, over the cases closed in the period."),
        DAYS,
        days_to_close,
    ),
    Indicator(
        "closure_outcomes",
        _("Closure outcomes"),
        _("Cases closed in the period, by the outcome recorded when they were closed."),
        COUNT,
        closure_outcomes,
    ),
    Indicator(
        "reopen_rate",
        _("Reopen rate"),
        _(
            "Of the cases closed in the period, the percentage that had been reopened at least "
            "once before this closure. A case reopened again after the period no longer counts "
            "as closed in it."
        ),
        PERCENT,
        reopen_rate,
    ),
    Indicator(
        "referral_acceptance",
        _("Referral acceptance"),
        _(
            "Of the referrals out sent in the period that the partner accepted or declined, the "
            "percentage accepted (including those later in service, completed or revoked)."
        ),
        PERCENT,
        referral_acceptance,
    ),
    Indicator(
        "referral_completion",
        _("Referral completion"),
        _(
            "Of the referrals out sent in the period and accepted by the partner, the "
            "percentage completed so far."
        ),
        PERCENT,
        referral_completion,
    ),
    Indicator(
        "follow_ups_done",
        _("Follow-ups done"),
        _(
            "Of the follow-up check-ins due in the period, the percentage done (whatever the "
            "day they were done)."
        ),
        PERCENT,
        follow_ups_done,
    ),
    Indicator(
        "family_functioning_change",
        _("Change in family functioning"),
        _(
            "Mean change of the family-functioning score (1 to 4, higher is better) from the "
            "first to the last assessment, over the cases with at least two such assessments "
            "whose last one is in the period. Above zero: families function better."
        ),
        POINTS,
        family_functioning_change,
    ),
    Indicator(
        "repatriations",
        _("Repatriations"),
        _(
            "Stranded people returned home (decision: return home) whose group arrived home in "
            "the period."
        ),
        COUNT,
        repatriations,
    ),
]


def indicator(code: str) -> Indicator:
    return next(item for item in INDICATORS if item.code == code)


def shown(item: Indicator, exact: IndicatorValue, *, suppress: bool, threshold: int) -> Shown:
    """The figure as a reader sees it: exact, or with small figures suppressed."""
    if not suppress:
        return Shown(
            value=exact.value,
            base=exact.base,
            numerator=exact.numerator,
            breakdown=list(exact.breakdown),
        )
    mark = Suppressed(threshold)
    breakdown: list[tuple[str, Cell]] = []
    if exact.breakdown:
        table = table_shown(
            [label for label, _count in exact.breakdown],
            ["count"],
            [[count] for _label, count in exact.breakdown],
            threshold=threshold,
            suppress=True,
        )
        breakdown = [(label, row[0]) for label, row in zip(table.rows, table.cells, strict=True)]
    if item.unit == COUNT:
        count = int(exact.value or 0)
        return Shown(value=mark if is_small(count, threshold) else count, breakdown=breakdown)
    base = exact.base or 0
    small = is_small(base, threshold)
    # A rate's numerator is not shown to counts-only readers: it may be a small count.
    return Shown(
        value=mark if small else exact.value,
        base=mark if small else base,
        breakdown=breakdown,
    )


def indicator_values(
    scope: ReportScope,
    *,
    suppress: bool,
    threshold: int,
    items: Sequence[Indicator] = INDICATORS,
) -> list[tuple[Indicator, Shown]]:
    """Every indicator (or those given), in order, as the reader may see it."""
    return [
        (item, shown(item, item.compute(scope), suppress=suppress, threshold=threshold))
        for item in items
    ]
