from django.urls import path

from lk3.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.search, name="search"),
    path("nik/", views.nik_check, name="nik_check"),
    path("kk/", views.kk_check, name="kk_check"),
]
