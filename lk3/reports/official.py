"""The official monthly and annual LK3 report: its sections and their tables.

Rules:
- A report covers a scope: the organisations counted, a period and the
  filters chosen (PMKS category, kelurahan, intake channel codes). It holds
  counts only, never a name: children and victims of violence are counted,
  never listed.
- A case is "new" when opened in the period, "open at the end" when opened
  on or before the last day and not closed by then, "closed" when closed in
  the period. A case with several PMKS categories counts once under each.
- Clients by sex and age group are the clients of the new cases, their age
  taken at the end of the period; a case about a family counts under
  "Family" (no single sex or age).
- Sessions count by the day they were held; referrals by the day they were
  sent. With filters chosen, only the referrals of the cases that match.
- Repatriations come from ``lk3.repatriation.reports.repatriation_report``
  (intakes found in the period); the case filters do not apply to them.
- With ``suppress`` (a counts-only reader) small cells are hidden
  (``suppression.table_shown``).
- Everything is aggregated in the database: each section runs a fixed number
  of queries whatever the size of the data.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import Count, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lk3.accounts.models import Organisation
from lk3.cases.models import Case, CaseSession, ClosureOutcome, ClosureReason, SessionKind
from lk3.core.errors import DomainError
from lk3.core.models import IntakeChannel, PmksCategory, ServiceType
from lk3.people.models import Sex
from lk3.referrals.models import Direction, Referral
from lk3.regions.models import Region, RegionLevel
from lk3.repatriation.reports import repatriation_report
from lk3.reports.models import ReportKind
from lk3.reports.scope import ReportScope, sent_between
from lk3.reports.scope import cases_in as scope_cases_in
from lk3.reports.suppression import Table, table_shown, threshold_for

REPORT_LANGUAGE = "id"  # an official report is written in Indonesian, like a letter
FILTER_KEYS = ("pmks", "kelurahan", "channels")
AGE_GROUPS = ((0, 5), (6, 17), (18, 59), (60, None))
UNKNOWN_FILTER = gettext_lazy("Unknown filter: %(name)s.")
UNKNOWN_CODES = gettext_lazy("Unknown %(name)s codes: %(codes)s.")


# -- the scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a report counts: organisations, period, filters, and whether small cells are hidden."""

    organisation_ids: tuple[int, ...]
    date_from: datetime.date
    date_to: datetime.date
    pmks: tuple[str, ...] = ()
    kelurahan: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    suppress: bool = False
    threshold: int = 5

    @property
    def filtered(self) -> bool:
        return bool(self.pmks or self.kelurahan or self.channels)


def scope_for(
    *,
    organisation_ids: Iterable[int],
    date_from: datetime.date,
    date_to: datetime.date,
    filters: Mapping[str, Any] | None = None,
    suppress: bool = False,
) -> Scope:
    """The scope, its filters checked (``DomainError`` naming the filter when one is unknown)."""
    values = clean_filters(filters or {})
    ids = tuple(sorted(set(organisation_ids)))
    return Scope(
        organisation_ids=ids,
        date_from=date_from,
        date_to=date_to,
        pmks=tuple(values.get("pmks", ())),
        kelurahan=tuple(values.get("kelurahan", ())),
        channels=tuple(values.get("channels", ())),
        suppress=suppress,
        threshold=threshold_for(list(ids)),
    )


def clean_filters(filters: Mapping[str, Any]) -> dict[str, list[str]]:
    """The filters as sorted lists of known codes; an unknown key or code is refused."""
    cleaned: dict[str, list[str]] = {}
    for key, codes in filters.items():
        if key not in FILTER_KEYS:
            raise DomainError(UNKNOWN_FILTER, code="unknown_filter", params={"name": key})
        if isinstance(codes, str) or not isinstance(codes, Iterable):
            raise DomainError(
                UNKNOWN_FILTER, code="unknown_filter", field=key, params={"name": key}
            )
        wanted = sorted({str(code) for code in codes if str(code)})
        if not wanted:
            continue
        known = set(_filter_terms(key).filter(code__in=wanted).values_list("code", flat=True))
        unknown = [code for code in wanted if code not in known]
        if unknown:
            raise DomainError(
                UNKNOWN_CODES,
                code="unknown_code",
                field=key,
                params={"name": key, "codes": ", ".join(unknown)},
            )
        cleaned[key] = wanted
    return cleaned


