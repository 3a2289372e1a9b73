"""The assessment form, built from an instrument's schema.

Every question becomes a field named by its code; the answers are checked
by ``instruments.answers_check`` (the same check the service makes), so the
page and the service refuse with the same message naming the question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from lk3.cases import instruments
from lk3.cases.instruments import Question, Schema
from lk3.people.forms import DateInput

# 1.500.000 or 1.500.000,50: Indonesian thousands dots and decimal comma.
GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
MANY_OPTIONS = 8


def parse_number(raw: str) -> object:
    """A typed number as int or float; the raw text when it is not one (the check says so)."""
    text = raw.strip().replace(" ", "")
    if GROUPED.match(text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return raw
    if not number.is_finite():
        return raw
    return int(number) if number == number.to_integral_value() else float(number)


def _scale_label(question: Question, value: int) -> str:
    anchor = question.get("anchors", {}).get(str(value))
    return f"{value} — {anchor}" if anchor else str(value)


def _question_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question["label"],
        "required": False,  # the schema check decides, with the question's name in the message
        "help_text": question.get("help", ""),
    }
    kind = question["type"]
    if kind == "scale":
        points = range(int(question["min"]), int(question["max"]) + 1)
        choices = [(str(point), _scale_label(question, point)) for point in points]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "yes_no":
        return forms.ChoiceField(
            choices=[("yes", instruments.YES), ("no", instruments.NO)],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == "choice":
        options = [(option["value"], option["label"]) for option in question.get("options", [])]
        if len(options) > MANY_OPTIONS:
            return forms.ChoiceField(choices=[("", "—"), *options], **common)
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if kind == "number":
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **common,
        )
    limit = question.get("max_length", instruments.TEXT_MAX_LENGTH)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": limit}), strip=True, **common
    )


def _typed(question: Question, raw: object) -> object:
    """A field's cleaned text as the answer the schema expects."""
    if raw in (None, ""):
        return None
    kind = question["type"]
    if kind == "scale":
        return int(str(raw))
    if kind == "yes_no":
        return raw == "yes"
    if kind == "number":
        return parse_number(str(raw))
    return raw


def _initial(question: Question, value: object) -> object:
    kind = question["type"]
    if kind == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "number" and isinstance(value, int | float):
        return number_format(Decimal(str(value)).normalize(), use_l10n=True)
    return str(value)


@dataclass(frozen=True)
class QuestionField:
    question: Question
    field: forms.BoundField


@dataclass(frozen=True)
class SectionFields:
    title: str
    help: str
    items: list[QuestionField]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput())
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you observed and concluded. Only the case team can read it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    instrument_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, schema: Schema, answers: Mapping[str, object] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        for question in instruments.questions(schema):
            code = question["code"]
            self.fields[code] = _question_field(question)
            if answers and code in answers:
                self.initial[code] = _initial(question, answers[code])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers = self.answers()
        for code, message in instruments.answers_check(self.schema, answers).items():
            if code not in self.errors:
                self.add_error(code if code in self.fields else None, message)
        return cleaned

    def answers(self) -> dict[str, object]:
        return {
            question["code"]: _typed(question, self.cleaned_data.get(question["code"]))
            for question in instruments.questions(self.schema)
        }

    def sections(self) -> list[SectionFields]:
        return [
            SectionFields(
                title=section["title"],
                help=section.get("help", ""),
                items=[
                    QuestionField(question=question, field=self[question["code"]])
                    for question in section["questions"]
                ],
            )
            for section in self.schema["sections"]
        ]
