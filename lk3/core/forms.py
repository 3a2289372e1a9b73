"""Helpers shared by forms of every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.text import capfirst

from lk3.core.errors import DomainError


def apply_domain_error(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form, on the field it names when it can."""
    if isinstance(error, DomainError):
        form.add_error(None, str(error.message))
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


def stale_rows(model: type[Model], changed_fields: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field label, value before, value saved by the other person) for display."""
    rows = []
    for name, (before, after) in changed_fields.items():
        try:
            label = str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
        except FieldDoesNotExist:
            label = name
        rows.append((label, before, after))
    return rows
