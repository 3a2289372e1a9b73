from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import BoardMember, LoginAttempt, Organisation, User
from lk3.audit import actions
from lk3.audit.admin_mixins import AuditedAdmin
from lk3.audit.services import audit_record


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "region", "supervisor", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region", "supervisor"]

    def audit_organisation(self, obj: Any) -> Any:
        return obj


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "full_name", "organisation", "role")


class UserChange(UserChangeForm[User]):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserChange
    add_form = UserCreationForm
    list_display = ["username", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "organisation", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["organisation", "kelurahan"]
    filter_horizontal = ["groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (_("Work"), {"fields": ("organisation", "role", "kelurahan")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "organisation",
                    "role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == HTTPStatus.FOUND:
                user = User.objects.get(pk=id)
                audit_record(
                    actor=request.user,
                    action=actions.PASSWORD_RESET_BY_ADMIN,
                    target=user,
                    organisation=user.organisation,
                    changes={"password": ["***", "***"]},
                )
        return response


@admin.register(BoardMember)
class BoardMemberAdmin(AuditedAdmin):
    list_display = [
        "full_name",
        "organisation",
        "position",
        "institution",
        "function",
        "term_end",
        "is_active",
    ]
    list_filter = ["organisation", "institution", "function", "position", "is_active"]
    search_fields = ["full_name", "unit", "decree_number"]
    autocomplete_fields = ["organisation", "user", "kelurahan"]
    readonly_fields = ["version"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin[Any]):
    list_display = ["attempted_at", "username", "ip_address", "succeeded"]
    list_filter = ["succeeded"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempted_at"

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Deleting a user's failures is how an administrator lifts a lockout.
        return bool(
            request.user.is_superuser or request.user.has_perm("accounts.delete_loginattempt")
        )
