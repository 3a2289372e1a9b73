"""What the pages of sessions, tasks and attachments share: who is asking, and where to go back.

Roles outside casework get a 403 for every page of a case; a case the user
does not reach is a 404, and work on a reached case the user may not do is
a 403 (``case_get_for_user``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst

from lk3.accounts.models import User
from lk3.cases.models import Case
from lk3.cases.permissions import can_use_cases, case_get_for_user
from lk3.core.errors import StaleEditError
from lk3.core.fields import EncryptedTextField


def case_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_use_cases(user):
        raise PermissionDenied
    return user


def reached_case(request: HttpRequest, public_id: UUID, *, for_work: bool) -> tuple[User, Case]:
    user = case_user(request)
    return user, case_get_for_user(user, public_id, for_work=for_work)


def back_to_case(request: HttpRequest, case: Case) -> HttpResponseRedirect:
    """To the page the form came from (``next``, on this site only), else the case page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("cases:case_detail", public_id=case.public_id)


def stale_rows(record: models.Model, stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    """What the other person changed, in words: names for people, labels for choices.

    Encrypted text is not in the audit trail, only that it changed: its
    current value is shown (the page is for people who may read it).
    """
    rows = []
    for name, values in stale.changed_fields.items():
        before, after = values if isinstance(values, list | tuple) else ("", values)
        field: Any = record._meta.get_field(name)
        if isinstance(field, EncryptedTextField):
            before, after = "", getattr(record, name)
        elif field.is_relation:
            before, after = _names(field, before), _names(field, after)
        elif field.choices:
            words = dict(field.choices)
            before, after = words.get(before, before), words.get(after, after)
        rows.append((str(capfirst(field.verbose_name)), before, after))
    return rows


def _names(field: Any, value: Any) -> str:
    """Names for what the audit trail recorded: primary keys (one) or public ids (many)."""
    keys = value if isinstance(value, list) else [value] if value else []
    lookup = "public_id" if field.many_to_many else "pk"
    records = field.related_model._default_manager.filter(**{f"{lookup}__in": keys})
    found = {str(getattr(record, lookup)): str(record) for record in records}
    return ", ".join(found.get(str(key), str(key)) for key in keys)
