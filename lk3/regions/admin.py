from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lk3.audit.admin_mixins import AuditedAdmin
from lk3.regions.models import Region
from lk3.regions.names import normalise


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    """Regions come from the decree's file (``manage.py load_reference``).

    An administrator may add a region the file does not have yet (a new
    desa after a split) or correct a name; the next decree's file, when
    loaded, is the official list and wins over such edits.
    """

    list_display = ["code", "name", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["^code", "name"]
    show_full_result_count = False
    fields = ["code", "name", "level", "parent", "is_active"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A code is what NIKs and records point to: fixed once created.
        return ["code", "level"] if obj else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.search_name = normalise(obj.name)
        super().save_model(request, obj, form, change)
