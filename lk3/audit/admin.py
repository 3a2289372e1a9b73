from __future__ import annotations

from typing import Any

from django.contrib import admin

from lk3.audit.models import AccessEvent, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id", "request_id"]
    date_hierarchy = "occurred_at"


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "target_type", "target_label", "purpose"]
    list_filter = ["target_type", "purpose"]
    search_fields = ["actor_label", "target_label", "target_id", "request_id"]
    date_hierarchy = "occurred_at"
