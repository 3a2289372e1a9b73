"""Forms for the work recorded on a case: sessions, tasks and attachments.

The forms collect input; the rules (dates, ranges, who may be chosen) are
the services' (``sessions``, ``tasks``, ``attachments``), whose refusals
are shown on the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.cases.models import AttachmentKind, CaseSession, SessionKind, Task
from lk3.cases.sessions import FollowUpTask
from lk3.people.forms import DateInput
from lk3.people.models import Person

FOLLOW_UP_ROWS = 3
ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


# Choices carry public ids: the integer keys never leave the server.
class _WorkerChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class _WorkerChoices(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class _PersonChoices(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def _minutes_input() -> forms.NumberInput:
    # The range is a hint for the phone's keyboard; the service decides.
    return forms.NumberInput(attrs={"min": 1, "max": 600, "inputmode": "numeric"})


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of session"), choices=_blank(SessionKind.choices))
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), widget=_minutes_input())
    staff = _WorkerChoices(
        label=_("Workers present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says why at least one is needed
    )
    participants = _PersonChoices(
        label=_("Client and family members present"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    outside_participants = forms.CharField(
        label=_("Other participants"),
        required=False,
        help_text=_("People from outside (police, school, health), one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        help_text=_("Kept encrypted; only the case team reads them."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        workers: QuerySet[User],
        people: QuerySet[Person],
        with_follow_ups: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = workers  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.follow_up_rows = range(1, FOLLOW_UP_ROWS + 1) if with_follow_ups else range(0)
        for number in self.follow_up_rows:
            self.fields[f"task_{number}_title"] = forms.CharField(
                label=_("Follow-up task"), max_length=200, required=False
            )
            self.fields[f"task_{number}_assignee"] = _WorkerChoice(
                label=_("Assigned to"), queryset=workers, required=False
            )
            self.fields[f"task_{number}_due_on"] = forms.DateField(
                label=_("Due on"), required=False, widget=DateInput()
            )

    @staticmethod
    def initial_for(session: CaseSession) -> dict[str, Any]:
        return {
            "kind": session.kind,
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "staff": list(session.staff.all()),
            "participants": list(session.participants.all()),
            "outside_participants": session.outside_participants,
            "notes": session.notes,
            "version": session.version,
        }

    def session_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "kind",
            "held_on",
            "duration_minutes",
            "staff",
            "participants",
            "outside_participants",
            "notes",
        )
        return {name: data[name] for name in names}

    def follow_up_row_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"task_{number}_{name}"] for name in ("title", "assignee", "due_on")]
            for number in self.follow_up_rows
        ]

    def follow_ups(self) -> list[FollowUpTask]:
        """The follow-up rows that were filled in (any of their fields)."""
        rows = []
        for number in self.follow_up_rows:
            title = self.cleaned_data[f"task_{number}_title"]
            assignee = self.cleaned_data[f"task_{number}_assignee"]
            due_on = self.cleaned_data[f"task_{number}_due_on"]
            if title or assignee or due_on:
                rows.append(FollowUpTask(title=title, assignee=assignee, due_on=due_on))
        return rows


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = _WorkerChoice(label=_("Assigned to"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "title": task.title,
            "assignee": task.assignee,
            "due_on": task.due_on,
            "version": task.version,
        }


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=_blank(AttachmentKind.choices))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example: Police report, school letter. The file name is used if empty."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, at most %(limit)s."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def __init__(self, *args: Any, limit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = str(self.fields["file"].help_text) % {"limit": limit}
