"""Forms of the return plan, its approval, and the documents.

The forms collect input; the rules (who travels, the ceiling, the receiving
organisation) are the services' (``plans``, ``documents``), whose refusals
are shown on the field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, OrganisationKind
from lk3.people.forms import DateInput
from lk3.repatriation.models import DocumentKind, TravelMode

RECEIVING_KINDS = (OrganisationKind.CITY_SOCIAL_OFFICE, OrganisationKind.PROVINCE_SOCIAL_OFFICE)


def receiving_choices(organisation_id: int) -> QuerySet[Organisation]:
    """Active social offices of this deployment other than the user's own."""
    return (
        Organisation.objects.filter(is_active=True, kind__in=RECEIVING_KINDS)
        .exclude(pk=organisation_id)
        .order_by("name")
    )


class RupiahField(forms.CharField):
    """Rupiah as people type them ("Rp 450.000", "450000"); the service checks the amount."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=30, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        text = re.sub(r"(?i)^\s*rp\.?", "", text)
        return re.sub(r"[\s.]", "", text) or "0"


class PlanForm(forms.Form):
    mode = forms.ChoiceField(label=_("Travel mode"), choices=TravelMode.choices)
    route = forms.CharField(
        label=_("Route"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says why it is needed
        help_text=_(
            "Each leg, for example Bontang - Balikpapan (bus), Balikpapan - Surabaya (ship)."
        ),
    )
    departure_on = forms.DateField(label=_("Departure date"), widget=DateInput(), required=False)
    tickets = forms.CharField(
        label=_("Tickets"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Carrier, ticket or booking numbers."),
    )
    escort = forms.CharField(
        label=_("Escort"),
        max_length=200,
        required=False,
        help_text=_("Who travels with them, if anyone."),
    )
    ticket_cost = RupiahField(label=_("Tickets (Rp)"))
    pocket_money = RupiahField(label=_("Pocket money (Rp)"))
    escort_cost = RupiahField(label=_("Escort (Rp)"))
    other_cost = RupiahField(label=_("Meals and other (Rp)"))
    receiving_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation in this system"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_(
            "When the origin's social office uses this system, it receives the handover in its own queue."
        ),
    )
    receiving_agency = forms.CharField(
        label=_("Receiving agency"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the name of the organisation chosen above."),
    )
    use_relay = forms.BooleanField(label=_("Via the provincial relay"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisation_id: int, relay: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["receiving_organisation"]
        field.queryset = receiving_choices(organisation_id)
        self.fields["use_relay"].help_text = _("Handed over through %(relay)s.") % {"relay": relay}


class SubmitForm(forms.Form):
    over_ceiling_reason = forms.CharField(
        label=_("Why the cost is over the ceiling"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed only when the cost per person is above the ceiling."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accept_over_ceiling = forms.BooleanField(
        label=_("I approve the cost above the ceiling"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says why it is needed
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    member = forms.UUIDField(required=False, widget=forms.HiddenInput)
    signatory_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signatory_position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("As it is printed under the signature, in Indonesian."),
    )
