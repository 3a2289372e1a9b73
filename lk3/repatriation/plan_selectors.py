"""Reads for the group page's plan and documents cards, and the plan pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lk3.cases.permissions import can_work_on
from lk3.repatriation import documents, plans
from lk3.repatriation.models import (
    Decision,
    DocumentKind,
    PlanStatus,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
)
from lk3.repatriation.permissions import can_approve_plans


def plan_facts(group: StrandedGroup, plan: ReturnPlan | None) -> dict[str, Any]:
    """The plan with its ceiling (copied at submission, else the organisation's now)."""
    ceiling: Decimal = (
        plan.ceiling_per_person
        if plan is not None and plan.ceiling_per_person is not None
        else plans.ceiling_of(group.organisation)
    )
    return {
        "plan": plan,
        "ceiling": ceiling,
        "over_ceiling": plan is not None and plans.is_over_ceiling(plan, ceiling),
    }


def plan_card(group: StrandedGroup, user: Any) -> dict[str, Any]:
    """What the group page's plan and documents cards need."""
    plan = plans.plan_of(group)
    members = list(
        StrandedPerson.objects.filter(group=group, decision=Decision.RETURN_HOME)
        .select_related("person")
        .order_by("pk")
    )
    can_work = can_work_on(user, group.case)
    is_open = group.status not in plans.CLOSED_STATUSES
    approved = plan is not None and plan.status == PlanStatus.APPROVED
    name, position = documents.default_signatory(user)
    return {
        **plan_facts(group, plan),
        "plan_travellers": members,
        "can_edit_plan": can_work and is_open and bool(members),
        "can_review_plan": (
            can_approve_plans(user) and plan is not None and plan.status == PlanStatus.SUBMITTED
        ),
        "documents": documents.documents_of(group),
        "can_issue": can_work and plan is not None,
        "can_issue_approved": can_work and approved,
        "document_kinds": DocumentKind,
        "signatory_name": name,
        "signatory_position": position,
    }
