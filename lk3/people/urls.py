from django.urls import path

from lk3.people import search_views, views

app_name = "people"

urlpatterns = [
    path("", search_views.person_search, name="search"),
    path("new/", views.person_create, name="person_create"),
    path("nik-check/", views.nik_check, name="nik_check"),
    path("kk-check/", views.kk_check, name="kk_check"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/photo/", views.person_photo, name="person_photo"),
    path("<uuid:public_id>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<uuid:public_id>/", views.family_detail, name="family_detail"),
    path("families/<uuid:public_id>/edit/", views.family_edit, name="family_edit"),
    path("families/<uuid:public_id>/members/", views.family_member_add, name="family_member_add"),
    path(
        "families/<uuid:public_id>/candidates/",
        views.family_member_candidates,
        name="family_member_candidates",
    ),
    path(
        "families/<uuid:public_id>/members/<int:membership_id>/end/",
        views.family_member_end,
        name="family_member_end",
    ),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/search/", views.dedup_run_start, name="dedup_run_start"),
    path("duplicates/progress/", views.dedup_run_progress, name="dedup_run_progress"),
    path(
        "duplicates/<int:candidate_id>/dismiss/", views.candidate_dismiss, name="candidate_dismiss"
    ),
    path("merge/<uuid:first>/<uuid:second>/", views.person_merge, name="person_merge"),
    path("merges/", views.merge_list, name="merge_list"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
