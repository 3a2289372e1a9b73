"""Asking for an official report, and editing the report template."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lk3.accounts.forms import DateInput
from lk3.accounts.models import Organisation
from lk3.core.models import IntakeChannel, PmksCategory
from lk3.regions.models import Region, RegionLevel
from lk3.reports import official
from lk3.reports.models import ReportKind, ReportTemplate
from lk3.reports.runs import MAX_SIGNATORIES

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
DATES_OUT_OF_ORDER = _("The end date cannot be before the start date.")
BOTH_DATES = _("Give both the start and the end of the period.")
MONTH_NEEDED = _("Choose the month of the report.")
YEAR_NEEDED = _("Choose the year of the report.")
BAD_MONTH = _("Give the month as year and month, for example 2026-11.")


class MonthInput(forms.TextInput):
    input_type = "month"


class RunForm(forms.Form):
    """Kind and period (a month, a year, or from-to), organisations and filters."""

    kind = forms.ChoiceField(
        label=_("Report"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=MonthInput(attrs={"placeholder": "2026-11"}),
        help_text=_("For a monthly report."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("For an annual report."),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("Or any period: from and to."),
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all of them."),
    )
    pmks = forms.MultipleChoiceField(
        label=_("PMKS categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kelurahan = forms.MultipleChoiceField(
        label=_("Kelurahan"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    channels = forms.MultipleChoiceField(
        label=_("Intake channels"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], today: datetime.date, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {"kind": ReportKind.MONTHLY, "month": _last_month(today), "year": today.year - 1},
        )
        super().__init__(*args, **kwargs)
        chosen = self.fields["organisations"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name")
        self.several_organisations = len(organisations) > 1
        if not self.several_organisations:
            del self.fields["organisations"]
        self.fields["pmks"].choices = list(  # type: ignore[attr-defined]
            PmksCategory.objects.filter(is_active=True).values_list("code", "name")
        )
        self.fields["channels"].choices = list(  # type: ignore[attr-defined]
            IntakeChannel.objects.filter(is_active=True).values_list("code", "name")
        )
        regions = [o.region_id for o in organisations if o.region_id]
        villages = Region.objects.filter(level=RegionLevel.VILLAGE, is_active=True)
        if regions:
            prefixes = Region.objects.none()
            for code in regions:
                prefixes = prefixes | villages.filter(code__startswith=f"{code}.")
            villages = prefixes
        self.fields["kelurahan"].choices = list(  # type: ignore[attr-defined]
            villages.order_by("name").values_list("code", "name")[:2000]
        )

    def clean_month(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        found = MONTH.match(value)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise forms.ValidationError(BAD_MONTH)
        return int(found.group(1)), int(found.group(2))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            if not (start and end):
                self.add_error("date_to" if start else "date_from", BOTH_DATES)
            elif end < start:
                self.add_error("date_to", DATES_OUT_OF_ORDER)
            else:
                data["period"] = (start, end)
        elif data.get("kind") == ReportKind.MONTHLY:
            if data.get("month"):
                data["period"] = official.month_period(*data["month"])
            elif "month" not in self.errors:
                self.add_error("month", MONTH_NEEDED)
        elif data.get("kind") == ReportKind.ANNUAL:
            if data.get("year"):
                data["period"] = official.year_period(data["year"])
            elif "year" not in self.errors:
                self.add_error("year", YEAR_NEEDED)
        return data

    def filters(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {key: list(data.get(key) or []) for key in official.FILTER_KEYS if data.get(key)}

    def organisation_ids(self) -> list[int]:
        chosen = self.cleaned_data.get("organisations")
        return [organisation.pk for organisation in chosen] if chosen else []


def _last_month(today: datetime.date) -> str:
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{previous:%Y-%m}"


class TemplateForm(forms.Form):
    """The template: headings, sections (ticked, with an order number) and signatories."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    closing = forms.CharField(
        label=_("Closing text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, template: ReportTemplate, **kwargs: Any) -> None:
        initial = {
            "version": template.version,
            "title": template.title,
            "introduction": template.introduction,
            "closing": template.closing,
        }
        order = {code: number for number, code in enumerate(template.sections, start=1)}
        for code in official.SECTIONS:
            initial[f"section_{code}"] = code in order
            initial[f"order_{code}"] = order.get(code)
        for index in range(MAX_SIGNATORIES):
            line = template.signatories[index] if index < len(template.signatories) else {}
            initial[f"signatory_{index}_title"] = line.get("title", "")
            initial[f"signatory_{index}_name"] = line.get("name", "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for code, spec in official.SECTIONS.items():
            self.fields[f"section_{code}"] = forms.BooleanField(
                label=str(spec.title), required=False
            )
            self.fields[f"order_{code}"] = forms.IntegerField(
                label=_("Order"),
                required=False,
                min_value=1,
                max_value=99,
                widget=forms.NumberInput(
                    attrs={"aria-label": _("Order: %(section)s") % {"section": spec.title}}
                ),
            )
        for index in range(MAX_SIGNATORIES):
            number = index + 1
            self.fields[f"signatory_{index}_title"] = forms.CharField(
                label=_("Signatory %(number)s: position") % {"number": number},
                required=False,
                max_length=200,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"signatory_{index}_name"] = forms.CharField(
                label=_("Signatory %(number)s: name") % {"number": number},
                required=False,
                max_length=200,
            )

    def section_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"section_{code}"], self[f"order_{code}"]) for code in official.SECTIONS]

    def signatory_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"signatory_{index}_title"], self[f"signatory_{index}_name"])
            for index in range(MAX_SIGNATORIES)
        ]

    def sections(self) -> list[str]:
        """The ticked sections by their order number, then in the catalogue's order."""
        data = self.cleaned_data
        codes = list(official.SECTIONS)
        ticked = [code for code in codes if data.get(f"section_{code}")]
        return sorted(
            ticked, key=lambda code: (data.get(f"order_{code}") or 100, codes.index(code))
        )

    def signatories(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "title": data.get(f"signatory_{index}_title", ""),
                "name": data.get(f"signatory_{index}_name", ""),
            }
            for index in range(MAX_SIGNATORIES)
        ]