def _filter_terms(key: str) -> QuerySet[Any]:
    if key == "pmks":
        return PmksCategory.objects.all()
    if key == "channels":
        return IntakeChannel.objects.all()
    return Region.objects.filter(level=RegionLevel.VILLAGE)


def cases_in(scope: Scope) -> QuerySet[Case]:
    """The cases of the scope's organisations that match its filters (any period)."""
    return scope_cases_in(
        ReportScope(
            organisation_ids=frozenset(scope.organisation_ids),
            date_from=scope.date_from,
            date_to=scope.date_to,
            pmks=scope.pmks,
            kelurahan=scope.kelurahan,
            channels=scope.channels,
        )
    )


def _new(scope: Scope, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}opened_on__gte": scope.date_from, f"{prefix}opened_on__lte": scope.date_to}
    )


def _open_at_end(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": scope.date_to}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": scope.date_to})
    )


def _closed(scope: Scope, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}closed_on__gte": scope.date_from, f"{prefix}closed_on__lte": scope.date_to}
    )


# -- tables and sections -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTable:
    """One table of a section: its heading, the heading of its first column, and the counts."""

    title: str
    row_heading: str
    table: Table
    # The section's chart of the first column: "bar", "month" (rows are ``months``) or "".
    chart: str = "bar"
    months: tuple[datetime.date, ...] = ()
    # False when the rows count different things (the summary): no totals row.
    totals: bool = True


@dataclass(frozen=True)
class SectionResult:
    code: str
    title: str
    tables: list[ReportTable]
    note: str = ""


@dataclass(frozen=True)
class SectionSpec:
    title: Promise
    build: Callable[[Scope], list[ReportTable]]
    note: Promise | str = ""


def _table(
    scope: Scope,
    *,
    title: str,
    row_heading: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    chart: str = "bar",
    months: Sequence[datetime.date] = (),
    totals: bool = True,
) -> ReportTable:
    shown = table_shown(
        list(rows),
        list(columns),
        [list(line) for line in counts],
        threshold=scope.threshold,
        suppress=scope.suppress,
    )
    return ReportTable(
        title=title,
        row_heading=row_heading,
        table=shown,
        chart=chart,
        months=tuple(months),
        totals=totals,
    )


def _terms_rows(
    terms: QuerySet[Any], found: Mapping[Any, Sequence[int]], width: int, key: str = "pk"
) -> tuple[list[str], list[list[int]]]:
    """Every active term in its order, plus retired ones that have counts; then "not recorded"."""
    rows: list[str] = []
    counts: list[list[int]] = []
    for term in terms:
        value = getattr(term, key)
        line = list(found.get(value, [0] * width))
        if not term.is_active and not any(line):
            continue
        rows.append(term.name)
        counts.append(line)
    if any(found.get(None, [0] * width)):
        rows.append(_("Not recorded"))
        counts.append(list(found[None]))
    return rows, counts


def _summary(scope: Scope) -> list[ReportTable]:
    cases = cases_in(scope).aggregate(
        new=Count("pk", filter=_new(scope)),
        open_end=Count("pk", filter=_open_at_end(scope)),
        closed=Count("pk", filter=_closed(scope)),
        reopened=Count("pk", filter=_open_at_end(scope) & Q(times_reopened__gt=0)),
    )
    sessions = _sessions(scope).aggregate(held=Count("pk"), cases=Count("case_id", distinct=True))
    referrals = _referrals(scope).aggregate(
        out=Count("pk", filter=Q(direction=Direction.OUT)),
        into=Count("pk", filter=Q(direction=Direction.IN)),
    )
    lines = [
        (_("New cases"), cases["new"]),
        (_("Cases open at the end of the period"), cases["open_end"]),
        (_("Cases closed in the period"), cases["closed"]),
        (_("Open cases that were reopened"), cases["reopened"]),
        (_("Sessions held"), sessions["held"]),
        (_("Cases with a session"), sessions["cases"]),
        (_("Referrals out"), referrals["out"]),
        (_("Referrals in"), referrals["into"]),
    ]
    # Each line counts something different: no totals that add them up.
    table = _table(
        scope,
        title=_("Summary"),
        row_heading=_("Figure"),
        rows=[label for label, _count in lines],
        columns=[_("Number")],
        counts=[[count] for _label, count in lines],
        chart="",
        totals=False,
    )
    return [table]


