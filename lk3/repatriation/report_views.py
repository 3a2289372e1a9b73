"""The repatriation report page and its CSV download.

Readers: ``permissions.can_read_reports`` (the coordinator, the social
office's supervisor, aggregate viewers); anyone else gets a 403. The figures
cover ``permissions.report_organisations``: the reader's own organisation
and those it supervises, one of them when chosen. Counts and sums only,
never a name. Each view and each download is recorded as an access.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.repatriation.permissions import can_read_reports, report_organisations
from lk3.repatriation.report_forms import ReportFilterForm, ReportScope
from lk3.repatriation.reports import OriginRow, Report, repatriation_report

VIEW_PURPOSE = "repatriation_report"
EXPORT_PURPOSE = "repatriation_report_export"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read_reports(user):
        raise PermissionDenied
    return user


def _scope(request: HttpRequest, user: User) -> tuple[ReportFilterForm, ReportScope]:
    form = ReportFilterForm(request.GET or None, organisations=report_organisations(user))
    return form, form.scope(timezone.localdate())


def _record(request: HttpRequest, user: User, purpose: str) -> None:
    assert user.organisation is not None  # can_read_reports: an active member
    access_record(
        actor=user,
        target=user.organisation,
        purpose=purpose,
        path=request.get_full_path(),
        organisation=user.organisation,
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form, scope = _scope(request, user)
    organisations = list(scope.organisations)
    result = repatriation_report(
        organisations=organisations, date_from=scope.date_from, date_to=scope.date_to
    )
    _record(request, user, VIEW_PURPOSE)
    context = {
        "form": form,
        "report": result,
        "organisations": organisations,
        "choose_organisation": len(form.organisations) > 1,
        "query_string": request.GET.urlencode(),
    }
    return render(request, "repatriation/report.html", context)


# -- CSV -----------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    if value is None:
        return ""
    return value


def _section(writer: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer.writerow([_cell(title)])
    writer.writerow([_cell(name) for name in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    writer.writerow([])


def _counts_header(first: Sequence[str]) -> list[str]:
    return [*first, _("Taken in"), _("Returned home"), _("Stayed"), _("Still open")]


def _counts(row: OriginRow) -> list[int]:
    counts = row.counts
    return [counts.taken_in, counts.returned, counts.stayed, counts.still_open]


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def report_csv_text(result: Report, organisation_names: Sequence[str]) -> str:
    """The report's tables as CSV, one section per table, in the active language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    _section(
        writer,
        _("Repatriation report"),
        [_("From"), _("To"), _("Organisations"), _("Intakes")],
        [
            [
                result.date_from.isoformat(),
                result.date_to.isoformat(),
                "; ".join(organisation_names),
                result.groups,
            ]
        ],
    )
    totals = result.totals
    _section(
        writer,
        _("By origin province"),
        _counts_header([_("Code"), _("Province")]),
        [
            *([row.code, row.name, *_counts(row)] for row in result.provinces),
            [
                "",
                _("Total"),
                totals.taken_in,
                totals.returned,
                totals.stayed,
                totals.still_open,
            ],
        ],
    )
    _section(
        writer,
        _("By origin kab/kota"),
        _counts_header([_("Code"), _("Kab/kota"), _("Province")]),
        ([row.code, row.name, row.province_name, *_counts(row)] for row in result.regencies),
    )
    _section(
        writer,
        _("By month"),
        [_("Month"), _("People taken in"), _("People arrived home")],
        ([row.month.strftime("%Y-%m"), row.taken_in, row.arrived] for row in result.months),
    )
    costs = result.costs
    _section(
        writer,
        _("Costs (Rp)"),
        [_("Figure"), _("Value")],
        [
            [_("Approved plans"), costs.approved_plans],
            [_("Total of approved plans"), costs.approved_total],
            [_("Travellers in approved plans"), costs.approved_travellers],
            [_("Average cost per person"), _number(costs.per_person)],
            [_("Plans of groups arrived home"), costs.arrived_plans],
            [_("Total of groups arrived home"), costs.arrived_total],
            [_("Plans above the ceiling"), costs.over_ceiling],
        ],
    )
    days = result.days
    _section(
        writer,
        _("Days from intake to return"),
        [_("Groups arrived home"), _("Median"), _("Mean"), _("Longest")],
        [[days.groups, _number(days.median), _number(days.mean), _number(days.longest)]],
    )
    return buffer.getvalue()


@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    _form, scope = _scope(request, user)
    organisations = list(scope.organisations)
    result = repatriation_report(
        organisations=organisations, date_from=scope.date_from, date_to=scope.date_to
    )
    _record(request, user, EXPORT_PURPOSE)
    text = report_csv_text(result, [organisation.name for organisation in organisations])
    filename = f"pemulangan-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}.csv"
    # A byte-order mark, so that spreadsheets read the file as UTF-8.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("reports/", report, name="report"),
    path("reports/export.csv", report_csv, name="report_csv"),
]
