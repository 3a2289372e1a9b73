"""Dashboards, indicators, official reports and list exports, one module per area."""

from __future__ import annotations

from lk3.reports import dashboard_views, export_views, indicator_views, official_views

app_name = "reports"

urlpatterns = [
    *dashboard_views.urlpatterns,
    *indicator_views.urlpatterns,
    *official_views.urlpatterns,
    *export_views.urlpatterns,
]
