"""Filters of the caseload pages, read from the query string."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.cases import caseload, stages
from lk3.cases.models import CaseStatus, RiskLevel, Stage
from lk3.cases.permissions import LEAD_ROLES
from lk3.core.forms import FilterForm
from lk3.core.models import PmksCategory

KIND_TASKS = "tasks"
KIND_CHECK_INS = "check_ins"


class _Workers:
    """Active workers of the organisation who may lead a case, by name (one query)."""

    def __init__(self, organisation: Organisation) -> None:
        users = User.objects.filter(
            organisation=organisation, is_active=True, role__in=LEAD_ROLES
        ).order_by("full_name")
        self.users = list(users.only("public_id", "full_name"))

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(user.public_id), user.full_name) for user in self.users]

    def pk_of(self, public_id: str) -> int | None:
        return next((user.pk for user in self.users if str(user.public_id) == public_id), None)


class CaseloadFilterForm(FilterForm):
    """The caseload's filters.

    Validating them reads nothing from the database: a code or id naming
    nothing finds no case. The lists to choose from (PMKS, kelurahan,
    counsellors) are read only when the form is shown, not when htmx asks
    for the rows alone.
    """

    number = forms.CharField(label=_("Case number"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and awaiting closure")),
            *CaseStatus.choices,
            (caseload.STATUS_ALL, _("All statuses")),
        ],
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    risk = forms.ChoiceField(
        label=_("Risk level"),
        required=False,
        choices=[("", _("All risk levels")), *RiskLevel.choices],
    )
    pmks = forms.SlugField(label=_("PMKS"), required=False, max_length=64)
    kelurahan = forms.RegexField(
        label=_("Kelurahan"), required=False, regex=r"^[0-9.]{1,13}$", max_length=13
    )
    lead = forms.UUIDField(label=_("Lead counsellor"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            (caseload.SORT_DUE, _("Overdue first, then next due")),
            (caseload.SORT_OPENED, _("Newest first")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        stage_labels: dict[str, str],
        with_lead: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.stage_labels = stage_labels
        if not with_lead:
            del self.fields["lead"]

    def _choices(self) -> dict[str, list[tuple[Any, Any]]]:
        choices: dict[str, list[tuple[Any, Any]]] = {
            name: list(field.choices)  # type: ignore[arg-type]
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        choices["stage"] = [
            ("", _("All stages")),
            *((stage, self.stage_labels[stage]) for stage in stages.ORDER),
        ]
        categories = PmksCategory.objects.filter(is_active=True).order_by("name")
        choices["pmks"] = [("", _("All PMKS")), *categories.values_list("code", "name")]
        choices["kelurahan"] = [
            ("", _("All kelurahan")),
            *caseload.kelurahan_choices(self.organisation),
        ]
        if "lead" in self.fields:
            choices["lead"] = [("", _("All counsellors")), *_Workers(self.organisation).choices]
        return choices

    @cached_property
    def options(self) -> dict[str, SafeString]:
        """Each list's ``<option>`` elements, the chosen one selected.

        Written here rather than by the widget templates: a page has some
        70 options, and rendering each through a template costs more than
        the rest of the list.
        """
        html = {}
        for name, choices in self._choices().items():
            chosen = str(self[name].value() or "")
            html[name] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, mark_safe(" selected") if str(value) == chosen else "", label)
                    for value, label in choices
                ),
            )
        return html

    @property
    def active_count(self) -> int:
        """The order is not a filter."""
        if not self.is_bound or not self.is_valid():
            return 0
        data = {key: value for key, value in self.cleaned_data.items() if key != "sort"}
        return sum(1 for value in data.values() if value not in (None, "", False))

    def filters(self) -> caseload.CaseloadFilters:
        """The valid filters; one that is not valid is shown as an error and left out."""
        if not self.is_bound:
            return caseload.CaseloadFilters()
        self.is_valid()
        data = {key: value for key, value in self.cleaned_data.items() if value is not None}
        data["sort"] = data.get("sort") or caseload.SORT_DUE
        return caseload.CaseloadFilters(**data)


class OverdueFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(KIND_TASKS, _("Tasks")), (KIND_CHECK_INS, _("Follow-up check-ins"))],
    )
    worker = forms.ChoiceField(label=_("Worker"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = _Workers(organisation)
        field = self.fields["worker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All workers")), *self.workers.choices]

    @property
    def shown(self) -> str:
        """Which list is shown: tasks unless check-ins were asked for."""
        if self.is_bound and self.is_valid() and self.cleaned_data["kind"]:
            return str(self.cleaned_data["kind"])
        return KIND_TASKS

    @property
    def active_count(self) -> int:
        """Which list is shown is not a filter."""
        return int(self.worker_id is not None)

    @property
    def worker_id(self) -> int | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self.workers.pk_of(self.cleaned_data["worker"])
