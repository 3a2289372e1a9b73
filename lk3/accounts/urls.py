from django.urls import path

from lk3.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("board/", views.board_member_list, name="board_member_list"),
    path("board/new/", views.board_member_create, name="board_member_create"),
    path("board/<uuid:public_id>/", views.board_member_detail, name="board_member_detail"),
    path("board/<uuid:public_id>/edit/", views.board_member_edit, name="board_member_edit"),
    path(
        "board/<uuid:public_id>/deactivate/",
        views.board_member_deactivate,
        name="board_member_deactivate",
    ),
    path("organisation/", views.organisation_detail, name="organisation_detail"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisation/logo/", views.organisation_logo, name="organisation_logo"),
]
