"""Template helpers of the referral network: the links between its lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lk3.cases.permissions import can_use_cases
from lk3.referrals.letters import can_read_register
from lk3.referrals.permissions import can_read_directory, can_take_intake

register = template.Library()


@register.inclusion_tag("referrals/_network_links.html", takes_context=True)
def network_links(context: template.Context) -> dict[str, Any]:
    """The network's lists the user may open, above each of them (the menu has one entry)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    links = []
    if user is not None and user.is_authenticated:
        for allowed, url_name, label in (
            (can_use_cases(user), "referrals:referral_list", _("Referrals out")),
            (can_take_intake(user), "referrals:intake_list", _("Referrals in to LK3")),
            (can_take_intake(user), "referrals:field_report_queue", _("Field reports")),
            (can_read_directory(user), "referrals:partner_list", _("Partners")),
            (can_read_register(user), "referrals:letter_register", _("Letter register")),
        ):
            if allowed:
                links.append({"url": reverse(url_name), "label": label})
    path = getattr(request, "path", "")
    return {"links": links, "path": path}
