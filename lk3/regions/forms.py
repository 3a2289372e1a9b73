from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lk3.regions.identity import FEMALE, MALE, SEX_LABELS
from lk3.regions.models import RegionLevel

QUERY_MAX_LENGTH = 100


class RegionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or code"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *RegionLevel.choices],
        required=False,
    )
    within = forms.CharField(
        label=_("Inside region code"),
        max_length=13,
        required=False,
        help_text=_("For example 64.74 for Kota Bontang."),
    )


class IdentityCheckForm(forms.Form):
    value = forms.CharField(max_length=64, required=False, strip=False)
    birth_date = forms.DateField(required=False)
    sex = forms.ChoiceField(
        choices=[("", ""), (MALE, SEX_LABELS[MALE]), (FEMALE, SEX_LABELS[FEMALE])],
        required=False,
    )
