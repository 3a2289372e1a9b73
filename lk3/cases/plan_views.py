"""Pages of a case's intervention plan: goals and their activities, quick status changes,
and every earlier revision of the plan.

A status changes from the plan page with a small form: htmx swaps just that
goal or activity; without script the form posts and comes back to the page.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.cases import plans
from lk3.cases.models import Activity, Case, CaseStatus, Goal, PlanItemStatus
from lk3.cases.permissions import can_work_on
from lk3.cases.plan_forms import ActivityForm, GoalForm, StatusForm
from lk3.cases.work_views import reached_case
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version


def _goal_of(case: Case, goal_id: UUID) -> Goal:
    return get_object_or_404(Goal.objects.select_related("case"), case=case, public_id=goal_id)


def _activity_of(case: Case, activity_id: UUID) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("goal__case", "responsible"),
        goal__case=case,
        public_id=activity_id,
    )


def _back(request: HttpRequest, case: Case) -> HttpResponseRedirect:
    """To the page the form came from (``next``, on this site only), else the plan page."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("cases:plan_detail", public_id=case.public_id)


def _plan_context(user: User, case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "can_change": can_work_on(user, case) and case.status == CaseStatus.OPEN,
        "statuses": PlanItemStatus.choices,
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    context = {
        **_plan_context(user, case),
        "goals": list(plans.plan_of(case)),
        "revisions": plans.plan_revisions_of(case).count(),
    }
    return render(request, "cases/plan_detail.html", context)


def _form_page(
    request: HttpRequest, context: dict[str, Any], stale: StaleEditError | None, record: Model
) -> HttpResponse:
    context = {
        **context,
        "stale": stale,
        "stale_rows": _stale_rows(record, stale) if stale else [],
    }
    return render(request, "cases/plan_form.html", context, status=409 if stale else 200)


def _stale_rows(record: Model, stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    """What the other person changed, in words; texts as they are now (the audit trail
    only says they changed)."""
    current = type(record)._default_manager.get(pk=record.pk)
    rows = []
    for name, values in stale.changed_fields.items():
        if name not in plans.ACTIVITY_FIELDS:
            continue  # the revision number: not something the user typed
        before, after = values if isinstance(values, list | tuple) else ("", values)
        if name in plans.REDACTED:
            before, after = "", getattr(current, name)
        elif name == "status":
            words = dict(PlanItemStatus.choices)
            before, after = words.get(before, before), words.get(after, after)
        elif name == "responsible":
            names = dict(
                User.objects.filter(username__in=[before, after]).values_list(
                    "username", "full_name"
                )
            )
            before, after = names.get(before, before), names.get(after, after)
        field: Any = current._meta.get_field(name)
        rows.append((str(capfirst(field.verbose_name)), before, after))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.goal_add(
                actor=user,
                case=case,
                description=form.cleaned_data["description"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Goal added to the plan."))
            return redirect("cases:plan_detail", public_id=case.public_id)
    context = {"case": case, "form": form, "title": _("Add a goal")}
    return render(request, "cases/plan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, public_id: UUID, goal_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    goal = _goal_of(case, goal_id)
    initial = {"description": goal.description, "status": goal.status, "version": goal.version}
    form = GoalForm(request.POST or None, initial=initial, with_status=True)
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            plans.goal_update(
                actor=user,
                goal=goal,
                expected_version=form.cleaned_data["version"] or 0,
                description=form.cleaned_data["description"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("cases:plan_detail", public_id=case.public_id)
    return _form_page(
        request, {"case": case, "form": form, "title": _("Change the goal")}, stale, goal
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, public_id: UUID, goal_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    goal = _goal_of(case, goal_id)
    form = ActivityForm(request.POST or None, team=plans.team_of(case))
    if request.method == "POST" and form.is_valid():
        try:
            plans.activity_add(
                actor=user, goal=goal, note=form.cleaned_data["note"], **form.values()
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Activity added to the plan."))
            return redirect("cases:plan_detail", public_id=case.public_id)
    context = {"case": case, "form": form, "goal": goal, "title": _("Add an activity")}
    return render(request, "cases/plan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, public_id: UUID, activity_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    activity = _activity_of(case, activity_id)
    # Whoever has it keeps it, also after leaving the team.
    keeps = [activity.responsible_id] if activity.responsible_id else []
    team = plans.team_of(case) | User.objects.filter(pk__in=keeps)
    initial = {name: getattr(activity, name) for name in plans.ACTIVITY_FIELDS}
    form = ActivityForm(
        request.POST or None,
        team=team,
        with_status=True,
        initial={**initial, "version": activity.version},
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            plans.activity_update(
                actor=user,
                activity=activity,
                expected_version=form.cleaned_data["version"] or 0,
                note=form.cleaned_data["note"],
                **form.values(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("cases:plan_detail", public_id=case.public_id)
    context = {"case": case, "form": form, "goal": activity.goal, "title": _("Change the activity")}
    return _form_page(request, context, stale, activity)


def _status_change(request: HttpRequest, update: Any) -> str | None:
    """Run a quick status change; the refusal in words, or None when it was saved."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _("Choose one of the statuses.")
    try:
        update(status=form.cleaned_data["status"], expected_version=form.cleaned_data["version"])
    except StaleEditError:
        return _("Someone else changed this in the meantime: check it, then change it again.")
    except DomainError as error:
        return str(error.message)
    return None


def _status_response(
    request: HttpRequest, case: Case, problem: str | None, template: str, context: dict[str, Any]
) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, template, {**context, "problem": problem, "saved": not problem})
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, _("Status changed."))
    return _back(request, case)


@login_required
@require_POST
def goal_status(request: HttpRequest, public_id: UUID, goal_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    goal = _goal_of(case, goal_id)

    def update(**values: Any) -> object:
        return plans.goal_update(actor=user, goal=goal, **values)

    problem = _status_change(request, update)
    fresh = plans.plan_of(case).get(pk=goal.pk)
    context = {**_plan_context(user, case), "goal": fresh}
    return _status_response(request, case, problem, "cases/_plan_goal.html", context)


@login_required
@require_POST
def activity_status(request: HttpRequest, public_id: UUID, activity_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    activity = _activity_of(case, activity_id)

    def update(**values: Any) -> object:
        return plans.activity_update(actor=user, activity=activity, **values)

    problem = _status_change(request, update)
    fresh = _activity_of(case, activity.public_id)
    context = {**_plan_context(user, case), "activity": fresh}
    return _status_response(request, case, problem, "cases/_plan_activity.html", context)


@login_required
@require_GET
def plan_revisions(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Every revision of the plan; one of them (``?number=``, else the newest) in full."""
    _user, case = reached_case(request, public_id, for_work=False)
    revisions = list(plans.plan_revisions_of(case))
    chosen = revisions[0] if revisions else None
    if request.GET.get("number"):
        number = request.GET["number"]
        chosen = next((item for item in revisions if str(item.number) == number), None)
        if chosen is None:
            raise Http404
    previous = next(
        (item for item in revisions if chosen and item.number == chosen.number - 1), None
    )
    context = {
        "case": case,
        "revisions": revisions,
        "chosen": chosen,
        "goals": plans.revision_view(chosen, previous) if chosen else [],
        "plan_url": reverse("cases:plan_detail", args=[case.public_id]),
    }
    return render(request, "cases/plan_revisions.html", context)


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/plan/", plan_detail, name="plan_detail"),
    path("<uuid:public_id>/plan/revisions/", plan_revisions, name="plan_revisions"),
    path("<uuid:public_id>/plan/goals/new/", goal_create, name="goal_create"),
    path("<uuid:public_id>/plan/goals/<uuid:goal_id>/edit/", goal_edit, name="goal_edit"),
    path("<uuid:public_id>/plan/goals/<uuid:goal_id>/status/", goal_status, name="goal_status"),
    path(
        "<uuid:public_id>/plan/goals/<uuid:goal_id>/activities/new/",
        activity_create,
        name="activity_create",
    ),
    path(
        "<uuid:public_id>/plan/activities/<uuid:activity_id>/edit/",
        activity_edit,
        name="activity_edit",
    ),
    path(
        "<uuid:public_id>/plan/activities/<uuid:activity_id>/status/",
        activity_status,
        name="activity_status",
    ),
]
