from __future__ import annotations

from typing import Any

from django.contrib import admin

from lk3.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Any]):
    """Read-only: regions come from the decree's file (``manage.py load_reference``).

    An edit here would silently diverge from the file and be overwritten on the
    next load. Registered so other admins can offer regions by autocomplete.
    """

    list_display = ["code", "name", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["^code", "name"]
    show_full_result_count = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
