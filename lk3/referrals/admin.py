"""The administration site for the referral network's settings (audited, nothing deleted)."""

from __future__ import annotations

from django.contrib import admin

from lk3.audit.admin_mixins import AuditedAdmin
from lk3.referrals.models import ReferralSettings


@admin.register(ReferralSettings)
class ReferralSettingsAdmin(AuditedAdmin):
    """Per organisation: how long a partner has to answer, and when an MoU is flagged."""

    list_display = ["organisation", "answer_days", "agreement_warning_days"]
