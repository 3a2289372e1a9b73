"""Template helpers of casework: stage names, and the cases shown on registry pages."""

from __future__ import annotations

from typing import Any

from django import template

from lk3.cases import selectors, stages
from lk3.cases.permissions import can_open_case, can_use_cases
from lk3.people.models import Family, Person, PersonStatus

register = template.Library()


@register.filter
def label_of(stage: str, labels: dict[str, str]) -> str:
    """A stage's name as the organisation calls it: ``{{ change.to_stage|label_of:labels }}``."""
    return labels.get(stage, stage)


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("cases/case_list_registry.html", takes_context=True)
def person_cases(context: template.Context, person: Person) -> dict[str, Any]:
    """The person's cases and the link to open one, for users of casework only."""
    user = _user(context)
    if user is None or not can_use_cases(user):
        return {"show": False}
    return {
        "show": True,
        "cases": list(selectors.cases_of_person(user, person)),
        "labels": stages.stage_labels(user.organisation_id),
        "can_open": can_open_case(user) and person.status == PersonStatus.ACTIVE,
        "subject": "person",
        "subject_id": person.public_id,
        "with_client": False,
    }


@register.inclusion_tag("cases/case_list_registry.html", takes_context=True)
def family_cases(context: template.Context, family: Family) -> dict[str, Any]:
    """Open cases of the family and of its current members."""
    user = _user(context)
    if user is None or not can_use_cases(user):
        return {"show": False}
    return {
        "show": True,
        "cases": list(selectors.open_cases_of_family(user, family)),
        "labels": stages.stage_labels(user.organisation_id),
        "can_open": can_open_case(user),
        "subject": "family",
        "subject_id": family.public_id,
        "with_client": True,
    }
