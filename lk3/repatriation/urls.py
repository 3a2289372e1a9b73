"""Pages of stranded people and their return home, one module per area."""

from __future__ import annotations

from lk3.repatriation import (
    document_views,
    group_views,
    handover_views,
    member_views,
    package_views,
    plan_views,
    report_views,
)

app_name = "repatriation"

urlpatterns = [
    *group_views.urlpatterns,
    *member_views.urlpatterns,
    *plan_views.urlpatterns,
    *document_views.urlpatterns,
    *handover_views.urlpatterns,
    *package_views.urlpatterns,
    *report_views.urlpatterns,
]