def _by_pmks(scope: Scope) -> list[ReportTable]:
    through = Case.pmks_categories.through.objects.filter(case__in=cases_in(scope).values("pk"))
    found = {
        row["pmkscategory_id"]: [row["new"], row["open_end"], row["closed"]]
        for row in through.values("pmkscategory_id").annotate(
            new=Count("case_id", filter=_new(scope, "case__")),
            open_end=Count("case_id", filter=_open_at_end(scope, "case__")),
            closed=Count("case_id", filter=_closed(scope, "case__")),
        )
    }
    terms = PmksCategory.objects.all()
    if scope.pmks:
        terms = terms.filter(code__in=scope.pmks)
    rows, counts = _terms_rows(terms, found, 3)
    columns = [_("New"), _("Open at the end"), _("Closed")]
    return [
        _table(
            scope,
            title=_("Cases by PMKS category"),
            row_heading=_("PMKS category"),
            rows=rows,
            columns=columns,
            counts=counts,
        )
    ]


def _sessions(scope: Scope) -> QuerySet[CaseSession]:
    return CaseSession.objects.filter(
        case__in=cases_in(scope).values("pk"),
        held_on__gte=scope.date_from,
        held_on__lte=scope.date_to,
    )


def _referrals(scope: Scope) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(
        sent_between(scope.date_from, scope.date_to),
        organisation_id__in=scope.organisation_ids,
    )
    if scope.filtered:
        referrals = referrals.filter(case__in=cases_in(scope).values("pk"))
    return referrals


def _by_service(scope: Scope) -> list[ReportTable]:
    held = {
        row["kind"]: [row["held"], row["cases"]]
        for row in _sessions(scope)
        .values("kind")
        .annotate(held=Count("pk"), cases=Count("case_id", distinct=True))
    }
    kinds = list(SessionKind)
    sessions = _table(
        scope,
        title=_("Sessions held by kind"),
        row_heading=_("Kind of session"),
        rows=[str(kind.label) for kind in kinds],
        columns=[_("Sessions"), _("Cases served")],
        counts=[held.get(kind.value, [0, 0]) for kind in kinds],
    )
    found = {
        row["service_id"]: [row["out"], row["into"]]
        for row in _referrals(scope)
        .values("service_id")
        .annotate(
            out=Count("pk", filter=Q(direction=Direction.OUT)),
            into=Count("pk", filter=Q(direction=Direction.IN)),
        )
    }
    rows, counts = _terms_rows(ServiceType.objects.all(), found, 2)
    referrals = _table(
        scope,
        title=_("Referrals by service"),
        row_heading=_("Service"),
        rows=rows,
        columns=[_("Referrals out"), _("Referrals in")],
        counts=counts,
    )
    return [sessions, referrals]


def _by_channel(scope: Scope) -> list[ReportTable]:
    found = {
        row["intake_channel_id"]: [row["new"]]
        for row in cases_in(scope)
        .filter(_new(scope))
        .values("intake_channel_id")
        .annotate(new=Count("pk"))
    }
    terms = IntakeChannel.objects.all()
    if scope.channels:
        terms = terms.filter(code__in=scope.channels)
    rows, counts = _terms_rows(terms, found, 1)
    return [
        _table(
            scope,
            title=_("New cases by intake channel"),
            row_heading=_("Intake channel"),
            rows=rows,
            columns=[_("New cases")],
            counts=counts,
        )
    ]


def _by_kelurahan(scope: Scope) -> list[ReportTable]:
    found = {
        row["kelurahan_id"]: [row["new"], row["open_end"]]
        for row in cases_in(scope)
        .filter(_new(scope) | _open_at_end(scope))
        .values("kelurahan_id")
        .annotate(
            new=Count("pk", filter=_new(scope)), open_end=Count("pk", filter=_open_at_end(scope))
        )
    }
    names = dict(
        Region.objects.filter(code__in=[code for code in found if code]).values_list("code", "name")
    )
    codes = sorted((code for code in found if code), key=lambda code: (names.get(code, code), code))
    rows = [names.get(code, code) for code in codes]
    counts = [found[code] for code in codes]
    if None in found:
        rows.append(_("Not recorded"))
        counts.append(found[None])
    return [
        _table(
            scope,
            title=_("Cases by kelurahan"),
            row_heading=_("Kelurahan"),
            rows=rows,
            columns=[_("New"), _("Open at the end")],
            counts=counts,
        )
    ]


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The day ``years`` years before ``day`` (28 February for a 29 February)."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def age_group_labels() -> list[str]:
    labels = [
        _("%(low)s-%(high)s years") % {"low": low, "high": high}
        if high is not None
        else _("%(low)s years and over") % {"low": low}
        for low, high in AGE_GROUPS
    ]
    return [*labels, _("Age not known")]


