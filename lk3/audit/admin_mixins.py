"""Shared behaviour for the administration site.

The admin is an interface like the pages and the API: records are never
deleted there, and every save leaves an audit row in the admin's own
transaction (Django wraps each change view in ``transaction.atomic``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from lk3.audit.services import audit_record, field_diff


class AuditedAdmin(admin.ModelAdmin[Any]):
    audit_action_created = "admin.record_created"
    audit_action_updated = "admin.record_updated"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = {name: form.initial.get(name) for name in form.changed_data} if change else {}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in form.changed_data}
        audit_record(
            actor=request.user,
            action=self.audit_action_updated if change else self.audit_action_created,
            target=obj,
            organisation=self.audit_organisation(obj),
            changes=field_diff(before, after, redact={"password"}),
        )

    def audit_organisation(self, obj: models.Model) -> Any:
        return getattr(obj, "organisation", None)
