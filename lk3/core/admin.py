from typing import Any

from django.contrib import admin

from lk3.audit.admin_mixins import AuditedAdmin
from lk3.core.models import (
    IntakeChannel,
    PmksCategory,
    ProblemType,
    PsksCategory,
    ReferenceDataLoad,
    ServiceType,
)


class ReferenceTermAdmin(AuditedAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The code is what other records and reports refer to: fixed once made.
        return ["code"] if obj else []


for model in (PmksCategory, PsksCategory, ServiceType, IntakeChannel, ProblemType):
    admin.site.register(model, ReferenceTermAdmin)


@admin.register(ReferenceDataLoad)
class ReferenceDataLoadAdmin(admin.ModelAdmin[Any]):
    list_display = ["name", "rows", "checksum", "loaded_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
