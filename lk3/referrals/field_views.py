"""Pages of field-officer reports: the officer's form, list and status page; the intake queue.

The report form works as a plain POST. ``static/js/field_report.js`` sends
the same form with ``fetch`` (header ``X-Field-Draft: 1``) so a draft
survives a lost connection; such requests are answered in JSON: the page
to go to, or the errors per field. The upload limit is installed before
anything reads the body, as on the case attachment page.

The officer's pages never show the case a report became; the intake
desk's page of the same report has the actions that take it on.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases import attachments
from lk3.cases.caseload import kelurahan_choices
from lk3.cases.models import Case
from lk3.cases.permissions import case_get_for_user
from lk3.cases.selectors import lead_candidates
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error
from lk3.people.permissions import person_get_for_user
from lk3.referrals import field_reports, field_selectors
from lk3.referrals.field_forms import (
    FieldReportForm,
    MarkDoneForm,
    QueueFilterForm,
    TakeIntoCaseForm,
)
from lk3.referrals.models import FieldReport, FieldReportStatus, Urgency
from lk3.referrals.permissions import (
    can_file_field_report,
    can_take_intake,
    field_report_get_for_user,
)

DRAFT_HEADER = "X-Field-Draft"
INVALID = 422
TOO_LARGE = 413


def _user(request: HttpRequest, allowed: Any) -> User:
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise PermissionDenied
    return user


def _sent_by_script(request: HttpRequest) -> bool:
    return request.headers.get(DRAFT_HEADER) == "1"


# -- the officer's form ----------------------------------------------------------------------


@csrf_exempt  # checked by _field_report_create once the upload limit is installed
@login_required
@require_http_methods(["GET", "POST"])
def field_report_create(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_file_field_report)
    if request.method == "POST" and attachments.declared_too_large(request):
        return _refused_too_large(request, user)
    limit = attachments.UploadLimit(request)
    request.upload_handlers = [limit, *request.upload_handlers]
    return _field_report_create(request, user=user, limit=limit)


@csrf_protect
def _field_report_create(
    request: HttpRequest, *, user: User, limit: attachments.UploadLimit
) -> HttpResponse:
    form = _report_form(user, request.POST or None, request.FILES or None)
    if request.method == "POST" and limit.exceeded:
        apply_domain_error(form, field_reports.photo_too_large_error())
        return _form_answer(request, form, status=TOO_LARGE)
    if request.method == "POST" and form.is_valid():
        try:
            report = field_reports.field_report_file(actor=user, **form.details())
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Report sent. Thank you: the LK3 will follow it up."))
            url = reverse("referrals:field_report_detail", args=[report.public_id])
            return JsonResponse({"url": url}) if _sent_by_script(request) else redirect(url)
    return _form_answer(request, form, status=INVALID if _sent_by_script(request) else 200)


def _report_form(user: User, *args: Any) -> FieldReportForm:
    assert user.organisation is not None
    preferred = list(user.kelurahan.order_by("name").values_list("code", flat=True))
    return FieldReportForm(
        *args, kelurahan=kelurahan_choices(user.organisation), preferred=preferred
    )


def _refused_too_large(request: HttpRequest, user: User) -> HttpResponse:
    # The body was never read: the form is shown again empty, with the refusal.
    form = _report_form(user)
    refusal = str(field_reports.photo_too_large_error().message)
    if _sent_by_script(request):
        return JsonResponse({"errors": {"photo": [refusal]}}, status=TOO_LARGE)
    context = {"form": form, "refusal": refusal}
    return render(request, "referrals/field_report_form.html", context, status=TOO_LARGE)


def _form_answer(request: HttpRequest, form: FieldReportForm, *, status: int) -> HttpResponse:
    if request.method == "POST" and _sent_by_script(request):
        errors = {name: [str(error) for error in items] for name, items in form.errors.items()}
        return JsonResponse({"errors": errors}, status=status)
    return render(request, "referrals/field_report_form.html", {"form": form}, status=status)


# -- the officer's reports -------------------------------------------------------------------


@login_required
@require_GET
def field_report_mine(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_file_field_report)
    page = Paginator(field_selectors.my_field_reports(user=user), field_selectors.PER_PAGE)
    rows = page.get_page(request.GET.get("page"))
    context = {"page": rows, "rows": _rows(rows.object_list)}
    return render(request, "referrals/field_report_mine.html", context)


def _rows(values: Any) -> list[dict[str, Any]]:
    labels, urgencies = dict(FieldReportStatus.choices), dict(Urgency.choices)
    return [
        {
            **row,
            "status_label": labels[row["shown_status"]],
            "urgency_label": urgencies.get(row["urgency"], ""),
            "url": reverse("referrals:field_report_detail", args=[row["public_id"]]),
        }
        for row in values
    ]


@login_required
@require_GET
def field_report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request, lambda user: True)
    report = field_report_get_for_user(user, public_id)
    status = field_selectors.field_report_for_page(report)
    if not can_take_intake(user):
        # The officer's page: what they reported and its status, never the case.
        context = {"report": report, **status}
        return render(request, "referrals/field_report_status.html", context)
    access_record(
        actor=user,
        target=report,
        purpose="field_report",
        path=request.path,
        organisation=report.organisation,
    )
    return render(
        request, "referrals/field_report_intake.html", _intake_page(request, user, report, status)
    )


def _intake_page(
    request: HttpRequest, user: User, report: FieldReport, status: dict[str, Any]
) -> dict[str, Any]:
    waiting = report.case_id is None and report.status != FieldReportStatus.DONE
    query = request.GET.get("q", report.person_name).strip()
    hits = field_selectors.person_candidates(user=user, query=query) if waiting else []
    open_cases = field_selectors.open_cases_for_persons(
        user=user, persons=[hit.person for hit in hits]
    )
    return {
        "report": report,
        **status,
        "waiting": waiting,
        "query": query,
        "candidates": [(hit, open_cases.get(hit.person.pk, [])) for hit in hits],
        "done_form": MarkDoneForm(),
        "case": report.case if report.case_id else None,
        "reporter": report.reported_by,
    }


@login_required
@require_GET
def field_report_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    user = _user(request, lambda user: True)
    report = field_report_get_for_user(user, public_id)
    if not report.photo:
        raise Http404
    name = report.photo.name or ""
    file_type = next(
        (kind for kind in field_reports.PHOTO_TYPES if name.endswith(kind.extensions)), None
    )
    if file_type is None:
        raise Http404
    response = FileResponse(
        report.photo.storage.open(name, "rb"), content_type=file_type.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- the intake desk -------------------------------------------------------------------------


@login_required
@require_GET
def field_report_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_take_intake)
    assert user.organisation is not None
    form = QueueFilterForm(request.GET or None, kelurahan=kelurahan_choices(user.organisation))
    reports = field_selectors.field_report_queue(user=user, filters=form.filters())
    rows = Paginator(reports, field_selectors.PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": rows,
        "rows": _rows(rows.object_list),
        "query_string": query.urlencode(),
    }
    return render(request, "referrals/field_report_queue.html", context)


def _desk_report(request: HttpRequest, public_id: UUID) -> tuple[User, FieldReport]:
    """The report as the intake desk acts on it: 404 out of reach, 403 for anyone else."""
    user = _user(request, lambda user: True)
    report = field_report_get_for_user(user, public_id)
    if not can_take_intake(user):
        raise PermissionDenied
    return user, report


@login_required
@require_http_methods(["GET", "POST"])
def field_report_take(request: HttpRequest, public_id: UUID, person_id: UUID) -> HttpResponse:
    user, report = _desk_report(request, public_id)
    person = person_get_for_user(user, person_id)
    if report.case_id is not None:
        messages.info(request, _("This report is already linked to a case."))
        return redirect("referrals:field_report_detail", public_id=report.public_id)
    form = TakeIntoCaseForm(
        request.POST or None,
        leads=lead_candidates(report.organisation_id),
        initial=_take_initial(report),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = field_reports.field_report_take_into_case(
                actor=user, report=report, person=person, **form.details()
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Case %(number)s opened from the report.") % {"number": case.number}
            )
            return redirect("cases:case_detail", public_id=case.public_id)
    context = {"form": form, "report": report, "person": person}
    return render(request, "referrals/field_report_take.html", context)


def _take_initial(report: FieldReport) -> dict[str, Any]:
    channel = field_reports.channel_for(report)
    return {
        "intake_channel": channel.pk if channel is not None else None,
        "presenting_problem": report.what_happened,
        "risk_level": "high" if report.urgency == Urgency.URGENT else "medium",
    }


@login_required
@require_POST
def field_report_link(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, report = _desk_report(request, public_id)
    case = _case_chosen(user, request.POST.get("case", ""))
    if case is None:
        messages.error(request, str(field_reports.CASE_NOT_REACHABLE))
        return redirect("referrals:field_report_detail", public_id=report.public_id)
    try:
        field_reports.field_report_link_case(actor=user, report=report, case=case)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        linked = _("The report is linked to case %(number)s.") % {"number": case.number}
        messages.success(request, linked)
    return redirect("referrals:field_report_detail", public_id=report.public_id)


def _case_chosen(user: User, value: str) -> Case | None:
    try:
        public_id = UUID(value)
    except ValueError:
        return None
    return case_get_for_user(user, public_id)


@login_required
@require_POST
def field_report_done(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, report = _desk_report(request, public_id)
    form = MarkDoneForm(request.POST)
    if form.is_valid():
        try:
            field_reports.field_report_mark_done(
                actor=user, report=report, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The report is marked done."))
            return redirect("referrals:field_report_detail", public_id=report.public_id)
    status = field_selectors.field_report_for_page(report)
    context = _intake_page(request, user, report, status) | {"done_form": form}
    return render(request, "referrals/field_report_intake.html", context)


urlpatterns: list[URLPattern] = [
    path("field/new/", field_report_create, name="field_report_create"),
    path("field/mine/", field_report_mine, name="field_report_mine"),
    path("field/queue/", field_report_queue, name="field_report_queue"),
    path("field/<uuid:public_id>/", field_report_detail, name="field_report_detail"),
    path("field/<uuid:public_id>/photo/", field_report_photo, name="field_report_photo"),
    path(
        "field/<uuid:public_id>/take/<uuid:person_id>/",
        field_report_take,
        name="field_report_take",
    ),
    path("field/<uuid:public_id>/link/", field_report_link, name="field_report_link"),
    path("field/<uuid:public_id>/done/", field_report_done, name="field_report_done"),
]
