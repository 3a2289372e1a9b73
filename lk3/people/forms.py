from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.core.forms import FilterForm
from lk3.people.models import (
    AliasKind,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Disability,
    Education,
    MaritalStatus,
    MembershipEnd,
    NikAbsence,
    Person,
    Relationship,
    Religion,
    Sex,
)
from lk3.people.services import AliasInput, ConsentInput
from lk3.regions.models import Region

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TOO_LARGE = _("The photo may be at most 2 MB.")
AGE_OR_DATE = _("Give the birth date, or the age when the exact date is not known.")
AGE_OUT_OF_RANGE = _("Enter an age between 0 and 120.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _blank(choices: Any, label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


VILLAGE_LABEL = _("Kelurahan/desa")


def village_field(
    villages: QuerySet[Region], *, label: Any = VILLAGE_LABEL
) -> forms.ModelChoiceField[Region]:
    field = forms.ModelChoiceField(
        queryset=villages, required=False, label=label, to_field_name="code"
    )
    field.label_from_instance = lambda obj: obj.name  # type: ignore[method-assign]
    return field


class PersonForm(forms.Form):
    """Registering or editing a person. The consent part is shown on registration only."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    nicknames = forms.CharField(
        label=_("Nicknames and aliases"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    married_names = forms.CharField(
        label=_("Names before or after marriage"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                # Live feedback: what the NIK says and whether it is registered.
                "hx-get": reverse_lazy("people:nik_check"),
                "hx-trigger": "input changed delay:400ms, change from:#id_birth_date, change from:#id_sex",
                "hx-target": "#nik-feedback",
                "hx-include": "#id_birth_date, #id_sex",
            }
        ),
        help_text=_("16 digits, from the KTP or KK."),
    )
    nik_absence = forms.ChoiceField(
        label=_("If there is no NIK, why"), choices=_blank(NikAbsence.choices), required=False
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    age = forms.IntegerField(
        label=_("Age (when the birth date is not known)"),
        required=False,
        min_value=0,
        max_value=120,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices))
    birth_place = forms.CharField(label=_("Place of birth"), max_length=120, required=False)
    religion = forms.ChoiceField(
        label=_("Religion"), choices=_blank(Religion.choices), required=False
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=_blank(MaritalStatus.choices), required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=_blank(Education.choices), required=False
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=120, required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), choices=_blank(Disability.choices, _("None")), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        help_text=_("One per line, e.g. 0812-3456-7890."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Registration only: the consent given at intake.
    consent_given_by = forms.ChoiceField(
        label=_("Consent for registration and services given by"),
        choices=_blank(ConsentGiver.choices, _("Not recorded")),
        required=False,
    )
    consent_giver_name = forms.CharField(
        label=_("Name of the parent or guardian"), max_length=200, required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices, required=False
    )
    consent_given_on = forms.DateField(label=_("Consent date"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, villages: QuerySet[Region], with_consent: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domicile_village"] = village_field(
            villages, label=_("Domicile kelurahan/desa")
        )
        self.order_fields(["full_name", "nik", "nik_absence", "birth_date", "age", "sex"])
        if not with_consent:
            for name in [name for name in self.fields if name.startswith("consent_")]:
                del self.fields[name]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
            raise forms.ValidationError(PHOTO_TOO_LARGE)
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") is None and data.get("age") is None:
            self.add_error("birth_date", AGE_OR_DATE)
        return data

    def birth(self, today: datetime.date) -> tuple[datetime.date | None, bool]:
        """(birth date, estimated?) from the date or, failing that, the age."""
        if self.cleaned_data.get("birth_date"):
            return self.cleaned_data["birth_date"], False
        age = self.cleaned_data.get("age")
        if age is None:
            return None, False
        # An age only: the middle of the year they were born, marked estimated.
        return datetime.date(today.year - age, 7, 1), True

    def aliases(self) -> list[AliasInput]:
        return [
            *(
                AliasInput(name, AliasKind.NICKNAME)
                for name in _lines(self.cleaned_data["nicknames"])
            ),
            *(
                AliasInput(name, AliasKind.MARRIED)
                for name in _lines(self.cleaned_data["married_names"])
            ),
        ]

    def phone_numbers(self) -> list[str]:
        return _lines(self.cleaned_data["phones"])

    def consents(self, today: datetime.date) -> list[ConsentInput]:
        given_by = self.cleaned_data.get("consent_given_by")
        if not given_by:
            return []
        return [
            ConsentInput(
                purpose=ConsentPurpose.SERVICES,
                given_by=given_by,
                method=self.cleaned_data.get("consent_method") or ConsentMethod.WRITTEN,
                given_on=self.cleaned_data.get("consent_given_on") or today,
                giver_name=self.cleaned_data.get("consent_giver_name", ""),
            )
        ]

    def details(self, today: datetime.date) -> dict[str, Any]:
        """The person's fields as the services take them."""
        birth_date, estimated = self.birth(today)
        data = self.cleaned_data
        details = {
            name: data[name]
            for name in (
                "full_name",
                "nik",
                "nik_absence",
                "sex",
                "birth_place",
                "religion",
                "marital_status",
                "education",
                "occupation",
                "disability",
                "address",
                "rt",
                "rw",
            )
        }
        details.update(
            birth_date=birth_date,
            birth_date_is_estimated=estimated,
            domicile_village=data.get("domicile_village"),
        )
        if data.get("photo"):
            details["photo"] = data["photo"]
        return details

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        aliases = list(person.aliases.all())
        return {
            "full_name": person.full_name,
            "nicknames": "\n".join(a.name for a in aliases if a.kind != AliasKind.MARRIED),
            "married_names": "\n".join(a.name for a in aliases if a.kind == AliasKind.MARRIED),
            "nik": person.nik,
            "nik_absence": person.nik_absence,
            "birth_date": None if person.birth_date_is_estimated else person.birth_date,
            "age": person.age_on(timezone.localdate()) if person.birth_date_is_estimated else None,
            "sex": person.sex,
            "birth_place": person.birth_place,
            "religion": person.religion,
            "marital_status": person.marital_status,
            "education": person.education,
            "occupation": person.occupation,
            "disability": person.disability,
            "domicile_village": person.domicile_village_id,
            "address": person.address,
            "rt": person.rt,
            "rw": person.rw,
            "phones": "\n".join(phone.number for phone in person.phones.all()),
            "version": person.version,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class NikCheckForm(forms.Form):
    nik = forms.CharField(max_length=64, required=False, strip=False)
    birth_date = forms.DateField(required=False)
    sex = forms.ChoiceField(choices=_blank(Sex.choices), required=False)


class KkCheckForm(forms.Form):
    kk_number = forms.CharField(max_length=64, required=False, strip=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(
        label=_("Name of the parent or guardian"), max_length=200, required=False
    )
    method = forms.ChoiceField(label=_("How consent was given"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=_("Date given"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def consent(self) -> ConsentInput:
        return ConsentInput(**self.cleaned_data)


class FamilyForm(forms.Form):
    kk_number = forms.CharField(
        label=_("KK number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "hx-get": reverse_lazy("people:kk_check"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#kk-feedback",
            }
        ),
        help_text=_("16 digits from the family card; leave empty if the family has none."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, villages: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domicile_village"] = village_field(villages)

    def clean_address(self) -> str:
        return " ".join(self.cleaned_data["address"].split())

    def details(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("kk_number", "address", "rt", "rw", "domicile_village")
        }


class MemberForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    relationship = forms.ChoiceField(
        label=_("Relationship on the KK"), choices=Relationship.choices
    )
    started_on = forms.DateField(label=_("Member since"), widget=DateInput())
    move = forms.BooleanField(
        label=_("Move from their current family (that membership ends on this date)"),
        required=False,
    )


class MembershipEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Until"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=MembershipEnd.choices)


class CandidateFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("To review")),
            ("dismissed", _("Not the same person")),
            ("merged", _("Merged")),
        ],
    )
