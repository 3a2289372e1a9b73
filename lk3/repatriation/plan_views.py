"""Pages of the return plan: edit and submit it; the coordinator's review, approval or send back.

Editing and submitting are for whoever works on the group's case; the
review, approval and send back are the coordinator's (others who reach the
group get a 403, ``group_get_for_coordinator``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version, change_rows
from lk3.repatriation import plans
from lk3.repatriation.models import PlanStatus, ReturnPlan, StrandedGroup
from lk3.repatriation.permissions import group_get_for_coordinator, group_get_for_user
from lk3.repatriation.plan_forms import ApproveForm, PlanForm, SendBackForm, SubmitForm
from lk3.repatriation.plan_selectors import plan_facts
from lk3.repatriation.rules import settings_for

CONFLICT = 409


def _plan_or_404(group: StrandedGroup) -> ReturnPlan:
    plan = plans.plan_of(group)
    if plan is None:
        raise Http404
    return plan


def _initial(plan: ReturnPlan | None) -> dict[str, Any]:
    if plan is None:
        return {}
    return {
        "mode": plan.mode,
        "route": plan.route,
        "departure_on": plan.departure_on,
        "tickets": plan.tickets,
        "escort": plan.escort,
        **{name: int(getattr(plan, name)) for name in plans.COST_FIELDS},
        "receiving_organisation": (
            plan.receiving_organisation.public_id if plan.receiving_organisation else None
        ),
        "receiving_agency": plan.receiving_agency,
        "use_relay": bool(plan.via_relay),
        "version": plan.version,
    }


def _stale_context(
    form: forms.BaseForm, error: StaleEditError | None, *, rows: bool = True
) -> dict[str, Any]:
    if error is None:
        return {}
    carry_current_version(form, error.current_version)
    return {
        "stale": error,
        "stale_rows": change_rows(ReturnPlan, error.changed_fields) if rows else [],
    }


def _edit_page(
    request: HttpRequest,
    group: StrandedGroup,
    plan: ReturnPlan | None,
    *,
    form: PlanForm,
    submit_form: SubmitForm | None = None,
    stale: dict[str, Any] | None = None,
) -> HttpResponse:
    if submit_form is None and plan is not None:
        submit_form = SubmitForm(
            initial={"version": plan.version, "over_ceiling_reason": plan.over_ceiling_reason}
        )
    context = {
        "group": group,
        "case": group.case,
        "form": form,
        "submit_form": submit_form,
        "travellers": list(plans.travellers_of(group)),
        "can_submit": plan is not None and plan.status == PlanStatus.DRAFT,
        **plan_facts(group, plan),
        **(stale or {}),
    }
    status = CONFLICT if stale else 200
    return render(request, "repatriation/plan_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    group = group_get_for_user(user, public_id, for_work=True)
    plan = plans.plan_of(group)
    relay = settings_for(group.organisation).provincial_relay
    form = PlanForm(
        request.POST or None,
        initial=_initial(plan),
        organisation_id=group.organisation_id,
        relay=relay,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = plan.status if plan is not None else PlanStatus.DRAFT
        try:
            saved = plans.plan_save(
                actor=user,
                group=group,
                expected_version=data["version"],
                mode=data["mode"],
                route=data["route"],
                departure_on=data["departure_on"],
                tickets=data["tickets"],
                escort=data["escort"],
                **{name: data[name] for name in plans.COST_FIELDS},
                receiving_organisation=data["receiving_organisation"],
                receiving_agency=data["receiving_agency"],
                via_relay=relay if data["use_relay"] else "",
            )
        except StaleEditError as error:
            return _edit_page(request, group, plan, form=form, stale=_stale_context(form, error))
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            if was != PlanStatus.DRAFT and saved.status == PlanStatus.DRAFT:
                messages.warning(
                    request, _("The plan changed: it needs the coordinator's approval again.")
                )
            else:
                messages.success(request, _("Return plan saved."))
            return redirect("repatriation:plan_edit", public_id=group.public_id)
    return _edit_page(request, group, plan, form=form)


@login_required
@require_POST
def plan_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    group = group_get_for_user(user, public_id, for_work=True)
    plan = _plan_or_404(group)
    submit_form = SubmitForm(request.POST)
    stale: dict[str, Any] = {}
    if submit_form.is_valid():
        try:
            plans.plan_submit(
                actor=user,
                plan=plan,
                expected_version=submit_form.cleaned_data["version"],
                over_ceiling_reason=submit_form.cleaned_data["over_ceiling_reason"],
            )
        except StaleEditError as error:
            stale = _stale_context(submit_form, error)
        except (DomainError, ValidationError) as error:
            apply_domain_error(submit_form, error)
        else:
            messages.success(request, _("The plan is sent to the coordinator for approval."))
            return redirect("repatriation:plan_edit", public_id=group.public_id)
    form = PlanForm(
        initial=_initial(plan),
        organisation_id=group.organisation_id,
        relay=settings_for(group.organisation).provincial_relay,
    )
    return _edit_page(request, group, plan, form=form, submit_form=submit_form, stale=stale)


def _review_page(
    request: HttpRequest,
    group: StrandedGroup,
    plan: ReturnPlan | None,
    *,
    approve_form: ApproveForm | None = None,
    send_back_form: SendBackForm | None = None,
    stale: dict[str, Any] | None = None,
) -> HttpResponse:
    version = {"version": plan.version} if plan is not None else {}
    context = {
        "group": group,
        "case": group.case,
        "travellers": list(plans.travellers_of(group)),
        "approve_form": approve_form or ApproveForm(initial=version),
        "send_back_form": send_back_form or SendBackForm(initial=version),
        "can_answer": plan is not None and plan.status == PlanStatus.SUBMITTED,
        **plan_facts(group, plan),
        **(stale or {}),
    }
    status = CONFLICT if stale else 200
    return render(request, "repatriation/plan_review.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def plan_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = group_get_for_coordinator(request.user, public_id)
    return _review_page(request, group, plans.plan_of(group))


@login_required
@require_POST
def plan_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    group = group_get_for_coordinator(user, public_id)
    plan = _plan_or_404(group)
    form = ApproveForm(request.POST)
    stale: dict[str, Any] = {}
    if form.is_valid():
        try:
            plans.plan_approve(
                actor=user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                accept_over_ceiling=form.cleaned_data["accept_over_ceiling"],
            )
        except StaleEditError as error:
            stale = _stale_context(form, error)
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Return plan approved."))
            return redirect("repatriation:plan_review", public_id=group.public_id)
    return _review_page(request, group, plans.plan_of(group), approve_form=form, stale=stale)


@login_required
@require_POST
def plan_send_back(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    group = group_get_for_coordinator(user, public_id)
    plan = _plan_or_404(group)
    form = SendBackForm(request.POST)
    stale: dict[str, Any] = {}
    if form.is_valid():
        try:
            plans.plan_send_back(
                actor=user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except StaleEditError as error:
            stale = _stale_context(form, error)
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Return plan sent back for changes."))
            return redirect("repatriation:plan_review", public_id=group.public_id)
    return _review_page(request, group, plans.plan_of(group), send_back_form=form, stale=stale)


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/plan/", plan_edit, name="plan_edit"),
    path("<uuid:public_id>/plan/submit/", plan_submit, name="plan_submit"),
    path("<uuid:public_id>/plan/review/", plan_review, name="plan_review"),
    path("<uuid:public_id>/plan/approve/", plan_approve, name="plan_approve"),
    path("<uuid:public_id>/plan/send-back/", plan_send_back, name="plan_send_back"),
]
