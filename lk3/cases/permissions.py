"""Who may see and work on a case.

Rules:
- Case content is for the organisation's casework roles: the coordinator
  and intake officers reach every case of their organisation (scope
  "organisation"); counsellors and psychologists reach the cases they lead,
  are on the team of, or opened (scope "own"). Everyone else (user
  administrators, field referrers, partners, supervisors, aggregate
  viewers) reaches none: their views come with later issues.
- A confidential case (violence, children) narrows that: only its lead
  counsellor, its team and the coordinator reach it; intake officers who
  opened it keep it until a lead is assigned.
- Working on a case (stages, sessions, plans, tasks, attachments) is for the
  coordinator, the lead counsellor and the team. Intake officers open cases
  and may read the ones they reach.
- Approving or returning a closure, transferring a case and changing the
  organisation's stage names is the coordinator's.
- A case outside the user's reach is a 404; a reachable one with a forbidden
  action is a 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lk3.accounts.permissions import is_active_member
from lk3.accounts.roles import CASE_SCOPE, Role, Scope
from lk3.cases.models import Case, CaseMember

CASE_ROLES = frozenset({Role.COORDINATOR, Role.INTAKE, Role.COUNSELLOR, Role.PSYCHOLOGIST})
OPEN_ROLES = CASE_ROLES
LEAD_ROLES = frozenset({Role.COORDINATOR, Role.COUNSELLOR, Role.PSYCHOLOGIST})


def can_use_cases(user: Any) -> bool:
    return is_active_member(user) and user.role in CASE_ROLES


def can_open_case(user: Any) -> bool:
    return is_active_member(user) and user.role in OPEN_ROLES


def is_coordinator(user: Any) -> bool:
    return is_active_member(user) and user.role == Role.COORDINATOR


def can_lead(user: Any) -> bool:
    """Whether the user may be a case's lead counsellor or on its team."""
    return bool(user.is_active) and user.role in LEAD_ROLES


def _on_team(user: Any) -> Q:
    team = CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_on__isnull=True)
    return Q(lead_counsellor=user) | Q(Exists(team))


def cases_for_user(user: Any) -> QuerySet[Case]:
    """Every case the user reaches, unordered and without joins (callers add theirs)."""
    if not can_use_cases(user):
        return Case.objects.none()
    in_organisation = Case.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return in_organisation
    scope = CASE_SCOPE[user.role]
    if scope == Scope.ORGANISATION:
        unassigned_own = Q(opened_by=user, lead_counsellor__isnull=True)
        return in_organisation.filter(Q(is_confidential=False) | _on_team(user) | unassigned_own)
    if scope == Scope.OWN:
        return in_organisation.filter(_on_team(user) | Q(opened_by=user))
    return Case.objects.none()


def can_work_on(user: Any, case: Case) -> bool:
    """Stages, sessions, plans, tasks and attachments (the user already reaches the case)."""
    if not can_use_cases(user):
        return False
    if user.role == Role.COORDINATOR:
        return True
    if case.lead_counsellor_id == user.pk:
        return True
    return CaseMember.objects.filter(case=case, user=user, removed_on__isnull=True).exists()


def case_get_for_user(user: Any, public_id: UUID, *, for_work: bool = False) -> Case:
    """Fetch-and-check for a case: pages, API, exports and PDFs all come through here."""
    case = (
        cases_for_user(user)
        .select_related(
            "organisation", "client", "family", "intake_channel", "lead_counsellor", "kelurahan"
        )
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    if for_work and not can_work_on(user, case):
        raise PermissionDenied
    return case


def case_get_for_coordinator(user: Any, public_id: UUID) -> Case:
    case = case_get_for_user(user, public_id)
    if not is_coordinator(user):
        raise PermissionDenied
    return case
