"""Forms of the case pages. Rules live in the services; these only read input."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.cases.models import Case, ClosureOutcome, ClosureReason, RiskLevel, Stage
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.forms import DateInput, village_field
from lk3.people.models import Person
from lk3.regions.models import Region


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _user_field(
    users: QuerySet[User], *, label: Any, required: bool
) -> forms.ModelChoiceField[User]:
    field = forms.ModelChoiceField(
        queryset=users, label=label, required=required, to_field_name="public_id"
    )
    field.label_from_instance = lambda obj: obj.full_name  # type: ignore[method-assign]
    return field


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _text(label: Any, *, required: bool = False, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class CaseForm(forms.Form):
    """Opening a case (with a one-time token) or editing its details (with its version)."""

    intake_channel = forms.ModelChoiceField(
        queryset=IntakeChannel.objects.filter(is_active=True), label=_("Intake channel")
    )
    referrer_name = forms.CharField(
        label=_("Referred by"),
        max_length=200,
        required=False,
        help_text=_("Name and agency of the person who referred the client, if any."),
    )
    referrer_contact = forms.CharField(
        label=_("Referrer's contact"), max_length=100, required=False
    )
    presenting_problem = _text(_("Presenting problem"), required=True, rows=4)
    pmks_categories = forms.ModelMultipleChoiceField(
        queryset=PmksCategory.objects.filter(is_active=True),
        label=_("PMKS categories"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    problem_types = forms.ModelMultipleChoiceField(
        queryset=ProblemType.objects.filter(is_active=True),
        label=_("Problem types"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    is_confidential = forms.BooleanField(
        label=_("Confidential (violence, children): only the case team and the coordinator see it"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        villages: QuerySet[Region] | None = None,
        leads: QuerySet[User] | None = None,
        members: QuerySet[Person] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["client"] = forms.ModelChoiceField(
                queryset=members,
                label=_("Client in the family (optional)"),
                required=False,
                to_field_name="public_id",
            )
        if leads is not None:
            self.fields["lead_counsellor"] = _user_field(
                leads, label=_("Lead counsellor"), required=False
            )
        if villages is not None:
            self.fields["kelurahan"] = village_field(villages, label=_("Kelurahan"))
        if editing:
            self.fields["version"] = _version()
        else:
            self.fields["token"] = forms.CharField(
                widget=forms.HiddenInput, max_length=64, required=False
            )
            self.initial.setdefault("token", uuid.uuid4().hex)
        self.order_fields(["client", "intake_channel", "referrer_name", "referrer_contact"])

    def details(self) -> dict[str, Any]:
        """The case's fields as the services take them."""
        names = ["intake_channel", "referrer_name", "referrer_contact", "presenting_problem"]
        names += ["risk_level", "is_confidential", "pmks_categories", "problem_types"]
        if "kelurahan" in self.fields:
            names.append("kelurahan")
        return {name: self.cleaned_data[name] for name in names}

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        return {
            "intake_channel": case.intake_channel_id,
            "referrer_name": case.referrer_name,
            "referrer_contact": case.referrer_contact,
            "presenting_problem": case.presenting_problem,
            "pmks_categories": list(case.pmks_categories.all()),
            "problem_types": list(case.problem_types.all()),
            "risk_level": case.risk_level,
            "is_confidential": case.is_confidential,
            "kelurahan": case.kelurahan_id,
            "version": case.version,
        }


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = _text(_("Note"))
    version = _version()

    def __init__(self, *args: Any, labels: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if labels:
            self.fields["to_stage"].choices = list(labels.items())  # type: ignore[attr-defined]


class ClosureRequestForm(forms.Form):
    # Not required here: the service says what is missing, in one place.
    reason = forms.ChoiceField(
        label=_("Closure reason"), choices=_blank(ClosureReason.choices), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=_blank(ClosureOutcome.choices), required=False
    )
    summary = _text(_("Closing summary"), rows=3)
    version = _version()


class ClosureReturnForm(forms.Form):
    comment = _text(_("What still needs doing"), rows=3)


class ReasonForm(forms.Form):
    """Reopening: why."""

    reason = _text(_("Reason"))
    version = _version()


class TransferForm(forms.Form):
    reason = _text(_("Reason"))
    version = _version()

    def __init__(self, *args: Any, leads: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"] = _user_field(leads, label=_("New lead counsellor"), required=True)
        self.order_fields(["to_user", "reason"])


class MemberForm(forms.Form):
    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = _user_field(users, label=_("Worker"), required=True)


class CheckInScheduleForm(forms.Form):
    due_on = forms.DateField(label=_("Check-in due on"), widget=DateInput())


class CheckInRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    note = _text(_("What was found"))


class StageLabelsForm(forms.Form):
    """One name per stage; empty keeps the standard name."""

    def __init__(self, *args: Any, standard: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage, label in standard.items():
            self.fields[stage] = forms.CharField(
                label=label,
                max_length=100,
                required=False,
                help_text=_("Empty: the standard name."),
            )
