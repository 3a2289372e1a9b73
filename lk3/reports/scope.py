"""What a figure is computed over: organisations, a period and the filters chosen.

Rules:
- A scope names the organisations counted (ids), a period (``date_from``
  to ``date_to``, both days included) and optional filters: PMKS codes,
  kelurahan codes and intake-channel codes. An empty filter means "all".
- ``cases_in`` gives the cases of those organisations matching the filters,
  with no condition on the period: each indicator says which date of a case
  (opened, closed, a session, a check-in...) must fall in the period.
- ``scope_for`` builds the scope of a reader: only organisations that
  ``permissions.report_organisation_ids`` gives them, however the request
  is written; a period ending before it starts is refused naming the field.
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import TimeZone
from lk3.cases.models import Case
from lk3.core.errors import DomainError
from lk3.reports.permissions import report_organisation_ids

DATES_OUT_OF_ORDER = _("The end date cannot be before the start date.")


@dataclass(frozen=True)
class ReportScope:
    """The organisations, the period (both ends included) and the filters of a figure."""

    organisation_ids: frozenset[int]
    date_from: datetime.date
    date_to: datetime.date
    pmks: tuple[str, ...] = field(default=())
    kelurahan: tuple[str, ...] = field(default=())
    channels: tuple[str, ...] = field(default=())

    @property
    def filters(self) -> dict[str, list[str]]:
        """The filters chosen, as stored with a report run (``ReportRun.filters``)."""
        chosen = {"pmks": self.pmks, "kelurahan": self.kelurahan, "channels": self.channels}
        return {name: list(codes) for name, codes in chosen.items() if codes}


def month_period(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a calendar month."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def cases_in(scope: ReportScope) -> QuerySet[Case]:
    """The scope's cases (organisations and filters), whatever their dates."""
    cases = Case.objects.filter(organisation_id__in=scope.organisation_ids)
    if scope.pmks:
        # Exists, not a join: a case of two chosen PMKS is still one case.
        through = Case.pmks_categories.through.objects.filter(
            case_id=OuterRef("pk"), pmkscategory__code__in=scope.pmks
        )
        cases = cases.filter(Exists(through))
    if scope.kelurahan:
        cases = cases.filter(kelurahan_id__in=scope.kelurahan)
    if scope.channels:
        cases = cases.filter(intake_channel__code__in=scope.channels)
    return cases


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({value for value in values if value}))


def scope_for(
    user: Any,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    organisation_ids: Iterable[int] = (),
    pmks: Iterable[str] = (),
    kelurahan: Iterable[str] = (),
    channels: Iterable[str] = (),
) -> ReportScope:
    """The user's scope: the organisations they read (those asked for among them, if any)."""
    if date_to < date_from:
        raise DomainError(DATES_OUT_OF_ORDER, code="dates_out_of_order", field="date_to")
    reachable = frozenset(report_organisation_ids(user))
    asked = frozenset(organisation_ids)
    return ReportScope(
        organisation_ids=reachable & asked if asked else reachable,
        date_from=date_from,
        date_to=date_to,
        pmks=_codes(pmks),
        kelurahan=_codes(kelurahan),
        channels=_codes(channels),
    )


def sent_between(date_from: datetime.date, date_to: datetime.date) -> Q:
    """A referral's ``sent_at`` within these days in its organisation's own time zone.

    Bounds instead of ``sent_at__date`` so the database can use an index
    (SQLite would convert every row's date in Python).
    """
    condition = Q()
    for zone in TimeZone.values:
        tz = zoneinfo.ZoneInfo(zone)
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        condition |= Q(organisation__time_zone=zone, sent_at__gte=start, sent_at__lt=end)
    return condition
