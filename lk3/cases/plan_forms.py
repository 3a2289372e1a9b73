"""Forms of the intervention plan: goals, activities, and the quick status change.

The forms collect input; the rules (who may do an activity, what is
required) are the services' (``plans``), whose refusals are shown on the
field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.cases.models import PlanItemStatus
from lk3.people.forms import DateInput

NOTE_LABEL = _("Why the plan changes (optional)")
NOTE_HELP = _("Kept with this revision of the plan.")


def _note_field() -> forms.CharField:
    return forms.CharField(label=NOTE_LABEL, required=False, max_length=300, help_text=NOTE_HELP)


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)


class _WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class GoalForm(forms.Form):
    description = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says why it is needed
        help_text=_("What should be different for the family, in words they would use."),
    )
    note = _note_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_status:
            self.fields["status"] = _status_field()


class ActivityForm(forms.Form):
    description = forms.CharField(
        label=_("Activity"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible = _WorkerChoice(
        label=_("Team member who does it"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
    )
    responsible_other = forms.CharField(
        label=_("Or someone outside the team"),
        required=False,
        max_length=200,
        help_text=_("For example the client, a teacher, the Puskesmas or the kelurahan officer."),
    )
    due_on = forms.DateField(label=_("By when"), widget=DateInput(), required=False)
    note = _note_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, team: QuerySet[User], with_status: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = team  # type: ignore[attr-defined]
        if with_status:
            self.fields["status"] = _status_field()

    def values(self) -> dict[str, Any]:
        names = ("description", "responsible", "responsible_other", "due_on", "status")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class StatusForm(forms.Form):
    """The quick status change of a goal or an activity on the plan page."""

    status = _status_field()
    version = forms.IntegerField(widget=forms.HiddenInput)
