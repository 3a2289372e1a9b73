from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import BoardMember, Function, Institution, Organisation
from lk3.accounts.roles import Role
from lk3.accounts.selectors import BoardFilters, TermStatus
from lk3.core.forms import FilterForm
from lk3.regions.models import Region

LOGO_MAX_BYTES = 1024 * 1024
LOGO_TOO_LARGE = _("The logo may be at most 1 MB.")
TERM_END_BEFORE_START = _("The term end must be on or after the term start.")


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _region_name(region: Region) -> str:
    return region.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoardMemberForm(forms.ModelForm[BoardMember]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kelurahan = forms.ModelMultipleChoiceField(
        label=_("Assigned kelurahan"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BoardMember
        fields = [
            "full_name",
            "position",
            "institution",
            "function",
            "unit",
            "phone",
            "email",
            "decree_number",
            "decree_date",
            "term_start",
            "term_end",
            "kelurahan",
        ]
        widgets = {
            "decree_date": DateInput(),
            "term_start": DateInput(),
            "term_end": DateInput(),
        }

    def __init__(self, *args: Any, kelurahan_choices: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = kelurahan_choices
        field.label_from_instance = _region_name  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", TERM_END_BEFORE_START)
        return data

    def _post_clean(self) -> None:
        # Model validation runs in the service, with the whole change; the
        # form only checks its own fields here.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("kelurahan", None)
        return data


class BoardFilterForm(FilterForm):
    query = forms.CharField(label=_("Name or unit"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    institution = forms.ChoiceField(
        label=_("Institution"),
        required=False,
        choices=[("", _("All institutions")), *Institution.choices],
    )
    function = forms.ChoiceField(
        label=_("Function"), required=False, choices=[("", _("All functions")), *Function.choices]
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    term = forms.ChoiceField(
        label=_("Term"),
        required=False,
        choices=[
            ("", _("All terms")),
            (TermStatus.ACTIVE, _("In term")),
            (TermStatus.EXPIRING, _("Ending soon")),
            (TermStatus.EXPIRED, _("Ended")),
            (TermStatus.NOT_STARTED, _("Not started")),
        ],
    )
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    include_inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(
        self,
        *args: Any,
        kelurahan_choices: QuerySet[Region],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kelurahan_field = self.fields["kelurahan"]
        assert isinstance(kelurahan_field, forms.ChoiceField)
        kelurahan_field.choices = [
            ("", _("All kelurahan")),
            *((region.code, region.name) for region in kelurahan_choices),
        ]
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ChoiceField)
        organisation_field.choices = [
            ("", _("All organisations")),
            *((str(org.public_id), org.short_name) for org in organisations),
        ]
        self.show_organisation = len(organisation_field.choices) > 2

    def filters(self) -> BoardFilters:
        if not self.is_valid():
            return BoardFilters()
        return BoardFilters(**self.cleaned_data)


class OrganisationForm(forms.ModelForm[Organisation]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "agency_name",
            "address",
            "phone",
            "email",
            "letterhead_text",
            "logo",
            "time_zone",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "letterhead_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise forms.ValidationError(LOGO_TOO_LARGE)
        return logo

    def _post_clean(self) -> None:
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("logo") is None:
            data.pop("logo", None)
        return data
