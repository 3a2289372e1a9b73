"""Pages of a case's tasks: add, change, mark done or reopen, and the case's whole list.

Marking a task done from the case page's tasks panel works with htmx (the
panel is swapped) and without it (a plain POST and back to the page).
The lists of "my tasks" and of what is overdue are ``caseload_views``'.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.cases import tasks, work
from lk3.cases.models import Case, Task
from lk3.cases.permissions import can_work_on
from lk3.cases.work_forms import TaskForm
from lk3.cases.work_views import back_to_case, reached_case, stale_rows
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.core.pagination import paginate

TASKS_PER_PAGE = 30


@login_required
@require_GET
def task_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    listing = paginate(request, tasks.task_list_for_case(case), per_page=TASKS_PER_PAGE)
    context = {
        "case": case,
        "page": listing.page,
        "query_string": listing.query_string,
        "can_work": can_work_on(user, case),
        "today": timezone.localdate(),
    }
    return render(request, "cases/task_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    initial = {"assignee": case.lead_counsellor or user}
    form = TaskForm(request.POST or None, workers=work.case_workers(case), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tasks.task_create(
                actor=user,
                case=case,
                title=form.cleaned_data["title"],
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Task added."))
            return back_to_case(request, case)
    return render(request, "cases/task_form.html", {"form": form, "case": case, "task": None})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, public_id: UUID, task_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    task = tasks.task_get_for_case(case, task_id)
    form = TaskForm(
        request.POST or None, workers=work.case_workers(case), initial=TaskForm.initial_for(task)
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            tasks.task_update(
                actor=user,
                task=task,
                expected_version=form.cleaned_data["version"] or 0,
                title=form.cleaned_data["title"],
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return back_to_case(request, case)
    context = {
        "form": form,
        "case": case,
        "task": task,
        "stale": stale,
        "stale_rows": stale_rows(task, stale) if stale else [],
    }
    return render(request, "cases/task_form.html", context, status=409 if stale else 200)


@login_required
@require_POST
def task_complete(request: HttpRequest, public_id: UUID, task_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    task = tasks.task_get_for_case(case, task_id)
    return _change(request, case, lambda: tasks.task_complete(actor=user, task=task))


@login_required
@require_POST
def task_reopen(request: HttpRequest, public_id: UUID, task_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    task = tasks.task_get_for_case(case, task_id)
    return _change(request, case, lambda: tasks.task_reopen(actor=user, task=task))


def _change(request: HttpRequest, case: Case, perform: Callable[[], Task]) -> HttpResponse:
    """Mark done or reopen; the tasks panel again for htmx, else back where the form was."""
    try:
        perform()
    except DomainError as error:
        messages.error(request, str(error.message))
    if getattr(request, "htmx", False):
        context = {"case": case, "can_work": True, "tasks": list(tasks.task_list_open(case))}
        return render(request, "cases/_panel_tasks.html", context)
    return back_to_case(request, case)


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/tasks/", task_list, name="task_list"),
    path("<uuid:public_id>/tasks/new/", task_create, name="task_create"),
    path("<uuid:public_id>/tasks/<uuid:task_id>/edit/", task_edit, name="task_edit"),
    path("<uuid:public_id>/tasks/<uuid:task_id>/done/", task_complete, name="task_complete"),
    path("<uuid:public_id>/tasks/<uuid:task_id>/reopen/", task_reopen, name="task_reopen"),
]
