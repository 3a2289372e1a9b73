"""Forms of the handover: sending, confirming the arrival, declining, importing a package."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lk3.repatriation.packages import MAX_PACKAGE_BYTES, MEGABYTE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, required=False)


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(
        label=_("Arrived on"),
        widget=DATE,
        error_messages={"required": _("Give the date of arrival.")},
    )
    received_by_name = forms.CharField(
        label=_("Received by"),
        max_length=200,
        help_text=_("The name of the person who received the travellers."),
        error_messages={"required": _("Write the name of the person who received the travellers.")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the handover is declined"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the handover is declined.")},
    )


class PackageImportForm(forms.Form):
    package = forms.FileField(
        label=_("Handover package (.zip)"),
        help_text=_("The file the sending organisation exported from its system."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={"required": _("Choose the package file to import.")},
    )

    def clean_package(self) -> object:
        upload = self.cleaned_data["package"]
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(
                _("The package is larger than %(limit)s MB: it cannot be imported."),
                params={"limit": MAX_PACKAGE_BYTES // MEGABYTE},
            )
        return upload
