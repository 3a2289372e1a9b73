"""The links between the reports pages, as far as the user may follow them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from lk3.reports.exports import kinds_for_user
from lk3.reports.permissions import can_read_reports, can_view_dashboard

register = template.Library()


@register.inclusion_tag("reports/_links.html", takes_context=True)
def reports_links(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    links = []
    if can_view_dashboard(user):
        links.append((reverse("reports:dashboard"), _("Dashboard")))
    if can_read_reports(user):
        links.append((reverse("reports:indicators"), _("Indicators")))
        links.append((reverse("reports:official"), _("Official reports")))
    if kinds_for_user(user):
        links.append((reverse("reports:exports"), _("Export lists")))
    return {"links": links, "path": request.path}
