"""The indicators page: every indicator for a period and filters, each with its definition.

Readers: ``permissions.can_read_reports`` (the coordinator, the social
office's supervisor, aggregate viewers); anyone else gets a 403. The
figures cover ``permissions.report_organisation_ids``; counts-only readers
see small figures suppressed. Each view is recorded as an access.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.reports.indicator_forms import IndicatorFilterForm
from lk3.reports.indicators import indicator_values
from lk3.reports.permissions import can_read_reports, counts_only
from lk3.reports.suppression import threshold_for

VIEW_PURPOSE = "indicators"


@login_required
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not can_read_reports(user):
        raise PermissionDenied
    form = IndicatorFilterForm(request.GET or None, user=user, today=timezone.localdate())
    scope = form.scope()
    rows = []
    suppress = counts_only(user)
    if scope is not None:
        threshold = threshold_for(set(scope.organisation_ids))
        rows = indicator_values(scope, suppress=suppress, threshold=threshold)
    assert user.organisation is not None  # can_read_reports: an active member
    access_record(
        actor=user,
        target=user.organisation,
        purpose=VIEW_PURPOSE,
        path=request.get_full_path(),
        organisation=user.organisation,
    )
    context = {"form": form, "scope": scope, "rows": rows, "suppress": suppress}
    return render(request, "reports/indicators.html", context)


urlpatterns: list[URLPattern] = [
    path("indicators/", indicators, name="indicators"),
]
