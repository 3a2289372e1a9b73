"""Pages of stranded intakes: the list, taking a person or group in, the group page.

Taking in is two pages. The first picks people from the registry (ticked
people travel in the query string, ``?person=<uuid>&person=<uuid>``;
registering someone new goes to the registry's form with ``?next=`` back
here, and the people the user registered lately are offered as picks since
the registry does not hand the new id back). The second is the intake form.

A double-submitted intake form must not take the same people in twice: the
form carries a one-time token and the session remembers which intake each
token opened (as opening a case does), so the second submission lands on
the intake the first one made.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases.permissions import can_use_cases, can_work_on
from lk3.cases.selectors import lead_candidates
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error
from lk3.people.models import Person
from lk3.people.permissions import person_get_for_user
from lk3.referrals.field_selectors import person_candidates
from lk3.repatriation import group_selectors, handover_selectors, intake, plan_selectors
from lk3.repatriation.group_forms import GroupFilterForm, TakeInForm
from lk3.repatriation.member_forms import MemberAddForm
from lk3.repatriation.models import GroupStatus, StrandedGroup
from lk3.repatriation.permissions import (
    can_read_reports,
    can_receive_handovers,
    can_take_in,
    group_get_for_user,
)

# The one-time tokens of the last intakes this browser session made.
TAKEN_IN_SESSION_KEY = "stranded_taken_in"
TAKEN_IN_KEPT = 20
ALREADY_TAKEN_IN = gettext_lazy("These people were already taken in: here is the intake.")


def _user(request: HttpRequest, allowed: Any) -> User:
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise PermissionDenied
    return user


# -- the list --------------------------------------------------------------------------------


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_use_cases)
    form = GroupFilterForm(request.GET or None)
    groups = group_selectors.group_list(user=user, **form.filters())
    page = Paginator(groups, group_selectors.PER_PAGE).get_page(request.GET.get("page"))
    origins = [getattr(group, "origin_regency", None) or "" for group in page.object_list]
    names = group_selectors.region_names(origins)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (group, names.get(origin, ""))
            for group, origin in zip(page.object_list, origins, strict=True)
        ],
        "can_take_in": can_take_in(user),
        "can_receive": can_receive_handovers(user),
        "can_report": can_read_reports(user),
        "query_string": query.urlencode(),
    }
    return render(request, "repatriation/group_list.html", context)


# -- taking in -------------------------------------------------------------------------------


def _picked_ids(request: HttpRequest) -> list[UUID]:
    try:
        return list(dict.fromkeys(UUID(value) for value in request.GET.getlist("person")))
    except ValueError as error:
        raise Http404 from error


def _persons_query(persons: list[Person], **extra: str) -> str:
    pairs = [("person", str(person.public_id)) for person in persons]
    return urlencode(pairs + [(key, value) for key, value in extra.items() if value])


@login_required
@require_GET
def take_in_choose(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_take_in)
    chosen = group_selectors.chosen_persons(user=user, public_ids=_picked_ids(request))
    query = request.GET.get("q", "").strip()
    hits = person_candidates(user=user, query=query) if query else []
    picked = {person.pk for person in chosen}
    context = {
        "chosen": [
            (person, _persons_query([p for p in chosen if p != person])) for person in chosen
        ],
        "query": query,
        "candidates": [
            (hit, _persons_query([*chosen, hit.person], q=query))
            for hit in hits
            if hit.person.pk not in picked
        ],
        "matched_chosen": any(hit.person.pk in picked for hit in hits),
        "recent": [
            (person, _persons_query([*chosen, person], q=query))
            for person in group_selectors.recent_registrations(user=user, exclude=chosen)
        ],
        "chosen_query": _persons_query(chosen),
        "register_next": f"{request.path}?{_persons_query(chosen)}",
    }
    return render(request, "repatriation/take_in_choose.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def take_in(request: HttpRequest) -> HttpResponse:
    user = _user(request, can_take_in)
    assert user.organisation is not None
    persons = [person_get_for_user(user, public_id) for public_id in _picked_ids(request)]
    if not persons:
        return redirect("repatriation:take_in_choose")
    made = _taken_in_with(request, request.POST.get("token", ""))
    if made is not None:
        messages.info(request, str(ALREADY_TAKEN_IN))
        return redirect("repatriation:group_detail", public_id=made)
    form = TakeInForm(
        request.POST or None,
        leads=lead_candidates(user.organisation.pk),
        initial={"found_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = intake.stranded_take_in(
                actor=user, organisation=user.organisation, persons=persons, **form.details()
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            _remember_taken_in(request, form.cleaned_data["token"], group)
            messages.success(request, _("Intake %(number)s made.") % {"number": group.number})
            return redirect("repatriation:group_detail", public_id=group.public_id)
    context = {"form": form, "persons": persons, "chosen_query": _persons_query(persons)}
    return render(request, "repatriation/take_in.html", context)


def _taken_in_with(request: HttpRequest, token: str) -> str | None:
    """The intake a double-submitted form already made, if any."""
    return request.session.get(TAKEN_IN_SESSION_KEY, {}).get(token) if token else None


def _remember_taken_in(request: HttpRequest, token: str, group: StrandedGroup) -> None:
    if not token:
        return
    made = dict(request.session.get(TAKEN_IN_SESSION_KEY, {}))
    made[token] = str(group.public_id)
    request.session[TAKEN_IN_SESSION_KEY] = dict(list(made.items())[-TAKEN_IN_KEPT:])


# -- the group page --------------------------------------------------------------------------


@login_required
@require_GET
def group_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request, can_use_cases)
    group = group_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=group,
        purpose="stranded_group",
        path=request.path,
        organisation=group.organisation,
    )
    can_work = can_work_on(user, group.case)
    query = request.GET.get("q", "").strip()
    page = group_selectors.group_page(group)
    in_group = {member.person_id for member in page["members"]}
    context = {
        "group": group,
        "case": group.case,
        "can_work": can_work,
        "is_open": group.status not in ADDING_CLOSED,
        "is_gone": group.status in (GroupStatus.HANDED_OVER, GroupStatus.ARRIVED),
        "query": query,
        "candidates": [
            hit
            for hit in (person_candidates(user=user, query=query) if query and can_work else [])
            if hit.person.pk not in in_group
        ],
        **page,
    }
    context |= plan_selectors.plan_card(group, user)
    context |= handover_selectors.handover_card(group, user)
    return render(request, "repatriation/group_detail.html", context)


ADDING_CLOSED = (GroupStatus.ARRIVED, GroupStatus.SETTLED, GroupStatus.HANDED_OVER)


@login_required
@require_POST
def member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request, can_use_cases)
    group = group_get_for_user(user, public_id, for_work=True)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person from the registry."))
        return redirect("repatriation:group_detail", public_id=group.public_id)
    person = person_get_for_user(user, form.cleaned_data["person"])
    try:
        intake.stranded_member_add(actor=user, group=group, person=person)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        added = _("%(name)s is added to the intake.") % {"name": person.full_name}
        messages.success(request, added)
    return redirect(reverse("repatriation:group_detail", args=[group.public_id]) + "#members")


urlpatterns: list[URLPattern] = [
    path("", group_list, name="group_list"),
    path("new/", take_in_choose, name="take_in_choose"),
    path("new/form/", take_in, name="take_in"),
    path("<uuid:public_id>/", group_detail, name="group_detail"),
    path("<uuid:public_id>/members/add/", member_add, name="member_add"),
]
