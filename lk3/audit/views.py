from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lk3.accounts.models import User
from lk3.accounts.permissions import can_read_audit, visible_organisation_ids
from lk3.audit import actions, selectors
from lk3.audit.forms import AuditFilterForm
from lk3.core.forms import change_rows
from lk3.core.pagination import paginate

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_read_audit(user):
        raise PermissionDenied
    return user


def _model_of(target_type: str) -> type[Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(
        organisation_ids=visible_organisation_ids(user), filters=form.filters()
    ).select_related("actor")
    listing = paginate(request, events, per_page=PAGE_SIZE)
    rows = [
        (
            event,
            actions.label(event.action),
            change_rows(_model_of(event.target_type), event.changes),
        )
        for event in listing.page
    ]
    context = {
        "form": form,
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": rows,
        "tab": "changes",
    }
    return render(request, "audit/event_list.html", context)


@login_required
def access_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = AuditFilterForm(request.GET or None)
    events = selectors.access_event_list(
        organisation_ids=visible_organisation_ids(user), filters=form.filters()
    )
    listing = paginate(request, events, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page": listing.page,
        "query_string": listing.query_string,
        "tab": "access",
    }
    return render(request, "audit/access_list.html", context)
