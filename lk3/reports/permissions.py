"""Who sees which dashboard, indicators, official reports and list exports.

Rules:
- Every active member has a dashboard for their role: counsellors and
  psychologists their own caseload; the coordinator and intake officers
  their organisation's work; the social office's supervisor and aggregate
  viewers the city picture, in counts only.
- Indicators and official reports are for the coordinator (their own
  organisation), the supervisor and aggregate viewers (their organisation
  and every organisation below it). Supervisors and aggregate viewers see
  counts only: cells below the organisation's threshold are suppressed.
  The coordinator's official report, which they sign, has exact counts.
- The report template (what the monthly/annual report holds, its headings
  and signatories) is edited by the coordinator.
- List exports (cases, persons, referrals) give a role only the records it
  reaches and only the columns it may see (``lk3.reports.exports``).
- A report run is reached by whoever asked for it; a run outside reach is a
  404; a page a role may not open is a 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from lk3.accounts.permissions import is_active_member, visible_organisation_ids
from lk3.accounts.roles import Role
from lk3.reports.models import ReportRun

REPORT_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.AGGREGATE_VIEWER})
COUNTS_ONLY_ROLES = frozenset({Role.SUPERVISOR, Role.AGGREGATE_VIEWER})


def can_view_dashboard(user: Any) -> bool:
    return is_active_member(user)


def can_read_reports(user: Any) -> bool:
    return is_active_member(user) and user.role in REPORT_ROLES


def counts_only(user: Any) -> bool:
    """Whether small cells are suppressed for this user (aggregate roles)."""
    return user.role in COUNTS_ONLY_ROLES


def can_edit_template(user: Any) -> bool:
    return is_active_member(user) and user.role == Role.COORDINATOR


def report_organisation_ids(user: Any) -> set[int]:
    """The organisations whose figures the user reads: their own, and below it for aggregate roles."""
    if not can_read_reports(user):
        return set()
    if user.role == Role.COORDINATOR:
        return {user.organisation_id}
    return visible_organisation_ids(user)


def run_get_for_user(user: Any, public_id: UUID) -> ReportRun:
    """Fetch-and-check for a report run and its files: only the person who asked for it."""
    run = ReportRun.objects.filter(public_id=public_id, requested_by_id=user.pk).first()
    if run is None or not can_read_reports(user):
        raise Http404
    return run
