"""The referral network's pages, one module per area."""

from __future__ import annotations

from lk3.referrals import (
    field_views,
    intake_views,
    letter_views,
    notification_views,
    partner_views,
    referral_views,
)

app_name = "referrals"

urlpatterns = [
    *partner_views.urlpatterns,
    *referral_views.urlpatterns,
    *intake_views.urlpatterns,
    *field_views.urlpatterns,
    *letter_views.urlpatterns,
    *notification_views.urlpatterns,
]
