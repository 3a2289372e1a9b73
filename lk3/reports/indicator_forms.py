"""The period and filters of the indicators (and of the dashboards and reports that share them).

The period is a calendar month (the current one by default), a calendar
year, or any range of days. The filters are PMKS, kelurahan and intake
channel codes; readers of several organisations may pick some of them.
A choice naming nothing the reader may read is refused on its field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lk3.accounts.forms import DateInput
from lk3.accounts.models import Organisation
from lk3.core.errors import DomainError
from lk3.core.forms import FilterForm
from lk3.core.models import IntakeChannel, PmksCategory
from lk3.regions.models import Region
from lk3.reports.permissions import report_organisation_ids
from lk3.reports.scope import ReportScope, month_period, scope_for, year_period

MONTH, YEAR, CUSTOM = "month", "year", "custom"
NEEDS_BOTH_DATES = _("Give the first and the last day of the period.")
PERIOD_TOO_LONG = _("Choose a period of at most %(years)d years.")
MAX_YEARS = 10


class MonthInput(forms.TextInput):
    input_type = "month"


class IndicatorFilterForm(FilterForm):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[(MONTH, _("A month")), (YEAR, _("A year")), (CUSTOM, _("From - to"))],
    )
    month = forms.RegexField(
        label=_("Month"),
        required=False,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give the month as year and month, e.g. 2026-10.")},
        widget=MonthInput(),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    pmks = forms.MultipleChoiceField(label=_("PMKS"), required=False)
    kelurahan = forms.MultipleChoiceField(label=_("Kelurahan"), required=False)
    channel = forms.MultipleChoiceField(label=_("Intake channel"), required=False)
    organisation = forms.MultipleChoiceField(label=_("Organisations"), required=False)

    def __init__(self, *args: Any, user: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        organisations = list(
            Organisation.objects.filter(pk__in=report_organisation_ids(user))
            .order_by("name")
            .only("pk", "public_id", "name", "region_id")
        )
        self.organisations = organisations
        self._choose(
            "pmks",
            PmksCategory.objects.filter(is_active=True)
            .order_by("name")
            .values_list("code", "name"),
        )
        self._choose(
            "channel",
            IntakeChannel.objects.filter(is_active=True)
            .order_by("name")
            .values_list("code", "name"),
        )
        villages = Region.objects.filter(
            parent__parent__code__in=[item.region_id for item in organisations], is_active=True
        )
        self._choose("kelurahan", villages.order_by("name").values_list("code", "name"))
        if len(organisations) > 1:
            self._choose(
                "organisation", [(str(item.public_id), item.name) for item in organisations]
            )
        else:
            del self.fields["organisation"]
        self.fields["month"].widget.attrs["placeholder"] = f"{today:%Y-%m}"
        self.fields["year"].widget.attrs["placeholder"] = str(today.year)

    def _choose(self, name: str, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(choices)

    @property
    def choose_organisation(self) -> bool:
        return "organisation" in self.fields

    def _period(self, data: dict[str, Any]) -> tuple[datetime.date, datetime.date] | None:
        kind = data.get("period") or MONTH
        if kind == YEAR:
            return year_period(data.get("year") or self.today.year)
        if kind == CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            if start is None or end is None:
                if "date_from" not in self.errors and "date_to" not in self.errors:
                    self.add_error("date_from" if start is None else "date_to", NEEDS_BOTH_DATES)
                return None
            if (end - start).days > MAX_YEARS * 366:
                self.add_error("date_to", PERIOD_TOO_LONG % {"years": MAX_YEARS})
                return None
            return start, end
        chosen = data.get("month") or f"{self.today:%Y-%m}"
        year, month = (int(part) for part in chosen.split("-"))
        return month_period(year, month)

    def scope(self) -> ReportScope | None:
        """The reader's scope for the period and filters chosen; None when the form has errors.

        Not filled in at all: the current month, every organisation, no filter.
        """
        if not self.is_bound:
            start, end = month_period(self.today.year, self.today.month)
            return scope_for(self.user, date_from=start, date_to=end)
        if not self.is_valid():
            return None
        data = self.cleaned_data
        period = self._period(data)
        if period is None:
            return None
        chosen = set(data.get("organisation") or ())
        try:
            return scope_for(
                self.user,
                date_from=period[0],
                date_to=period[1],
                organisation_ids=[
                    item.pk for item in self.organisations if str(item.public_id) in chosen
                ],
                pmks=data["pmks"],
                kelurahan=data["kelurahan"],
                channels=data["channel"],
            )
        except DomainError as error:
            self.add_error(error.field, str(error.message))
            return None
