"""Helpers shared by forms of every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.text import capfirst

from lk3.core.errors import DomainError


def apply_domain_error(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form, on the field it names when it can."""
    if isinstance(error, DomainError):
        target = error.field if error.field in form.fields else None
        form.add_error(target, str(error.message))
        return
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in field_errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, item)
        return
    form.add_error(None, error)


def carry_current_version(form: forms.BaseForm, version: int) -> None:
    """Keep the user's input but carry the record's current version.

    After a stale-edit refusal the user sees what the other person changed;
    saving again is then a deliberate choice, not an accident.
    """
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(version)
    form.data = data


def change_rows(
    model: type[Model] | None, changes: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(field label, value before, value after) for showing a diff to people."""
    rows = []
    for name, values in changes.items():
        before, after = (
            values if isinstance(values, list | tuple) and len(values) == 2 else ("", values)
        )
        rows.append((_field_label(model, name), before, after))
    return rows


def _field_label(model: type[Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # Reverse relations have no verbose name; a count stored under one keeps its key.
    label = getattr(field, "verbose_name", None)
    return str(capfirst(label)) if label else name


class FilterForm(forms.Form):
    """A list page's filters, read from the query string."""

    @property
    def active_count(self) -> int:
        """How many filters are set: a collapsed panel on a phone still shows it."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, "", False))
