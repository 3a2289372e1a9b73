"""Pages of a case's assessments: fill one in, read it, correct it, see the scores over time.

The form is built from the instrument version's schema. Answers and the
narrative are shown only to people who may work on the case, and showing
them is logged (AccessEvent ``assessment``); others who reach the case see
the date, the instrument, the score and its band.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lk3.audit.services import access_record
from lk3.cases import assessments, instruments
from lk3.cases.assessment_forms import AssessmentForm
from lk3.cases.instruments import Schema
from lk3.cases.models import Assessment, Case
from lk3.cases.permissions import can_work_on
from lk3.cases.work_views import reached_case
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version


def _assessment_of(case: Case, assessment_id: UUID) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("instrument", "assessed_by"),
        case=case,
        public_id=assessment_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    instrument = assessments.instrument_for_form(code, request.POST.get("instrument_version"))
    if instrument is None:
        raise Http404
    form = AssessmentForm(
        request.POST or None,
        schema=cast(Schema, instrument.schema),
        initial={"assessed_on": timezone.localdate(), "instrument_version": instrument.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessments.assessment_record(
                actor=user,
                case=case,
                instrument=instrument,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
                narrative=form.cleaned_data["narrative"],
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("cases:assessment_detail", case.public_id, assessment.public_id)
    context = {"case": case, "form": form, "instrument": instrument, "assessment": None}
    return render(request, "cases/assessment_form.html", context)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, public_id: UUID, assessment_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    assessment = _assessment_of(case, assessment_id)
    schema = cast(Schema, assessment.instrument.schema)
    can_work = can_work_on(user, case)
    if can_work:
        access_record(
            actor=user,
            target=assessment,
            purpose="assessment",
            path=request.path,
            organisation=case.organisation,
        )
    context = {
        "case": case,
        "assessment": assessment,
        "can_work": can_work,
        "band": instruments.band_for(schema, assessment.score),
        "subscales": instruments.subscale_scores(schema, assessment.answers),
        "sections": instruments.answers_display(schema, assessment.answers) if can_work else [],
        "description": schema.get("description", ""),
    }
    return render(request, "cases/assessment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, public_id: UUID, assessment_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    assessment = _assessment_of(case, assessment_id)
    form = AssessmentForm(
        request.POST or None,
        schema=cast(Schema, assessment.instrument.schema),
        answers=assessment.answers,
        initial={
            "assessed_on": assessment.assessed_on,
            "narrative": assessment.narrative,
            "version": assessment.version,
        },
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            assessments.assessment_update(
                actor=user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"] or 0,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
                narrative=form.cleaned_data["narrative"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:assessment_detail", case.public_id, assessment.public_id)
    context = {
        "case": case,
        "form": form,
        "instrument": assessment.instrument,
        "assessment": assessment,
        "stale": stale,
        "stale_rows": _stale_rows(assessment, stale) if stale else [],
    }
    return render(request, "cases/assessment_form.html", context, status=409 if stale else 200)


def _stale_rows(assessment: Assessment, stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    """What the other person changed: answers and the narrative as they are now (the audit
    trail only says they changed), by the question's own words."""
    current = Assessment.objects.select_related("instrument").get(pk=assessment.pk)
    schema = cast(Schema, current.instrument.schema)
    by_code = {question["code"]: question for question in instruments.questions(schema)}
    rows: list[tuple[str, Any, Any]] = []
    for name, values in stale.changed_fields.items():
        before, after = values if isinstance(values, list | tuple) else ("", values)
        if name.startswith("answers."):
            question = by_code.get(name.removeprefix("answers."))
            if question is not None:
                value = current.answers.get(question["code"])
                rows.append((question["label"], "", instruments.answer_display(question, value)))
            continue
        field: Any = Assessment._meta.get_field(name)
        if name == "narrative":
            before, after = "", current.narrative
        rows.append((str(capfirst(field.verbose_name)), before, after))
    return rows


@login_required
@require_GET
def assessment_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    context = {
        "case": case,
        "assessments": list(assessments.assessments_of(case)),
        "instruments": list(assessments.instruments_active()),
        "can_work": can_work_on(user, case),
    }
    return render(request, "cases/assessment_progress.html", context)


urlpatterns: list[URLPattern] = [
    path(
        "<uuid:public_id>/assessments/",
        assessment_progress,
        name="assessment_progress",
    ),
    path(
        "<uuid:public_id>/assessments/new/<slug:code>/",
        assessment_create,
        name="assessment_create",
    ),
    path(
        "<uuid:public_id>/assessments/<uuid:assessment_id>/",
        assessment_detail,
        name="assessment_detail",
    ),
    path(
        "<uuid:public_id>/assessments/<uuid:assessment_id>/edit/",
        assessment_edit,
        name="assessment_edit",
    ),
]
