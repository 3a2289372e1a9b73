"""Forms of the intake desk's referrals in. Rules live in ``referrals_in``; these only read input."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.cases.models import Case
from lk3.core.models import ServiceType
from lk3.people.models import Person, Sex
from lk3.referrals.models import Partner

NEW_CLIENT = "new"
CHOOSE_CLIENT = _("Choose an existing person or register a new one.")
PERSON_NOT_FOUND = _("This person is not in your organisation's registry.")
CHOOSE_CASE = _("Choose one of the cases listed, or type a case number.")
CASE_NOT_FOUND = _("No case with this number is open to you.")


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReferralInForm(forms.Form):
    """Recording a referral that arrived from another agency (with a one-time token)."""

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label=_("Referring agency (from the directory)"),
        required=False,
        to_field_name="public_id",
    )
    referrer_name = forms.CharField(
        label=_("Or the agency's name"),
        max_length=200,
        required=False,
        help_text=_("When the agency is not in the directory."),
    )
    referrer_contact = forms.CharField(
        label=_("Contact person and phone"), max_length=100, required=False
    )
    external_reference = forms.CharField(
        label=_("The agency's reference number"),
        max_length=80,
        required=False,
        help_text=_("For example an SLRT/Puskesos number or the agency's letter number."),
    )
    client_name = forms.CharField(label=_("Client's name"), max_length=200)
    client_nik = forms.CharField(
        label=_("Client's NIK"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("16 digits, if the agency gave it."),
    )
    client_birth_date = forms.DateField(
        label=_("Client's date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("If the agency gave it: it helps to find the client in the registry."),
    )
    client_sex = forms.ChoiceField(
        label=_("Client's sex"), required=False, choices=[("", "—"), *Sex.choices]
    )
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 4})
    )
    service = forms.ModelChoiceField(
        queryset=ServiceType.objects.filter(is_active=True),
        label=_("Service requested"),
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.initial.setdefault("token", uuid.uuid4().hex)

    def details(self) -> dict[str, Any]:
        names = ["partner", "referrer_name", "referrer_contact", "external_reference"]
        names += ["client_name", "client_nik", "client_birth_date", "client_sex", "reason"]
        names.append("service")
        return {name: self.cleaned_data[name] for name in names}


class ClientChoiceForm(forms.Form):
    """Which person the new case is about: one of the likely duplicates, or a new registration."""

    client = forms.CharField(max_length=40, required=False)
    version = _version()

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons

    def clean_client(self) -> Person | str:
        value = (self.cleaned_data.get("client") or "").strip()
        if not value:
            raise forms.ValidationError(CHOOSE_CLIENT)
        if value == NEW_CLIENT:
            return NEW_CLIENT
        try:
            person = self.persons.filter(public_id=uuid.UUID(value)).first()
        except ValueError:
            person = None
        if person is None:
            raise forms.ValidationError(PERSON_NOT_FOUND)
        return person

    @property
    def registers_new(self) -> bool:
        return self.is_bound and self.data.get("client") == NEW_CLIENT


class ExistingCaseForm(forms.Form):
    """Joining the referral to a case: one of the client's open cases, or a case number typed."""

    case = forms.CharField(max_length=40, required=False)
    case_number = forms.CharField(
        label=_("Or the case number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "KS-2026-0001", "autocomplete": "off"}),
    )
    version = _version()

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, number = (data.get("case") or "").strip(), (data.get("case_number") or "").strip()
        if number:
            found = self.cases.filter(number__iexact=number).first()
            if found is None:
                self.add_error("case_number", CASE_NOT_FOUND)
            data["case"] = found
        elif chosen:
            try:
                found = self.cases.filter(public_id=uuid.UUID(chosen)).first()
            except ValueError:
                found = None
            if found is None:
                self.add_error("case", CASE_NOT_FOUND)
            data["case"] = found
        else:
            self.add_error("case", CHOOSE_CASE)
        return data


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The referring agency is told this reason."),
    )
    version = _version()
