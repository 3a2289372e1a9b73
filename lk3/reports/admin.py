"""The suppression threshold an administrator sets per organisation (audited, no deletes)."""

from __future__ import annotations

from django.contrib import admin

from lk3.audit.admin_mixins import AuditedAdmin
from lk3.reports.models import ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedAdmin):
    """Per organisation: the smallest count shown in aggregate views."""

    list_display = ["organisation", "suppression_threshold"]
