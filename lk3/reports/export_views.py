"""List exports: the page of the lists a user may export, and the downloads.

Exporters: ``exports.kinds_for_user`` (the casework roles; persons for the
registry roles). A role with no list gets a 403 on the page, a kind the
role may not export is a 403, an unknown kind or format a 404. Every
download is recorded (access log and audit, with its row count) before the
first row is sent. CSV is streamed; XLSX is built in memory (a zip file).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from lk3.accounts.models import User
from lk3.cases.stages import stage_labels
from lk3.reports import exports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exporter(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not exports.kinds_for_user(user):
        raise PermissionDenied
    return user


def _entries(user: User, chosen: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each list the user may export: its columns and its filters with their choices."""
    names = stage_labels(user.organisation_id)
    entries = []
    for kind in exports.kinds_for_user(user):
        filters = []
        for name, (label, choices) in kind.filters.items():
            options = [
                (str(code), names.get(str(code), str(text)) if name == "stage" else str(text))
                for code, text in choices
            ]
            selected = (chosen or {}).get(name, "")
            filters.append({"name": name, "label": label, "options": options, "selected": selected})
        entries.append(
            {"kind": kind, "columns": exports.headers(kind.code, user), "filters": filters}
        )
    return entries


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    user = _exporter(request)
    return render(request, "reports/exports.html", {"entries": _entries(user)})


def _in_language(language: str, lines: Iterator[str]) -> Iterator[str]:
    """Rows are rendered while the response streams, after the view has returned."""
    with translation.override(language):
        yield from lines


@login_required
@require_GET
def export(
    request: HttpRequest, kind: str, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    if kind not in exports.KINDS or file_format not in exports.FORMATS:
        raise Http404
    user = _exporter(request)
    if not exports.KINDS[kind].may_export(user):
        raise PermissionDenied
    filters, errors = exports.clean_filters(exports.KINDS[kind], request.GET)
    if errors:
        context = {
            "entries": _entries(user, {name: request.GET.get(name, "") for name in request.GET}),
            "errors": errors,
        }
        return render(request, "reports/exports.html", context, status=400)
    today = timezone.localdate()
    exports.export_record(
        actor=user,
        kind=kind,
        file_format=file_format,
        row_count=exports.row_count(kind, user, filters),
        filters=filters,
        path=request.get_full_path(),
    )
    header = exports.headers(kind, user)
    data = exports.rows(kind, user, filters, exports.export_context(user, today))
    name = exports.filename(kind, today, file_format)
    response: HttpResponse | StreamingHttpResponse
    if file_format == exports.CSV:
        lines = _in_language(translation.get_language(), exports.csv_lines(header, data))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        title = str(exports.KINDS[kind].label)
        response = HttpResponse(exports.xlsx_bytes(title, header, data), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("exports/", export_list, name="exports"),
    path("exports/<slug:kind>.<slug:file_format>", export, name="export"),
]
