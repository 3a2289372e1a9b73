"""Pages of the intake desk for referrals in: recording, the queue, and the decision.

Recording and deciding are for the intake desk (``can_take_intake``: intake
officers and the coordinator); anyone else gets a 403. A referral in is
fetched through ``referral_get_for_user``: one out of reach is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases import selectors as case_selectors
from lk3.cases.forms import CaseForm
from lk3.cases.models import RiskLevel
from lk3.cases.permissions import can_lead, cases_for_user
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.core.pagination import paginate
from lk3.people import duplicates
from lk3.people.forms import PersonForm
from lk3.people.models import Person, PersonStatus
from lk3.people.selectors import villages_of
from lk3.referrals import referrals_in
from lk3.referrals.intake_forms import (
    NEW_CLIENT,
    ClientChoiceForm,
    DeclineForm,
    ExistingCaseForm,
    ReferralInForm,
)
from lk3.referrals.models import Direction, Referral
from lk3.referrals.permissions import (
    can_take_intake,
    partners_for_user,
    referral_get_for_user,
    referrals_for_user,
)
from lk3.regions.identity import parse_nik

QUEUE_PAGE_SIZE = 25
# The one-time tokens of the last referrals this browser session recorded.
RECORDED_SESSION_KEY = "referrals_in_recorded"
RECORDED_KEPT = 20


def _desk_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_take_intake(user) or user.organisation is None:
        raise PermissionDenied
    return user


def _referral_in(user: Any, public_id: UUID) -> Referral:
    referral = referral_get_for_user(user, public_id)
    if referral.direction != Direction.IN:
        raise Http404
    return referral


def _waiting_for_desk(request: HttpRequest, public_id: UUID) -> tuple[User, Referral]:
    """The desk user and the referral (404 out of reach, 403 not the desk)."""
    referral = _referral_in(request.user, public_id)
    return _desk_user(request), referral


def _decided(request: HttpRequest, referral: Referral) -> HttpResponse:
    messages.info(request, _("This referral has already been decided: here it is."))
    return redirect("referrals:intake_detail", public_id=referral.public_id)


# -- the queue and recording ----------------------------------------------------------------


@login_required
@require_GET
def intake_list(request: HttpRequest) -> HttpResponse:
    user = _desk_user(request)
    listing = paginate(
        request, referrals_in.intake_queue(referrals_for_user(user)), per_page=QUEUE_PAGE_SIZE
    )
    context = {
        "page": listing.page,
        "query_string": listing.query_string,
        "today": timezone.localdate(),
        "waiting": referrals_in.WAITING,
    }
    return render(request, "referrals/intake_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def intake_create(request: HttpRequest) -> HttpResponse:
    user = _desk_user(request)
    assert user.organisation is not None
    recorded = request.session.get(RECORDED_SESSION_KEY, {}).get(request.POST.get("token", ""))
    if recorded:
        messages.info(request, _("This referral was already recorded: here it is."))
        return redirect("referrals:intake_detail", public_id=recorded)
    partners = partners_for_user(user).filter(is_active=True).order_by("name")
    form = ReferralInForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals_in.referral_in_record(
                actor=user, organisation=user.organisation, **form.details()
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            _remember(request, form.cleaned_data["token"], referral)
            messages.success(request, _("Referral in recorded; it waits for a decision."))
            return redirect("referrals:intake_detail", public_id=referral.public_id)
    return render(request, "referrals/intake_form.html", {"form": form})


def _remember(request: HttpRequest, token: str, referral: Referral) -> None:
    if not token:
        return
    recorded = dict(request.session.get(RECORDED_SESSION_KEY, {}))
    recorded[token] = str(referral.public_id)
    request.session[RECORDED_SESSION_KEY] = dict(list(recorded.items())[-RECORDED_KEPT:])


# -- one referral ---------------------------------------------------------------------------


@login_required
@require_GET
def intake_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    referral = _referral_in(request.user, public_id)
    return _detail_page(request, referral, DeclineForm(initial={"version": referral.version}))


def _detail_page(
    request: HttpRequest, referral: Referral, decline_form: DeclineForm, *, stale: Any = None
) -> HttpResponse:
    access_record(
        actor=request.user,
        target=referral,
        purpose="view",
        path=request.path,
        organisation=referral.organisation,
    )
    context = {
        "referral": referral,
        "referrer": referrals_in.referrer_label(referral),
        "events": referral.events.select_related("by"),
        "is_waiting": referrals_in.is_waiting(referral),
        "is_overdue": referrals_in.is_waiting(referral)
        and referral.answer_due_on < timezone.localdate(),
        "can_decide": can_take_intake(request.user),
        "decline_form": decline_form,
        "stale": stale,
    }
    return render(request, "referrals/intake_detail.html", context)


@login_required
@require_POST
def intake_decline(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, referral = _waiting_for_desk(request, public_id)
    form = DeclineForm(request.POST)
    stale = None
    if form.is_valid():
        try:
            referrals_in.referral_in_decline(
                actor=user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["decline_reason"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except DomainError as error:
            if error.code == "already_decided":
                return _decided(request, referral)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Referral declined."))
            return redirect("referrals:intake_detail", public_id=referral.public_id)
    return _detail_page(request, referral, form, stale=stale)


# -- accepting into a new case --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intake_accept_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, referral = _waiting_for_desk(request, public_id)
    if not referrals_in.is_waiting(referral):
        return _decided(request, referral)
    organisation = referral.organisation
    data = request.POST or None
    persons = Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
    choice = ClientChoiceForm(data, persons=persons, initial={"version": referral.version})
    person_form = PersonForm(
        data if choice.registers_new else None,
        villages=villages_of(organisation),
        with_consent=True,
        prefix="person",
        initial=_person_initial(referral),
    )
    case_form = CaseForm(
        data,
        leads=case_selectors.lead_candidates(organisation.pk),
        prefix="case",
        initial=_case_initial(user, referral),
    )
    matches = referrals_in.likely_clients(referral, user=user)
    new_matches: list[referrals_in.LikelyClient] = []
    stale = None
    if request.method == "POST" and _all_valid(choice, case_form, person_form):
        client = choice.cleaned_data["client"]
        new_client = None
        if client == NEW_CLIENT:
            client, new_client = None, _new_client(person_form)
            if not request.POST.get("confirm_new"):
                new_matches = _draft_matches(referral, new_client)
        if not new_matches:
            try:
                referrals_in.referral_in_accept_new_case(
                    actor=user,
                    referral=referral,
                    expected_version=choice.cleaned_data["version"],
                    client=client,
                    new_client=new_client,
                    lead_counsellor=case_form.cleaned_data["lead_counsellor"],
                    **case_form.details(),
                )
            except StaleEditError as error:
                stale = error
                carry_current_version(choice, error.current_version)
            except (ValidationError, DomainError) as error:
                if isinstance(error, DomainError) and error.code == "already_decided":
                    return _decided(request, referral)
                _show_error(error, [choice, person_form, case_form])
            else:
                messages.success(request, _("Referral accepted: a new case was opened."))
                return redirect("referrals:intake_detail", public_id=referral.public_id)
    context = {
        "referral": referral,
        "referrer": referrals_in.referrer_label(referral),
        "choice": choice,
        "person_form": person_form,
        "form": case_form,
        "matches": _merged(matches, new_matches),
        "new_matches": new_matches,
        "chosen": request.POST.get("client", ""),
        "stale": stale,
    }
    return render(request, "referrals/intake_accept_new.html", context)


def _all_valid(choice: ClientChoiceForm, case_form: CaseForm, person_form: PersonForm) -> bool:
    valid = [choice.is_valid(), case_form.is_valid()]
    if choice.registers_new:
        valid.append(person_form.is_valid())
    return all(valid)


def _person_initial(referral: Referral) -> dict[str, Any]:
    initial: dict[str, Any] = {"full_name": referral.client_name}
    digits = referrals_in.client_nik_digits(referral)
    if digits:
        decoded = parse_nik(digits)
        initial.update(nik=digits, birth_date=decoded.birth_date, sex=decoded.sex or "")
    if referral.client_birth_date:
        initial["birth_date"] = referral.client_birth_date
    if referral.client_sex:
        initial["sex"] = referral.client_sex
    return initial


def _case_initial(user: User, referral: Referral) -> dict[str, Any]:
    channel = referrals_in.suggested_channel(referral)
    initial: dict[str, Any] = {
        "intake_channel": channel.pk if channel else None,
        "referrer_name": referrals_in.referrer_label(referral),
        "referrer_contact": referral.referrer_contact,
        "presenting_problem": referral.reason,
        "risk_level": RiskLevel.MEDIUM,
    }
    if can_lead(user):
        initial["lead_counsellor"] = user.public_id
    return initial


def _new_client(form: PersonForm) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        **form.details(today),
        "aliases": form.aliases(),
        "phones": form.phone_numbers(),
        "consents": form.consents(today),
    }


def _draft_matches(referral: Referral, details: dict[str, Any]) -> list[referrals_in.LikelyClient]:
    village = details.get("domicile_village")
    found = duplicates.likely_duplicates_for_draft(
        organisation=referral.organisation,
        full_name=str(details["full_name"]),
        birth_date=details["birth_date"],
        sex=str(details["sex"]),
        nik=str(details["nik"]),
        birth_place=str(details["birth_place"]),
        address=str(details["address"]),
        kelurahan_code=getattr(village, "code", ""),
    )
    return [referrals_in.LikelyClient.from_draft(match) for match in found]


def _merged(
    first: list[referrals_in.LikelyClient], second: list[referrals_in.LikelyClient]
) -> list[referrals_in.LikelyClient]:
    seen = {match.person.pk for match in second}
    return [*second, *(match for match in first if match.person.pk not in seen)]


def _show_error(error: ValidationError | DomainError, forms_in_order: Sequence[forms.Form]) -> None:
    """A refusal on the form that has the field it names (else on the first form)."""
    if isinstance(error, DomainError):
        owner = next((f for f in forms_in_order if error.field in f.fields), forms_in_order[0])
        apply_domain_error(owner, error)
        return
    if not hasattr(error, "error_dict"):
        forms_in_order[0].add_error(None, error)
        return
    person_form = forms_in_order[1]
    for field, errors in error.error_dict.items():
        owner = next((f for f in forms_in_order if field in f.fields), person_form)
        target = field if field in owner.fields and field != NON_FIELD_ERRORS else None
        for item in errors:
            owner.add_error(target, item)


# -- accepting into an existing case --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intake_accept_existing(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, referral = _waiting_for_desk(request, public_id)
    if not referrals_in.is_waiting(referral):
        return _decided(request, referral)
    reachable = cases_for_user(user)
    form = ExistingCaseForm(
        request.POST or None, cases=reachable, initial={"version": referral.version}
    )
    matches = referrals_in.likely_clients(referral, user=user)
    candidates = referrals_in.open_cases_of([m.person for m in matches], reachable)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            referrals_in.referral_in_accept_existing_case(
                actor=user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                case=form.cleaned_data["case"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except DomainError as error:
            if error.code == "already_decided":
                return _decided(request, referral)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Referral accepted into the case."))
            return redirect("referrals:intake_detail", public_id=referral.public_id)
    context = {
        "referral": referral,
        "referrer": referrals_in.referrer_label(referral),
        "form": form,
        "candidates": candidates,
        "chosen": request.POST.get("case", ""),
        "stale": stale,
    }
    return render(request, "referrals/intake_accept_existing.html", context)


urlpatterns: list[URLPattern] = [
    path("in/", intake_list, name="intake_list"),
    path("in/new/", intake_create, name="intake_create"),
    path("in/<uuid:public_id>/", intake_detail, name="intake_detail"),
    path("in/<uuid:public_id>/accept/new/", intake_accept_new, name="intake_accept_new"),
    path("in/<uuid:public_id>/accept/case/", intake_accept_existing, name="intake_accept_existing"),
    path("in/<uuid:public_id>/decline/", intake_decline, name="intake_decline"),
]
