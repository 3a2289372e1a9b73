from __future__ import annotations

from lk3.cases import (
    assessment_views,
    attachment_views,
    caseload_views,
    plan_views,
    session_views,
    task_views,
    views,
)

app_name = "cases"
# Each area of the case page keeps its own routes next to its views.
urlpatterns = [
    *views.urlpatterns,
    *assessment_views.urlpatterns,
    *plan_views.urlpatterns,
    *session_views.urlpatterns,
    *task_views.urlpatterns,
    *attachment_views.urlpatterns,
    *caseload_views.urlpatterns,
]
