"""Who may see and do what with stranded people and their return.

Rules:
- A stranded intake is a case: whoever reaches the case reaches the intake
  (``cases.permissions.cases_for_user``); whoever may work on the case
  (``can_work_on``) records identification, screening, shelter, tracing,
  decisions, the return plan, documents and the handover. Intake officers
  and the coordinator take stranded people in.
- The return plan is approved or sent back by the coordinator only; the
  coordinator also records an exception to the "returned before" rule.
- A handover sent to an organisation of this deployment lands in that
  organisation's queue: its coordinator and intake officers confirm the
  arrival or decline it, and see only what the handover carries (names,
  identity, origin, documents, health status, plan), never the sender's case.
  The same roles import a package from another deployment.
- The repatriation report (counts and costs, no names) is for the
  coordinator, the social office's supervisor and aggregate viewers, over
  their own organisation and the organisations it supervises.
- Anything outside the user's reach is a 404; a reachable record with a
  forbidden action is a 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lk3.accounts.models import Organisation
from lk3.accounts.permissions import is_active_member
from lk3.accounts.roles import Role
from lk3.cases.permissions import can_open_case, can_work_on, cases_for_user, is_coordinator
from lk3.repatriation.models import Handover, StrandedGroup, StrandedPerson

RECEIVING_DESK = frozenset({Role.COORDINATOR, Role.INTAKE})
REPORT_READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.AGGREGATE_VIEWER})


def can_take_in(user: Any) -> bool:
    return can_open_case(user)


def can_approve_plans(user: Any) -> bool:
    return is_coordinator(user)


def groups_for_user(user: Any) -> QuerySet[StrandedGroup]:
    """Every stranded intake whose case the user reaches."""
    return StrandedGroup.objects.filter(case__in=cases_for_user(user).values("pk"))


def group_get_for_user(user: Any, public_id: UUID, *, for_work: bool = False) -> StrandedGroup:
    """Fetch-and-check for a stranded intake: its pages, documents and package come through here."""
    group = (
        groups_for_user(user)
        .select_related("organisation", "case", "case__lead_counsellor", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if group is None:
        raise Http404
    if for_work and not can_work_on(user, group.case):
        raise PermissionDenied
    return group


def group_get_for_coordinator(user: Any, public_id: UUID) -> StrandedGroup:
    group = group_get_for_user(user, public_id)
    if not can_approve_plans(user):
        raise PermissionDenied
    return group


def can_receive_handovers(user: Any) -> bool:
    return is_active_member(user) and user.role in RECEIVING_DESK


def handovers_in_for_user(user: Any) -> QuerySet[Handover]:
    """The handovers addressed to the user's organisation (sent here or imported)."""
    if not can_receive_handovers(user):
        return Handover.objects.none()
    return Handover.objects.filter(receiving_organisation_id=user.organisation_id)


def handover_get_for_receiver(user: Any, public_id: UUID) -> Handover:
    handover = (
        handovers_in_for_user(user)
        .select_related("sending_organisation", "receiving_organisation", "group")
        .filter(public_id=public_id)
        .first()
    )
    if handover is None:
        raise Http404
    return handover


def can_read_reports(user: Any) -> bool:
    return is_active_member(user) and user.role in REPORT_READERS


def report_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose figures the user may read: their own and those it supervises."""
    if not can_read_reports(user):
        return Organisation.objects.none()
    if user.role == Role.COORDINATOR:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.filter(
        Q(pk=user.organisation_id) | Q(supervisor_id=user.organisation_id)
    )


def member_get_for_user(user: Any, public_id: UUID, *, for_work: bool = False) -> StrandedPerson:
    """Fetch-and-check for one person of an intake: reached, and worked on, through the group."""
    member = (
        StrandedPerson.objects.select_related(
            "person", "group__organisation", "group__case", "decided_by"
        )
        .filter(public_id=public_id, group__in=groups_for_user(user).values("pk"))
        .first()
    )
    if member is None:
        raise Http404
    if for_work and not can_work_on(user, member.group.case):
        raise PermissionDenied
    return member
