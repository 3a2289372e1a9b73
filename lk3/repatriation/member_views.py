"""Pages of one stranded person: identification and screening, shelter, decision; tracing.

Everything here is work on the group's case: whoever reaches the case but
may not work on it gets a 403, anyone else a 404. The region of origin is
picked from a typo-tolerant search (``regions.selectors.region_search``):
with htmx the results come as the user types (``member_origin_search``);
without it the "Find" button posts the form back with the results and
saves nothing, and a code can always be typed instead.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.cases.permissions import can_use_cases, is_coordinator
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.regions.selectors import RegionMatch, region_search
from lk3.repatriation import members
from lk3.repatriation.intake import origin_codes
from lk3.repatriation.member_forms import (
    DecisionForm,
    MemberForm,
    ShelterCheckInForm,
    ShelterCheckOutForm,
    TracingForm,
)
from lk3.repatriation.models import ShelterStay, StrandedPerson
from lk3.repatriation.permissions import group_get_for_user, member_get_for_user

ORIGIN_RESULTS = 12
FIND_ORIGIN = "find_origin"


def _worker(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_use_cases(user):
        raise PermissionDenied
    return user


def _member(request: HttpRequest, public_id: UUID) -> tuple[User, StrandedPerson]:
    user = _worker(request)
    return user, member_get_for_user(user, public_id, for_work=True)


def _back_to_group(member: StrandedPerson) -> HttpResponse:
    return redirect(
        reverse("repatriation:group_detail", args=[member.group.public_id]) + "#members"
    )


def _stale_rows(stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    rows = []
    for name, values in stale.changed_fields.items():
        before, after = values if isinstance(values, list | tuple) else ("", values)
        try:
            label = capfirst(getattr(StrandedPerson._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            label = name
        if name in members.REDACTED:
            before, after = "", _("(changed)")
        rows.append((str(label), before, after))
    return rows


# -- identification and screening -----------------------------------------------------------


def _origin_matches(query: str, member: StrandedPerson) -> list[RegionMatch]:
    """Regions matching ``query``, those in the kab/kota that issued the person's NIK first.

    Village names repeat across Indonesia (two "Kota Kulon" in West Java): the
    NIK's region of issue is the best hint of which one the person means.
    """
    if not query.strip():
        return []
    _province, regency = origin_codes(member.person.nik_region_code)
    near = region_search(query, within=regency, limit=ORIGIN_RESULTS) if regency else []
    seen = {match.region.code for match in near}
    far = [
        match
        for match in region_search(query, limit=ORIGIN_RESULTS)
        if match.region.code not in seen
    ]
    return [*near, *far][:ORIGIN_RESULTS]


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, member = _member(request, public_id)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_for(member))
    stale: StaleEditError | None = None
    matches: list[RegionMatch] = []
    finding = request.method == "POST" and FIND_ORIGIN in request.POST
    if request.method == "POST" and form.is_valid():
        if finding:
            matches = _origin_matches(form.cleaned_data["origin_query"], member)
        else:
            try:
                members.member_update(
                    actor=user,
                    member=member,
                    expected_version=form.cleaned_data["version"],
                    **form.details(),
                )
            except StaleEditError as error:
                stale = error
                carry_current_version(form, error.current_version)
            except (ValidationError, DomainError) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return _back_to_group(member)
    context = {
        "member": member,
        "group": member.group,
        "form": form,
        "matches": matches,
        "searched": finding,
        "stale": stale,
        "stale_rows": _stale_rows(stale) if stale else [],
    }
    return render(request, "repatriation/member_form.html", context, status=409 if stale else 200)


@login_required
@require_GET
def member_origin_search(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The region results under the origin search box (htmx fragment)."""
    _user, member = _member(request, public_id)
    query = request.GET.get("origin_query", "")[:100]
    context = {"matches": _origin_matches(query, member), "searched": bool(query.strip())}
    return render(request, "repatriation/_origin_results.html", context)


# -- shelter ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shelter_check_in(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, member = _member(request, public_id)
    form = ShelterCheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.shelter_check_in(
                actor=user,
                member=member,
                shelter=form.cleaned_data["shelter"],
                checked_in_at=form.cleaned_data["checked_in_at"],
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Checked in to the shelter."))
            return _back_to_group(member)
    context = {"member": member, "group": member.group, "form": form, "stay": None}
    return render(request, "repatriation/shelter_form.html", context)


@login_required
@require_POST
def shelter_check_out(request: HttpRequest, public_id: UUID, stay_id: int) -> HttpResponse:
    user, member = _member(request, public_id)
    stay = ShelterStay.objects.filter(member=member, pk=stay_id).first()
    if stay is None:
        raise Http404
    form = ShelterCheckOutForm(request.POST)
    if form.is_valid():
        try:
            members.shelter_check_out(
                actor=user, stay=stay, checked_out_at=form.cleaned_data["checked_out_at"]
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Checked out of the shelter."))
            return _back_to_group(member)
    context = {"member": member, "group": member.group, "form": form, "stay": stay}
    return render(request, "repatriation/shelter_form.html", context)


# -- family tracing --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tracing_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _worker(request)
    group = group_get_for_user(user, public_id, for_work=True)
    form = TracingForm(
        request.POST or None,
        members=group.members.select_related("person").order_by("pk"),
        initial={"contacted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            members.tracing_record(actor=user, group=group, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Tracing contact recorded."))
            return redirect(
                reverse("repatriation:group_detail", args=[group.public_id]) + "#tracing"
            )
    return render(request, "repatriation/tracing_form.html", {"group": group, "form": form})


# -- decision --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, member = _member(request, public_id)
    today = timezone.localdate()
    warning = members.decision_context(member, today)
    may_except = is_coordinator(user) and bool(warning["earlier_returns"])
    form = DecisionForm(
        request.POST or None, initial=DecisionForm.initial_for(member), with_exception=may_except
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            members.member_decide(
                actor=user,
                member=member,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                exception_note=form.cleaned_data.get("exception_note", ""),
                expected_version=form.cleaned_data["version"],
                today=today,
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return _back_to_group(member)
    context = {
        "member": member,
        "group": member.group,
        "form": form,
        "stale": stale,
        "stale_rows": _stale_rows(stale) if stale else [],
        "may_except": may_except,
        **warning,
    }
    return render(request, "repatriation/decision_form.html", context, status=409 if stale else 200)


urlpatterns: list[URLPattern] = [
    path("member/<uuid:public_id>/", member_edit, name="member_edit"),
    path("member/<uuid:public_id>/origin/", member_origin_search, name="member_origin_search"),
    path("member/<uuid:public_id>/shelter/", shelter_check_in, name="shelter_check_in"),
    path(
        "member/<uuid:public_id>/shelter/<int:stay_id>/check-out/",
        shelter_check_out,
        name="shelter_check_out",
    ),
    path("member/<uuid:public_id>/decision/", member_decide, name="member_decide"),
    path("<uuid:public_id>/tracing/", tracing_add, name="tracing_add"),
]
