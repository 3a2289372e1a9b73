"""The repatriation rules an administrator sets per organisation (audited, no deletes)."""

from __future__ import annotations

from django.contrib import admin

from lk3.audit.admin_mixins import AuditedAdmin
from lk3.repatriation.models import RepatriationSettings


@admin.register(RepatriationSettings)
class RepatriationSettingsAdmin(AuditedAdmin):
    """Per organisation: the cost ceiling per person and how often one person may be returned."""

    list_display = [
        "organisation",
        "cost_ceiling_per_person",
        "returns_allowed",
        "return_window_days",
        "provincial_relay",
    ]
