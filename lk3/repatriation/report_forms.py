"""The repatriation report's filters: the period and, for readers of several, the organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.forms import DateInput
from lk3.accounts.models import Organisation

DATES_OUT_OF_ORDER = _("The end date cannot be before the start date.")
PERIOD_TOO_LONG = _("Choose a period of at most %(years)d years.")
MAX_YEARS = 10


@dataclass(frozen=True)
class ReportScope:
    date_from: datetime.date
    date_to: datetime.date
    organisations: QuerySet[Organisation]


def this_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations.order_by("name")
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self.organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATES_OUT_OF_ORDER)
        elif start and end and (end - start).days > MAX_YEARS * 366:
            self.add_error("date_to", PERIOD_TOO_LONG % {"years": MAX_YEARS})
        return data

    def scope(self, today: datetime.date) -> ReportScope:
        """The chosen period and organisations; this calendar year and all of them by default."""
        start, end = this_year(today)
        chosen = None
        if self.is_bound and self.is_valid():
            given_from, given_to = self.cleaned_data["date_from"], self.cleaned_data["date_to"]
            # One date alone: the rest of its calendar year (or the year up to it).
            if given_from is not None:
                start, end = given_from, given_to or this_year(given_from)[1]
            elif given_to is not None:
                start, end = this_year(given_to)[0], given_to
            chosen = self.cleaned_data["organisation"]
        organisations = (
            self.organisations.filter(pk=chosen.pk) if chosen is not None else self.organisations
        )
        return ReportScope(date_from=start, date_to=end, organisations=organisations)