def _by_sex_age(scope: Scope) -> list[ReportTable]:
    end = scope.date_to
    # A person is at least N years old at the end when born on or before N years earlier.
    whens = [
        When(client__birth_date__gt=years_before(end, high + 1), then=Value(index))
        for index, (_low, high) in enumerate(AGE_GROUPS)
        if high is not None
    ]
    unknown_age = len(AGE_GROUPS)
    group = CaseWhen(
        When(client__birth_date__isnull=True, then=Value(unknown_age)),
        *whens,
        default=Value(len(AGE_GROUPS) - 1),
    )
    rows_found = (
        cases_in(scope)
        .filter(_new(scope))
        .annotate(age_group=group, sex_code=Coalesce("client__sex", Value("")))
        .values("age_group", "sex_code")
        .annotate(cases=Count("pk"))
        .order_by()
    )
    sexes = [Sex.MALE.value, Sex.FEMALE.value, ""]
    counts = [[0] * len(sexes) for _row in range(len(AGE_GROUPS) + 1)]
    for row in rows_found:
        column = sexes.index(row["sex_code"]) if row["sex_code"] in sexes else len(sexes) - 1
        counts[row["age_group"]][column] += row["cases"]
    return [
        _table(
            scope,
            title=_("Clients of new cases by sex and age group"),
            row_heading=_("Age at the end of the period"),
            rows=age_group_labels(),
            columns=[str(Sex.MALE.label), str(Sex.FEMALE.label), _("Family")],
            counts=counts,
        )
    ]


def _by_outcome(scope: Scope) -> list[ReportTable]:
    closed = cases_in(scope).filter(_closed(scope))
    outcomes = {
        row["closure_outcome"]: row["cases"]
        for row in closed.values("closure_outcome").annotate(cases=Count("pk")).order_by()
    }
    reasons = {
        row["closure_reason"]: row["cases"]
        for row in closed.values("closure_reason").annotate(cases=Count("pk")).order_by()
    }

    def lines(choices: Any, found: Mapping[str, int]) -> tuple[list[str], list[list[int]]]:
        rows = [str(choice.label) for choice in choices]
        counts = [[found.get(choice.value, 0)] for choice in choices]
        if found.get(""):
            rows.append(_("Not recorded"))
            counts.append([found[""]])
        return rows, counts

    outcome_rows, outcome_counts = lines(ClosureOutcome, outcomes)
    reason_rows, reason_counts = lines(ClosureReason, reasons)
    return [
        _table(
            scope,
            title=_("Cases closed by outcome"),
            row_heading=_("Outcome"),
            rows=outcome_rows,
            columns=[_("Cases closed")],
            counts=outcome_counts,
        ),
        _table(
            scope,
            title=_("Cases closed by reason"),
            row_heading=_("Closure reason"),
            rows=reason_rows,
            columns=[_("Cases closed")],
            counts=reason_counts,
        ),
    ]


def _by_month(scope: Scope) -> list[ReportTable]:
    cases = cases_in(scope)
    opened = dict(
        cases.filter(_new(scope))
        .annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(cases=Count("pk"))
        .order_by("month")
        .values_list("month", "cases")
    )
    closed = dict(
        cases.filter(_closed(scope))
        .annotate(month=TruncMonth("closed_on"))
        .values("month")
        .annotate(cases=Count("pk"))
        .order_by("month")
        .values_list("month", "cases")
    )
    months = months_between(scope.date_from, scope.date_to)
    return [
        _table(
            scope,
            title=_("Cases by month"),
            row_heading=_("Month"),
            rows=[month_text(month) for month in months],
            columns=[_("New"), _("Closed")],
            counts=[[_month_value(opened, m), _month_value(closed, m)] for m in months],
            chart="month",
            months=months,
        )
    ]


def _month_value(found: Mapping[Any, int], month: datetime.date) -> int:
    for key, value in found.items():
        day = key.date() if isinstance(key, datetime.datetime) else key
        if day == month:
            return value
    return 0


