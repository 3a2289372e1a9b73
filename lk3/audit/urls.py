from django.urls import path

from lk3.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("access/", views.access_list, name="access_list"),
]
