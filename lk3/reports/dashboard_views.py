"""The dashboard (``/reports/``): each role's own, chosen by ``dashboards.dashboard_kind``.

Every active member has one (``permissions.can_view_dashboard``); a user
without an organisation gets a 403. Roles without a dashboard of their own
(user administrator, field referrer, partner staff) get a page of links to
their pages. The city dashboard is recorded in the access log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lk3.accounts.models import User
from lk3.accounts.navigation import navigation_for
from lk3.audit.services import access_record
from lk3.reports import dashboards
from lk3.reports.permissions import can_view_dashboard

ACCESS_PURPOSE = "dashboard"
YEARS_BACK = 10
# The pages a role without a dashboard is pointed to: its menu, less the dashboards.
NOT_LINKED = frozenset({"accounts:dashboard", "reports:dashboard"})


class YearForm(forms.Form):
    """The city dashboard's period: a year, the current one unless another is chosen."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, data: Any, *, current: int) -> None:
        super().__init__(data)
        self.current = current
        choices = [(year, str(year)) for year in range(current, current - YEARS_BACK, -1)]
        self.fields["year"].choices = choices  # type: ignore[attr-defined]
        self.fields["year"].initial = current

    def chosen(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["year"]:
            return int(self.cleaned_data["year"])
        return self.current


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_view_dashboard(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    kind = dashboards.dashboard_kind(user)
    today = timezone.localdate()
    if kind == dashboards.KIND_COUNSELLOR:
        board: Any = dashboards.counsellor_dashboard(user=user, today=today)
        return _page(request, "reports/dashboard_counsellor.html", kind, board)
    if kind == dashboards.KIND_COORDINATOR:
        board = dashboards.coordinator_dashboard(user=user, today=today)
        return _page(request, "reports/dashboard_coordinator.html", kind, board)
    if kind == dashboards.KIND_CITY:
        return _city(request, user, today)
    links = [item for item in navigation_for(user) if item.url_name not in NOT_LINKED]
    return _page(request, "reports/_dashboard_other.html", kind, None, links=links)


def _city(request: HttpRequest, user: User, today: Any) -> HttpResponse:
    form = YearForm(request.GET or None, current=today.year)
    board = dashboards.city_dashboard(user=user, year=form.chosen(), today=today)
    assert user.organisation is not None  # can_view_dashboard: an active member
    access_record(
        actor=user,
        target=user.organisation,
        purpose=ACCESS_PURPOSE,
        path=request.get_full_path(),
        organisation=user.organisation,
    )
    return _page(request, "reports/dashboard_city.html", dashboards.KIND_CITY, board, form=form)


def _page(
    request: HttpRequest, template: str, kind: str, board: Any, **context: Any
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context.update(kind=kind, board=board, role_label=user.get_role_display())
    return render(request, template, context)


urlpatterns: list[URLPattern] = [
    path("", dashboard, name="dashboard"),
]
