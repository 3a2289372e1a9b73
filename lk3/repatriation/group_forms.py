"""Forms of the stranded-people list and the take-in page. Rules live in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.core.forms import FilterForm
from lk3.core.models import PmksCategory
from lk3.people.forms import DateInput
from lk3.repatriation.models import FoundAt, GroupStatus

STRANDED_PMKS = "pekerja-migran-bermasalah-sosial"


class GroupFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *GroupStatus.choices], required=False
    )
    q = forms.CharField(
        label=_("Number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "OT-2026-0001"}),
    )

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"status": "", "query": ""}
        return {"status": self.cleaned_data["status"], "query": self.cleaned_data["q"]}


class TakeInForm(forms.Form):
    """Where and how the person or group was found; a one-time token stops double intakes."""

    found_at = forms.ChoiceField(label=_("Where found"), choices=FoundAt.choices)
    found_place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("For example Terminal Bus Bontang or Pelabuhan Lok Tuan."),
    )
    found_on = forms.DateField(label=_("Date found"), widget=DateInput())
    brought_by = forms.CharField(
        label=_("Found or brought in by"),
        max_length=200,
        required=False,
        help_text=_("Name and agency, for example Polsek Bontang Utara."),
    )
    police_letter_ref = forms.CharField(
        label=_("Police letter reference"), max_length=100, required=False
    )
    circumstances = forms.CharField(
        label=_("Circumstances"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How they came to be stranded. Kept encrypted."),
    )
    pmks_categories = forms.ModelMultipleChoiceField(
        queryset=PmksCategory.objects.filter(is_active=True),
        label=_("PMKS categories"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, leads: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = forms.ModelChoiceField(
            queryset=leads, label=_("Lead counsellor"), required=False, to_field_name="public_id"
        )
        lead.label_from_instance = lambda obj: obj.full_name  # type: ignore[method-assign]
        self.fields["lead_counsellor"] = lead
        self.initial.setdefault("token", uuid.uuid4().hex)
        self.initial.setdefault(
            "pmks_categories", list(PmksCategory.objects.filter(code=STRANDED_PMKS))
        )
        self.initial.setdefault("found_at", FoundAt.BUS_TERMINAL)

    def details(self) -> dict[str, Any]:
        """The intake's fields as ``intake.stranded_take_in`` takes them."""
        names = ["found_at", "found_place", "found_on", "brought_by", "police_letter_ref"]
        names += ["circumstances", "pmks_categories", "lead_counsellor"]
        return {name: self.cleaned_data[name] for name in names}
