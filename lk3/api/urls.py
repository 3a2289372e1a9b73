from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lk3.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/regions/", views.RegionSearchView.as_view(), name="region_search"),
    path("v1/regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("v1/identity/nik/", views.NikCheckView.as_view(), name="nik_check"),
    path("v1/identity/kk/", views.KkCheckView.as_view(), name="kk_check"),
]
