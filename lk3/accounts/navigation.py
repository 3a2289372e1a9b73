"""The menu each role sees. Items appear only when the permission allows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lk3.accounts.permissions import can_read_audit, can_view_staff_directory, is_active_member
from lk3.cases.permissions import can_use_cases
from lk3.people.permissions import can_merge, can_undo_merge, can_use_registry
from lk3.referrals.permissions import can_file_field_report, can_read_directory, is_partner_staff
from lk3.repatriation.permissions import can_read_reports as can_read_repatriation_report
from lk3.reports.permissions import can_read_reports, can_view_dashboard


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise

    @property
    def url(self) -> str:
        return _menu_url(get_script_prefix(), self.url_name)


@cache
def _menu_url(script_prefix: str, url_name: str) -> str:
    """Menu addresses take no arguments: each is reversed once per process (and prefix).

    Every page shows the menu twice (wide and narrow screens), and reversing
    its ten addresses each time cost more than some pages' own content.
    """
    return reverse(url_name)


def navigation_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if can_view_dashboard(user):
        items = [
            NavItem("reports:dashboard", _("Dashboard")),
            NavItem("accounts:dashboard", _("Network")),
        ]
    else:
        items = [NavItem("accounts:dashboard", _("Dashboard"))]
    if can_use_cases(user):
        items.append(NavItem("cases:my_cases", _("Cases")))
    if can_use_registry(user):
        items.append(NavItem("people:search", _("People")))
    if can_use_cases(user):
        items.append(NavItem("referrals:referral_list", _("Referrals")))
    elif can_read_directory(user):
        items.append(NavItem("referrals:partner_list", _("Partners")))
    if can_use_cases(user):
        items.append(NavItem("repatriation:group_list", _("Stranded people")))
    elif can_read_repatriation_report(user):
        items.append(NavItem("repatriation:report", _("Repatriation report")))
    if can_read_reports(user):
        items.append(NavItem("reports:official", _("Reports")))
    if is_partner_staff(user):
        items.append(NavItem("referrals:referral_inbox", _("Referrals received")))
    if can_file_field_report(user):
        items.append(NavItem("referrals:field_report_create", _("Field report")))
        items.append(NavItem("referrals:field_report_mine", _("My field reports")))
    if can_merge(user):
        items.append(NavItem("people:duplicate_list", _("Duplicates")))
    if can_undo_merge(user):
        items.append(NavItem("people:merge_list", _("Merges")))
    if can_view_staff_directory(user):
        items.append(NavItem("accounts:board_member_list", _("Board & staff")))
    if is_active_member(user):
        items.append(NavItem("accounts:organisation_detail", _("Organisation")))
        items.append(NavItem("regions:search", _("Regions")))
    if can_read_audit(user):
        items.append(NavItem("audit:event_list", _("Audit log")))
    items.append(NavItem("referrals:inbox", _("Inbox")))
    return items
