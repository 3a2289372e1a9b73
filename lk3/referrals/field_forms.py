"""Forms of the field-report pages. Rules live in ``field_reports``; these only read input."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.cases.models import RiskLevel
from lk3.core.errors import DomainError
from lk3.core.forms import FilterForm
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.referrals import field_reports, field_selectors
from lk3.referrals.models import FieldReportStatus, Urgency
from lk3.regions.models import Region


def _rt_rw_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "numeric", "maxlength": 3, "size": 3, "pattern": "[0-9]{1,3}"}
    )


class FieldReportForm(forms.Form):
    """The officer's short report, phone first. ``draft_key`` comes from the page."""

    draft_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": field_reports.BAD_DRAFT, "invalid": field_reports.BAD_DRAFT},
    )
    person_name = forms.CharField(
        label=_("Who (name of the person or family)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": field_reports.NEEDS_NAME},
    )
    kelurahan = forms.ChoiceField(
        label=_("Kelurahan"),
        error_messages={
            "required": field_reports.NEEDS_KELURAHAN,
            "invalid_choice": field_reports.KELURAHAN_OUTSIDE,
        },
    )
    # RT and RW: digits, 1 to 3, checked with the service's rule and message.
    rt = forms.CharField(label=_("RT"), required=False, widget=_rt_rw_input())
    rw = forms.CharField(label=_("RW"), required=False, widget=_rt_rw_input())
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=300,
        required=False,
        help_text=_("For example: the house behind the mosque, green fence."),
    )
    what_happened = forms.CharField(
        label=_("What happened to them"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": field_reports.NEEDS_WHAT_HAPPENED},
    )
    urgency = forms.ChoiceField(
        label=_("How urgent"),
        choices=Urgency.choices,
        error_messages={
            "required": field_reports.BAD_URGENCY,
            "invalid_choice": field_reports.BAD_URGENCY,
        },
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(
        self, *args: Any, kelurahan: list[tuple[str, str]], preferred: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The officer's own kelurahan first, then the rest of the city by name.
        first = [choice for choice in kelurahan if choice[0] in preferred]
        rest = [choice for choice in kelurahan if choice[0] not in preferred]
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *first, *rest]
        self.initial.setdefault("draft_key", uuid.uuid4())
        if preferred:
            self.initial.setdefault("kelurahan", preferred[0])

    def clean_rt(self) -> str:
        return self._rt_rw("rt")

    def clean_rw(self) -> str:
        return self._rt_rw("rw")

    def _rt_rw(self, name: str) -> str:
        try:
            return field_reports.rt_rw_check(self.cleaned_data[name], name)
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from error

    def details(self) -> dict[str, Any]:
        """The report's fields as ``field_report_file`` takes them."""
        names = ["draft_key", "person_name", "kelurahan", "rt", "rw", "address"]
        names += ["what_happened", "urgency", "photo"]
        return {name: self.cleaned_data[name] for name in names}


class QueueFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (field_selectors.STATUS_WAITING, _("Waiting or being handled")),
            *FieldReportStatus.choices,
            (field_selectors.STATUS_ALL, _("All")),
        ],
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)

    def __init__(self, *args: Any, kelurahan: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All")), *kelurahan]

    @property
    def active_count(self) -> int:
        # The default status (waiting) is not a filter the user set.
        if not self.is_bound or not self.is_valid():
            return 0
        status = self.cleaned_data["status"]
        return int(bool(self.cleaned_data["kelurahan"])) + int(
            status not in ("", field_selectors.STATUS_WAITING)
        )

    def filters(self) -> field_selectors.QueueFilters:
        if not self.is_valid():
            return field_selectors.QueueFilters()
        return field_selectors.QueueFilters(
            status=self.cleaned_data["status"] or field_selectors.STATUS_WAITING,
            kelurahan=self.cleaned_data["kelurahan"],
        )


class TakeIntoCaseForm(forms.Form):
    """Opening a case from a report for a registered person."""

    intake_channel = forms.ModelChoiceField(
        queryset=IntakeChannel.objects.filter(is_active=True), label=_("Intake channel")
    )
    presenting_problem = forms.CharField(
        label=_("Presenting problem"), widget=forms.Textarea(attrs={"rows": 4})
    )
    pmks_categories = forms.ModelMultipleChoiceField(
        queryset=PmksCategory.objects.filter(is_active=True),
        label=_("PMKS categories"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    problem_types = forms.ModelMultipleChoiceField(
        queryset=ProblemType.objects.filter(is_active=True),
        label=_("Problem types"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    is_confidential = forms.BooleanField(
        label=_("Confidential (violence, children): only the case team and the coordinator see it"),
        required=False,
    )

    def __init__(self, *args: Any, leads: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            queryset=leads,
            label=_("Lead counsellor"),
            required=False,
            to_field_name="public_id",
        )
        field.label_from_instance = lambda obj: obj.full_name  # type: ignore[method-assign]
        self.fields["lead_counsellor"] = field

    def details(self) -> dict[str, Any]:
        names = ["intake_channel", "presenting_problem", "pmks_categories", "problem_types"]
        names += ["risk_level", "is_confidential", "lead_counsellor"]
        return {name: self.cleaned_data[name] for name in names}


class MarkDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is done without a case"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the family was already helped by the Puskesmas."),
    )


def kelurahan_choices_of(regions: QuerySet[Region]) -> list[tuple[str, str]]:
    return list(regions.order_by("name").values_list("code", "name"))
