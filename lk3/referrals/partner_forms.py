"""Forms of the partner directory: filters, partner details, contacts, MoUs, staff links."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.forms import DateInput
from lk3.accounts.models import User
from lk3.core.forms import FilterForm
from lk3.core.models import PsksCategory, ServiceType
from lk3.referrals.models import Agreement, AgreementKind, Partner, PartnerContact, PartnerKind
from lk3.referrals.partner_selectors import PartnerFilters, Period
from lk3.referrals.partners import AgreementState
from lk3.regions.models import Region

AGREEMENT_CHOICES = [
    ("", _("Any MoU/PKS state")),
    (AgreementState.VALID, _("Valid")),
    (AgreementState.EXPIRING, _("Ending soon")),
    (AgreementState.EXPIRED, _("Ended")),
    (AgreementState.NONE, _("No MoU/PKS")),
]
DATES_OUT_OF_ORDER = _("The end date cannot be before the start date.")


def _region_name(region: Region) -> str:
    return region.name


def _region_with_level(region: Region) -> str:
    return f"{region.name} ({region.get_level_display()})"


class PartnerFilterForm(FilterForm):
    query = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PartnerKind.choices]
    )
    service = forms.ModelChoiceField(
        label=_("Service offered"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        empty_label=_("All services"),
        to_field_name="code",
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Serves kelurahan"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All kelurahan"),
        to_field_name="code",
    )
    agreement = forms.ChoiceField(label=_("MoU/PKS"), required=False, choices=AGREEMENT_CHOICES)
    include_inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(self, *args: Any, kelurahan_choices: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = kelurahan_choices
        field.label_from_instance = _region_name  # type: ignore[method-assign,assignment]

    def filters(self) -> PartnerFilters:
        if not self.is_bound or not self.is_valid():
            return PartnerFilters()
        return PartnerFilters(**self.cleaned_data)


class PartnerForm(forms.ModelForm[Partner]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Services offered"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service_area = forms.ModelMultipleChoiceField(
        label=_("Service area"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kelurahan, kecamatan or the whole city served; none ticked means the whole city."
        ),
    )
    psks_category = forms.ModelChoiceField(
        label=_("PSKS category"),
        queryset=PsksCategory.objects.filter(is_active=True),
        required=False,
        help_text=_("Only for a PSKS partner."),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "short_name",
            "kind",
            "psks_category",
            "services",
            "description",
            "service_area",
            "address",
            "phone",
            "email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"short_name": _("Shown in lists; empty means the full name.")}

    def __init__(self, *args: Any, area_choices: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["short_name"].required = False
        area = self.fields["service_area"]
        assert isinstance(area, forms.ModelMultipleChoiceField)
        area.queryset = area_choices
        area.label_from_instance = _region_with_level  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["services"] = list(self.instance.services.all())
            self.initial["service_area"] = list(self.instance.service_area.all())

    def _post_clean(self) -> None:
        # The service validates the whole change (unique name, PSKS category).
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["short_name"] = data.get("short_name") or ""
        return data


class ContactForm(forms.ModelForm[PartnerContact]):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}

    def _post_clean(self) -> None:
        pass


class AgreementForm(forms.ModelForm[Agreement]):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)

    class Meta:
        model = Agreement
        fields = ["kind", "number", "title", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", DATES_OUT_OF_ORDER)
        return data

    def _post_clean(self) -> None:
        pass


class StaffLinkForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Partner-role account"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose an account"),
        help_text=_("Active accounts with the partner role not yet linked to a partner."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.label_from_instance = _account_label  # type: ignore[method-assign,assignment]


def _account_label(user: User) -> str:
    return f"{user.full_name} ({user.username})"


class ScorecardForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATES_OUT_OF_ORDER)
        return data

    def period(self, today: datetime.date) -> Period:
        """The chosen period; the last 12 months up to today by default."""
        default = Period.default(today)
        if not self.is_bound or not self.is_valid():
            return default
        end = self.cleaned_data["date_to"] or default.end
        start = self.cleaned_data["date_from"] or end - (default.end - default.start)
        return Period(start=start, end=end)
