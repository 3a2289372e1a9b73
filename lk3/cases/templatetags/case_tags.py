"""Template helpers of casework: stage names, and the cases shown on registry pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lk3.cases import selectors, stages
from lk3.cases.caseload import CaseloadRow
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


# One caseload row (see ``caseload_body``); cells are escaped by format_html.
_ROW = (
    '<tr{overdue_class}><td><a href="{url}">{number}</a>{confidential}{status}</td>'
    '<td data-label="{client_label}">{subject}</td>'
    '<td data-label="{stage_label}">{stage}</td>'
    '<td data-label="{risk_label}"><span class="risk risk-{risk}">{risk_name}</span></td>'
    '<td data-label="{lead_label}">{lead}</td>'
    '<td data-label="{due_label}">{due}</td></tr>'
)


@register.simple_tag
def caseload_body(rows: list[CaseloadRow]) -> SafeString:
    """The rows of a caseload table.

    Written here rather than as a template loop: some 20 lookups and
    conditions per row made the loop cost more than the database work of
    the page (25 rows, a list opened and filtered all day long).
    """
    headings = {
        "client_label": _("Client"),
        "stage_label": _("Stage"),
        "risk_label": _("Risk"),
        "lead_label": _("Lead counsellor"),
        "due_label": _("Next due"),
    }
    words = {
        "confidential": format_html(
            ' <span class="badge badge-warning">{}</span>', _("confidential")
        ),
        "overdue": format_html(' <span class="badge badge-error">{}</span>', _("overdue")),
        "not_assigned": format_html('<span class="muted">{}</span>', _("Not assigned")),
        "hidden": _("Name hidden: a confidential case or a child"),
        "no_date": mark_safe('<span class="muted">—</span>'),
    }
    return mark_safe("\n".join(_caseload_row(row, headings, words) for row in rows))  # noqa: S308 -- each row is built by format_html


def _caseload_row(row: CaseloadRow, headings: dict[str, str], words: dict[str, Any]) -> str:
    subject: Any = row.subject
    if row.is_masked:
        subject = format_html('<span class="masked" title="{}">{}</span>', words["hidden"], subject)
    due: Any = words["no_date"]
    if row.next_due:
        due = format_html("{}{}", row.next_due, words["overdue"] if row.is_overdue else "")
    return format_html(
        _ROW,
        overdue_class=mark_safe(' class="is-overdue"') if row.is_overdue else "",
        url=row.url,
        number=row.number,
        confidential=words["confidential"] if row.is_confidential else "",
        status=format_html(' <span class="badge">{}</span>', row.status_label)
        if row.status_label
        else "",
        subject=subject,
        stage=row.stage_label,
        risk=row.risk,
        risk_name=row.risk_label,
        lead=row.lead_name or words["not_assigned"],
        due=due,
        **headings,
    )
