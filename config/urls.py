from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lk3.core import views as core_views

admin.site.site_header = "lk3"
admin.site.site_title = "lk3"

urlpatterns = [
    path("", include("lk3.accounts.urls")),
    path("regions/", include("lk3.regions.urls")),
    path("people/", include("lk3.people.urls")),
    path("cases/", include("lk3.cases.urls")),
    path("referrals/", include("lk3.referrals.urls")),
    path("repatriation/", include("lk3.repatriation.urls")),
    path("reports/", include("lk3.reports.urls")),
    path("audit/", include("lk3.audit.urls")),
    path("api/", include("lk3.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.health, name="health"),
    path("admin/", admin.site.urls),
]

handler403 = "lk3.core.views.forbidden"
handler404 = "lk3.core.views.not_found"
handler500 = "lk3.core.views.server_error"
