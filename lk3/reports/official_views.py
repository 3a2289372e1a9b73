"""Official reports: ask for one, watch it being prepared, download it; edit the template.

Readers: ``permissions.can_read_reports`` (coordinator, supervisor, aggregate
viewer); anyone else gets a 403. A run and its files are reached only by the
person who asked for it (another reader gets a 404). The template is edited
by the coordinator. Every download is recorded as an access and audited.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import access_record, audit_record
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.reports import official, runs
from lk3.reports.models import ReportKind, ReportRun, RunStatus
from lk3.reports.official_forms import RunForm, TemplateForm
from lk3.reports.permissions import (
    can_edit_template,
    can_read_reports,
    report_organisation_ids,
    run_get_for_user,
)

DOWNLOAD_PURPOSE = "official_report"
RECENT_RUNS = 20
FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read_reports(user):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def official_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    organisations = list(
        Organisation.objects.filter(pk__in=report_organisation_ids(user)).order_by("name")
    )
    form = RunForm(request.POST or None, organisations=organisations, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        date_from, date_to = form.cleaned_data["period"]
        try:
            run = runs.run_request(
                actor=user,
                kind=form.cleaned_data["kind"],
                date_from=date_from,
                date_to=date_to,
                filters=form.filters(),
                organisation_ids=form.organisation_ids(),
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            return redirect("reports:official_run", public_id=run.public_id)
    context = {
        "form": form,
        "runs": ReportRun.objects.filter(requested_by=user)[:RECENT_RUNS],
        "can_edit_template": can_edit_template(user),
        "kinds": ReportKind.choices,
    }
    return render(request, "reports/official_list.html", context, status=200)


def _run_context(run: ReportRun) -> dict[str, Any]:
    return {
        "run": run,
        "period": official.period_text(run.date_from, run.date_to),
        "waiting": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    }


@login_required
@require_GET
def official_run(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _reader(request)
    run = run_get_for_user(user, public_id)
    return render(request, "reports/official_run.html", _run_context(run))


@login_required
@require_GET
def official_run_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _reader(request)
    run = run_get_for_user(user, public_id)
    response = render(request, "reports/_run_status.html", _run_context(run))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def official_download(request: HttpRequest, public_id: UUID, file_type: str) -> FileResponse:
    user = _reader(request)
    run = run_get_for_user(user, public_id)
    if file_type not in FILE_TYPES or run.status != RunStatus.DONE:
        raise Http404
    stored = run.xlsx if file_type == "xlsx" else run.pdf
    if not stored:
        raise Http404
    with transaction.atomic():
        access_record(
            actor=user,
            target=run,
            purpose=DOWNLOAD_PURPOSE,
            path=request.get_full_path(),
            organisation=user.organisation,
        )
        audit_record(
            actor=user,
            action=actions.REPORT_DOWNLOADED,
            target=run,
            organisation=user.organisation,
            changes={"file": [None, file_type]},
        )
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{runs.file_stem(run)}.{file_type}",
        content_type=FILE_TYPES[file_type],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def official_template(request: HttpRequest, kind: str) -> HttpResponse:
    user = _reader(request)
    if kind not in ReportKind.values:
        raise Http404
    if not can_edit_template(user) or user.organisation is None:
        raise PermissionDenied
    template = runs.template_for(user.organisation, kind)
    form = TemplateForm(request.POST or None, template=template)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            runs.template_save(
                actor=user,
                organisation=user.organisation,
                kind=kind,
                expected_version=data["version"],
                title=data["title"],
                introduction=data["introduction"],
                sections=form.sections(),
                closing=data["closing"],
                signatories=form.signatories(),
            )
        except StaleEditError as error:
            carry_current_version(form, error.current_version)
            form.add_error(None, str(error.message))
            stale = error
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Report template saved."))
            return redirect("reports:official_template", kind=kind)
    context = {
        "form": form,
        "template": template,
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "preview": [
            official.SECTIONS[code].title for code in template.sections if code in official.SECTIONS
        ],
        "stale": stale,
    }
    return render(request, "reports/official_template.html", context)


urlpatterns: list[URLPattern] = [
    path("official/", official_list, name="official"),
    path("official/template/<str:kind>/", official_template, name="official_template"),
    path("official/<uuid:public_id>/", official_run, name="official_run"),
    path("official/<uuid:public_id>/status/", official_run_status, name="official_run_status"),
    path(
        "official/<uuid:public_id>/<str:file_type>/",
        official_download,
        name="official_download",
    ),
]
