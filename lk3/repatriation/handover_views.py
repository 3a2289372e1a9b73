"""Pages of the handover: the sender sends it and, for a receiver outside this system,
records the arrival; the receiving organisation's desk sees its queue, a handover's
travellers, plan and letters, and confirms the arrival or declines.

The receiver reaches a handover through ``handover_get_for_receiver`` (404
for anybody else) and never the sender's case. The sender's actions come
through the group (``group_get_for_user(..., for_work=True)``: 404 out of
reach, 403 without work rights). Writes are POST forms that redirect; a
refused one shows the page again with the form's errors.
"""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error
from lk3.core.pagination import paginate
from lk3.referrals.letters import letter_download_name
from lk3.repatriation import handover_selectors as selectors
from lk3.repatriation import handovers, packages
from lk3.repatriation.handover_forms import ArrivalForm, DeclineForm, SendForm
from lk3.repatriation.models import Handover, HandoverSource
from lk3.repatriation.permissions import (
    can_receive_handovers,
    group_get_for_user,
    groups_for_user,
    handover_get_for_receiver,
)

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _errors_text(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# -- the sender --------------------------------------------------------------------------------


@login_required
@require_POST
def handover_send(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    group = group_get_for_user(user, public_id, for_work=True)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(form))
        return redirect(handovers.group_path(group))
    try:
        handover = handovers.handover_send(
            actor=user, group=group, sent_on=form.cleaned_data["sent_on"]
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.success(
            request,
            _("The handover to %(receiver)s is sent.") % {"receiver": handover.receiver_name},
        )
    return redirect(handovers.group_path(group))


def _sent_handover(user: User, public_id: UUID) -> Handover:
    """A handover the user's organisation sent, through its group (404 / 403 as the group)."""
    handover = (
        Handover.objects.select_related("group", "receiving_organisation")
        .filter(public_id=public_id, source=HandoverSource.LOCAL, group__in=groups_for_user(user))
        .first()
    )
    if handover is None or handover.group is None:
        raise Http404
    handover.group = group_get_for_user(user, handover.group.public_id, for_work=True)
    if handover.receiving_organisation_id is not None:
        raise PermissionDenied  # the receiving organisation confirms in its own queue
    return handover


@login_required
@require_POST
def handover_record_arrival(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    handover = _sent_handover(user, public_id)
    form = ArrivalForm(request.POST, prefix="arrival")
    if form.is_valid():
        try:
            handovers.handover_confirm_arrival(
                actor=user,
                handover=handover,
                arrived_on=form.cleaned_data["arrived_on"],
                received_by_name=form.cleaned_data["received_by_name"],
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The arrival is recorded and the case is closed."))
            assert handover.group is not None
            return redirect(handovers.group_path(handover.group))
    return _detail(request, handover, sender_side=True, arrival_form=form)


# -- the receiver ------------------------------------------------------------------------------


@login_required
@require_GET
def handover_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_receive_handovers(user):
        raise PermissionDenied
    listing = paginate(request, selectors.handover_queue(user), per_page=PAGE_SIZE)
    rows = list(listing.page.object_list)
    context = {
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": [(row, selectors.traveller_count(row)) for row in rows],
    }
    return render(request, "repatriation/handover_queue.html", context)


def _detail(
    request: HttpRequest,
    handover: Handover,
    *,
    sender_side: bool = False,
    arrival_form: forms.Form | None = None,
    decline_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = selectors.handover_view(handover)
    refusals: list[str] = []
    if not shown["waiting"]:  # the forms are gone: say on top why the answer was refused
        for bound in (arrival_form, decline_form):
            if bound is not None and bound.errors:
                refusals += [str(error) for errors in bound.errors.values() for error in errors]
    context: dict[str, Any] = {
        "handover": handover,
        "refusals": refusals,
        "sender_side": sender_side,
        **shown,
        "arrival_form": arrival_form
        or ArrivalForm(prefix="arrival", initial={"arrived_on": timezone.localdate()}),
        "decline_form": decline_form or DeclineForm(prefix="decline"),
    }
    return render(request, "repatriation/handover_detail.html", context, status=status)


@login_required
@require_GET
def handover_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    handover = handover_get_for_receiver(user, public_id)
    access_record(
        actor=user,
        target=handover,
        purpose="handover",
        path=request.path,
        organisation=handover.receiving_organisation,
    )
    return _detail(request, handover)


@login_required
@require_POST
def handover_confirm(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    handover = handover_get_for_receiver(user, public_id)
    form = ArrivalForm(request.POST, prefix="arrival")
    if form.is_valid():
        try:
            handovers.handover_confirm_arrival(
                actor=user,
                handover=handover,
                arrived_on=form.cleaned_data["arrived_on"],
                received_by_name=form.cleaned_data["received_by_name"],
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The arrival is confirmed: the sender is told."))
            return redirect("repatriation:handover_detail", public_id=handover.public_id)
    handover.refresh_from_db()
    return _detail(request, handover, arrival_form=form)


@login_required
@require_POST
def handover_decline(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    handover = handover_get_for_receiver(user, public_id)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            handovers.handover_decline(
                actor=user, handover=handover, reason=form.cleaned_data["reason"]
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The handover is declined: the sender is told."))
            return redirect("repatriation:handover_detail", public_id=handover.public_id)
    handover.refresh_from_db()
    return _detail(request, handover, decline_form=form)


@login_required
@require_GET
def handover_letter(request: HttpRequest, public_id: UUID, position: int) -> FileResponse:
    """A letter of the handover, for the receiver (the PDF, recorded as read)."""
    user = _user(request)
    handover = handover_get_for_receiver(user, public_id)
    letters = selectors.handover_letters(handover)
    if not 1 <= position <= len(letters):
        raise Http404
    chosen = letters[position - 1]
    letter = chosen["letter"]
    access_record(
        actor=user,
        target=letter if letter is not None else handover,
        purpose="handover_letter",
        path=request.path,
        organisation=handover.receiving_organisation,
    )
    if letter is not None:
        stream: Any = letter.pdf.open("rb")
        filename = letter_download_name(letter)
    else:
        try:
            data = packages.imported_letter(handover, chosen["file"])
        except (DomainError, KeyError):
            raise Http404 from None
        stream = io.BytesIO(data)
        filename = chosen["file"].rsplit("/", 1)[-1]
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("handovers/", handover_queue, name="handover_queue"),
    path("handovers/<uuid:public_id>/", handover_detail, name="handover_detail"),
    path("handovers/<uuid:public_id>/confirm/", handover_confirm, name="handover_confirm"),
    path("handovers/<uuid:public_id>/decline/", handover_decline, name="handover_decline"),
    path(
        "handovers/<uuid:public_id>/letters/<int:position>/",
        handover_letter,
        name="handover_letter",
    ),
    path(
        "handovers/<uuid:public_id>/record-arrival/",
        handover_record_arrival,
        name="handover_record_arrival",
    ),
    path("<uuid:public_id>/handover/send/", handover_send, name="handover_send"),
]
