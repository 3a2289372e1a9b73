"""Forms of a stranded person's pages: identification, shelter, tracing, decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.people.forms import DateInput
from lk3.repatriation.models import (
    Decision,
    HealthStatus,
    IdentityDocument,
    StrandedPerson,
    TracingMethod,
    TracingResult,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MemberForm(forms.Form):
    """Documents, health screening and origin. The origin is a region code, picked or typed."""

    documents = forms.MultipleChoiceField(
        label=_("Identity documents held"),
        choices=IdentityDocument.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    documents_note = forms.CharField(
        label=_("About the documents"),
        max_length=300,
        required=False,
        help_text=_("For example: KTP lost at the port, police letter requested."),
    )
    health_status = forms.ChoiceField(label=_("Health"), choices=HealthStatus.choices)
    health_note = forms.CharField(
        label=_("Health and mental state"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted."),
    )
    screened_on = forms.DateField(label=_("Screened on"), required=False, widget=DateInput())
    stated_origin = forms.CharField(
        label=_("Origin as the person states it"),
        max_length=300,
        required=False,
        help_text=_("In their words: village, district, town."),
    )
    origin_query = forms.CharField(
        label=_("Find the region of origin"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("A desa or kelurahan by name, even misspelt, or by code."),
    )
    origin_region = forms.CharField(
        label=_("Region code of origin"),
        max_length=20,
        required=False,
        help_text=_(
            "Or type the code, e.g. 32.05.01.1001; a region picked above takes precedence."
        ),
    )
    origin_pick = forms.CharField(required=False, max_length=20)
    origin_for_group = forms.BooleanField(
        label=_("Also for the others in the group who have no region of origin yet"),
        required=False,
    )
    version = _version()

    def origin_code(self) -> str:
        """The region picked from the search results, else the code typed."""
        return self.cleaned_data["origin_pick"].strip() or self.cleaned_data["origin_region"]

    def details(self) -> dict[str, Any]:
        names = ["documents", "documents_note", "health_status", "health_note", "screened_on"]
        return {name: self.cleaned_data[name] for name in [*names, "stated_origin"]} | {
            "origin_code": self.origin_code(),
            "share_origin": self.cleaned_data["origin_for_group"],
        }

    @classmethod
    def initial_for(cls, member: StrandedPerson) -> dict[str, Any]:
        return {
            "documents": list(member.documents),
            "documents_note": member.documents_note,
            "health_status": member.health_status,
            "health_note": member.health_note,
            "screened_on": member.screened_on,
            "stated_origin": member.stated_origin,
            "origin_region": member.origin_region_id or "",
            "version": member.version,
        }


class ShelterCheckInForm(forms.Form):
    shelter = forms.CharField(
        label=_("Shelter"),
        max_length=200,
        help_text=_("For example Rumah Singgah Dinsos Bontang."),
    )
    checked_in_at = forms.DateTimeField(
        label=_("Checked in at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )


class ShelterCheckOutForm(forms.Form):
    checked_out_at = forms.DateTimeField(
        label=_("Checked out at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )


class TracingForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DateInput())
    contact = forms.CharField(
        label=_("Who was contacted"),
        max_length=200,
        help_text=_("For example: the person's brother in Garut, Dinsos Kabupaten Garut."),
    )
    method = forms.ChoiceField(label=_("How"), choices=TracingMethod.choices)
    result = forms.ChoiceField(label=_("Result"), choices=TracingResult.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted."),
    )

    def __init__(self, *args: Any, members: QuerySet[StrandedPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = forms.ModelChoiceField(
            queryset=members,
            label=_("About"),
            required=False,
            empty_label=_("The whole group"),
            to_field_name="public_id",
        )
        member.label_from_instance = lambda obj: obj.person.full_name  # type: ignore[method-assign]
        self.fields["member"] = member
        self.order_fields(["member"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    exception_note = forms.CharField(
        label=_("Exception to the return rule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Coordinator only: why this person may be returned again."),
    )
    version = _version()

    def __init__(self, *args: Any, with_exception: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_exception:
            del self.fields["exception_note"]

    @classmethod
    def initial_for(cls, member: StrandedPerson) -> dict[str, Any]:
        return {
            "decision": member.decision,
            "reason": member.decision_reason,
            "exception_note": member.returned_before_note,
            "version": member.version,
        }


class MemberAddForm(forms.Form):
    person = forms.UUIDField()