def months_between(date_from: datetime.date, date_to: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``date_from``'s to ``date_to``'s."""
    months = []
    month = date_from.replace(day=1)
    while month <= date_to:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _repatriations(scope: Scope) -> list[ReportTable]:
    result = repatriation_report(
        organisations=Organisation.objects.filter(pk__in=scope.organisation_ids),
        date_from=scope.date_from,
        date_to=scope.date_to,
    )
    return [
        _table(
            scope,
            title=_("Stranded people by province of origin"),
            row_heading=_("Province of origin"),
            rows=[row.name for row in result.provinces],
            columns=[_("Taken in"), _("Returned home"), _("Stayed"), _("Still open")],
            counts=[
                [
                    row.counts.taken_in,
                    row.counts.returned,
                    row.counts.stayed,
                    row.counts.still_open,
                ]
                for row in result.provinces
            ],
        )
    ]


SECTIONS: dict[str, SectionSpec] = {
    "summary": SectionSpec(gettext_lazy("Summary"), _summary),
    "pmks": SectionSpec(
        gettext_lazy("Cases by PMKS category"),
        _by_pmks,
        gettext_lazy("A case with several PMKS categories counts under each of them."),
    ),
    "services": SectionSpec(gettext_lazy("Services given"), _by_service),
    "channel": SectionSpec(gettext_lazy("Cases by intake channel"), _by_channel),
    "kelurahan": SectionSpec(gettext_lazy("Cases by kelurahan"), _by_kelurahan),
    "sex_age": SectionSpec(
        gettext_lazy("Clients by sex and age group"),
        _by_sex_age,
        gettext_lazy("A case about a family counts under Family, with its age not known."),
    ),
    "outcome": SectionSpec(gettext_lazy("Closure outcomes"), _by_outcome),
    "months": SectionSpec(gettext_lazy("Cases by month"), _by_month),
    "repatriation": SectionSpec(
        gettext_lazy("Repatriations"),
        _repatriations,
        gettext_lazy("Stranded people found in the period; the case filters do not apply."),
    ),
}

MONTHLY_SECTIONS = [
    "summary",
    "pmks",
    "services",
    "channel",
    "kelurahan",
    "sex_age",
    "outcome",
    "repatriation",
]
ANNUAL_SECTIONS = [
    "summary",
    "months",
    "pmks",
    "services",
    "channel",
    "kelurahan",
    "sex_age",
    "outcome",
    "repatriation",
]

DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    ReportKind.MONTHLY: {
        "title": "Laporan Bulanan Lembaga Konsultasi Kesejahteraan Keluarga (LK3) {place}",
        "introduction": (
            "Laporan ini menyajikan data layanan {organisation} selama periode laporan: "
            "kasus baru, kasus yang ditangani, layanan yang diberikan, rujukan, hasil "
            "penutupan kasus, dan pemulangan."
        ),
        "sections": MONTHLY_SECTIONS,
        "closing": (
            "Demikian laporan ini dibuat dengan sebenarnya untuk dapat dipergunakan "
            "sebagaimana mestinya."
        ),
        "signatories": [
            {"title": "Ketua LK3", "name": ""},
            {"title": "Mengetahui, Kepala Dinas Sosial {place}", "name": ""},
        ],
    },
    ReportKind.ANNUAL: {
        "title": "Laporan Tahunan Lembaga Konsultasi Kesejahteraan Keluarga (LK3) {place}",
        "introduction": (
            "Laporan ini menyajikan data layanan {organisation} selama satu tahun: "
            "perkembangan kasus per bulan, layanan yang diberikan, rujukan, hasil "
            "penutupan kasus, dan pemulangan."
        ),
        "sections": ANNUAL_SECTIONS,
        "closing": (
            "Demikian laporan tahunan ini dibuat dengan sebenarnya untuk dapat "
            "dipergunakan sebagaimana mestinya."
        ),
        "signatories": [
            {"title": "Ketua LK3", "name": ""},
            {"title": "Mengetahui, Kepala Dinas Sosial {place}", "name": ""},
        ],
    },
}


def place_of(organisation: Organisation) -> str:
    """The city or regency the organisation serves, as its region names it ("Kota Bontang")."""
    region: Region | None = organisation.region
    while region is not None and region.level not in (RegionLevel.REGENCY, RegionLevel.PROVINCE):
        region = region.parent
    return region.name if region is not None else ""


def default_template(organisation: Organisation, kind: str) -> dict[str, Any]:
    """The default template of a kind, with the organisation's place filled in."""
    default = DEFAULT_TEMPLATES[kind]
    words = {"place": place_of(organisation), "organisation": organisation.name}
    return {
        "title": default["title"].format(**words).strip(),
        "introduction": default["introduction"].format(**words),
        "sections": list(default["sections"]),
        "closing": default["closing"],
        "signatories": [
            {"title": line["title"].format(**words).strip(), "name": line["name"]}
            for line in default["signatories"]
        ],
    }


# -- building a report ---------------------------------------------------------------------------


def build_section(code: str, scope: Scope) -> SectionResult:
    spec = SECTIONS[code]
    return SectionResult(
        code=code, title=str(spec.title), tables=spec.build(scope), note=str(spec.note)
    )


def build_sections(
    codes: Sequence[str],
    scope: Scope,
    *,
    progress: Callable[[int, int], None] | None = None,
    language: str = REPORT_LANGUAGE,
) -> list[SectionResult]:
    """The known sections among ``codes``, in order, their labels in ``language``.

    ``progress(done, total)`` is called after each section.
    """
    known = [code for code in codes if code in SECTIONS]
    results = []
    with translation.override(language):
        for done, code in enumerate(known, start=1):
            results.append(build_section(code, scope))
            if progress is not None:
                progress(done, len(known))
    return results


def period_text(date_from: datetime.date, date_to: datetime.date) -> str:
    """ "November 2026", "Tahun 2026" or "1 Juli 2026 s.d. 30 September 2026", in Indonesian."""
    with translation.override(REPORT_LANGUAGE):
        last = calendar.monthrange(date_to.year, date_to.month)[1]
        whole_months = date_from.day == 1 and date_to.day == last
        if whole_months and (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return month_text(date_from)
        if (
            whole_months
            and date_from.year == date_to.year
            and (date_from.month, date_to.month) == (1, 12)
        ):
            return _("Year %(year)s") % {"year": date_from.year}
        return _("%(start)s to %(end)s") % {
            "start": date_format(date_from, "j F Y"),
            "end": date_format(date_to, "j F Y"),
        }


def month_text(month: datetime.date) -> str:
    with translation.override(REPORT_LANGUAGE):
        return str(date_format(month, "F Y"))


def month_period(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return (
        datetime.date(year, month, 1),
        datetime.date(year, month, calendar.monthrange(year, month)[1]),
    )


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def filter_names(filters: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """Each chosen filter as (label, names), for the cover of a report."""
    labels = {
        "pmks": _("PMKS categories"),
        "kelurahan": _("Kelurahan"),
        "channels": _("Intake channels"),
    }
    lines = []
    for key in FILTER_KEYS:
        codes = list(filters.get(key) or ())
        if not codes:
            continue
        names = dict(_filter_terms(key).filter(code__in=codes).values_list("code", "name"))
        lines.append((labels[key], ", ".join(names.get(code, code) for code in codes)))
    return lines


@dataclass(frozen=True)
class ReportDocument:
    """Everything an official report file shows, in the order it is printed."""

    organisation: Organisation
    kind: str
    title: str
    introduction: str
    closing: str
    signatories: list[dict[str, str]]
    period: str
    filters: list[tuple[str, str]]
    generated_at: datetime.datetime
    counts_only: bool
    threshold: int
    sections: list[SectionResult]

    @property
    def suppressed_meaning(self) -> str:
        """What "<5" means, for the cover."""
        with translation.override(REPORT_LANGUAGE):
            return _(
                "%(mark)s: a count from 1 to %(largest)s, not shown so that nobody can be "
                "identified; some other cells are hidden too so it cannot be worked back."
            ) % {"mark": f"<{self.threshold}", "largest": self.threshold - 1}

    @property
    def generated_date(self) -> str:
        with translation.override(REPORT_LANGUAGE):
            return str(date_format(timezone.localtime(self.generated_at), "j F Y"))

    @property
    def generated_text(self) -> str:
        with translation.override(REPORT_LANGUAGE):
            return str(date_format(timezone.localtime(self.generated_at), "j F Y H:i"))


def period_code(date_from: datetime.date, date_to: datetime.date) -> str:
    """The period for a file name: "2026-11", "2026", or "2026-07-01_2026-09-30"."""
    last = calendar.monthrange(date_to.year, date_to.month)[1]
    whole_months = date_from.day == 1 and date_to.day == last
    if whole_months and (date_from.year, date_from.month) == (date_to.year, date_to.month):
        return f"{date_from:%Y-%m}"
    if (
        whole_months
        and date_from.year == date_to.year
        and (date_from.month, date_to.month) == (1, 12)
    ):
        return f"{date_from:%Y}"
    return f"{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}"
