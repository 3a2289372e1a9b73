"""Lists of casework: my cases, the organisation's caseload, my tasks and what is overdue."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from lk3.accounts.models import User
from lk3.cases import caseload
from lk3.cases.caseload_forms import KIND_TASKS, CaseloadFilterForm, OverdueFilterForm
from lk3.cases.models import Case
from lk3.cases.permissions import can_open_case, can_use_cases, is_coordinator
from lk3.cases.stages import stage_labels
from lk3.core.pagination import PageView

PAGE_SIZE = 25


def _case_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_use_cases(user):
        raise PermissionDenied
    return user


def _links(user: User) -> dict[str, bool]:
    """Which of the other casework lists the user may open (the links above each list)."""
    return {"caseload": caseload.can_view_caseload(user), "overdue": is_coordinator(user)}


def _paginate(
    request: HttpRequest, items: Any, *, per_page: int = PAGE_SIZE, ordered_count: bool = False
) -> PageView:
    paginator = caseload.CappedPaginator(items, per_page, ordered_count=ordered_count)
    params = request.GET.copy()
    params.pop("page", None)
    return PageView(
        page=paginator.get_page(request.GET.get("page")), query_string=params.urlencode()
    )


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, _case_user(request), mine=True)


@login_required
@require_GET
def caseload_list(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    if not caseload.can_view_caseload(user):
        raise PermissionDenied
    return _case_list(request, user, mine=False)


def _case_list(request: HttpRequest, user: User, *, mine: bool) -> HttpResponse:
    assert user.organisation is not None
    today = timezone.localdate()
    labels = stage_labels(user.organisation_id)
    form = CaseloadFilterForm(
        request.GET or None, organisation=user.organisation, stage_labels=labels, with_lead=not mine
    )
    select = caseload.my_cases_for_user if mine else caseload.caseload_for_user
    filters = form.filters()
    cases = select(user=user, filters=filters, today=today)
    listing = _paginate(request, cases, ordered_count=bool(filters.number))
    page_cases = cast("QuerySet[Case]", listing.page.object_list)
    context = {
        "form": form,
        "mine": mine,
        "links": _links(user),
        "can_open": can_open_case(user),
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": caseload.caseload_rows(
            user=user, cases=page_cases, stage_labels=labels, today=today
        ),
    }
    template = "cases/_caseload_rows.html" if request.htmx else "cases/caseload_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    today = timezone.localdate()
    listing = _paginate(request, caseload.my_tasks_for_user(user=user))
    context = {
        "links": _links(user),
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": caseload.due_rows(user=user, items=list(listing.page), today=today),
    }
    return render(request, "cases/caseload_tasks.html", context)


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    if not is_coordinator(user):
        raise PermissionDenied
    assert user.organisation is not None
    today = timezone.localdate()
    form = OverdueFilterForm(request.GET or None, organisation=user.organisation)
    tasks = caseload.overdue_tasks_for_user(user=user, today=today, assignee_id=form.worker_id)
    check_ins = caseload.overdue_check_ins_for_user(user=user, today=today, lead_id=form.worker_id)
    shown = _paginate(request, tasks if form.shown == KIND_TASKS else check_ins)
    other = caseload.CappedPaginator(check_ins if form.shown == KIND_TASKS else tasks, PAGE_SIZE)
    context = {
        "form": form,
        "links": _links(user),
        "kind": form.shown,
        "page": shown.page,
        "query_string": shown.query_string,
        "other": other,
        "rows": caseload.due_rows(user=user, items=list(shown.page), today=today),
    }
    return render(request, "cases/caseload_overdue.html", context)


urlpatterns: list[URLPattern] = [
    path("mine/", my_cases, name="my_cases"),
    path("caseload/", caseload_list, name="caseload"),
    path("tasks/mine/", my_tasks, name="my_tasks"),
    path("overdue/", overdue, name="overdue"),
]
