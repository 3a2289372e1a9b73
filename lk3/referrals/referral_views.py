"""Pages of referrals out: sending from a case, the LK3's list, the partner's inbox,
a referral's page (the LK3's side and the partner's side), answering and revoking.

The partner's side of a referral shows what was shared with the partner
(number, date, service, reason, the snapshot, the history of statuses),
never the case, the client's record or other partners' referrals. Writes are
plain POST forms that redirect to the referral's page; htmx swaps the page's
main part instead. A refused write shows the page again with the form's
errors (and, when stale, what changed).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases.models import CaseStatus
from lk3.cases.permissions import can_use_cases, can_work_on, case_get_for_user
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.core.pagination import paginate
from lk3.referrals import referral_selectors as selectors
from lk3.referrals import referrals, transitions
from lk3.referrals.models import Partner, Referral, ReferralStatus
from lk3.referrals.permissions import partner_of, referral_get_for_user
from lk3.referrals.referral_forms import (
    AnswerForm,
    InboxFilterForm,
    ReferralFilterForm,
    ReferralForm,
    RevokeForm,
)

PAGE_SIZE = 25
S = ReferralStatus


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _case_user(request: HttpRequest) -> User:
    user = _user(request)
    if not can_use_cases(user):
        raise PermissionDenied
    return user


# -- sending ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _case_user(request)
    case = case_get_for_user(user, public_id, for_work=True)
    today = timezone.localdate()
    is_open = case.status == CaseStatus.OPEN
    subject = referrals.subject_of(case)
    form = ReferralForm(
        request.POST or None,
        partners=selectors.directory_for_case(case),
        consents=referrals.valid_consents(subject, today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referrals.referral_send(
                actor=user,
                case=case,
                partner=data["partner"],
                service=data["service"],
                reason=data["reason"],
                shared_items=data["shared_items"],
                legal_basis=data["legal_basis"],
                consent=data["consent"],
                legal_basis_note=data["legal_basis_note"],
                token=data["token"],
                today=today,
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Referral %(number)s sent to %(partner)s.")
                % {"number": referral.number, "partner": referral.partner},
            )
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    context = {"case": case, "form": form, "is_open": is_open, "subject": subject}
    return render(request, "referrals/referral_form.html", context)


# -- lists ------------------------------------------------------------------------------------


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    today = timezone.localdate()
    partners = Partner.objects.filter(organisation=user.organisation)
    form = ReferralFilterForm(request.GET or None, partners=partners.order_by("name"))
    filters = selectors.ReferralFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ReferralFilters(
            status=data["status"], partner=data["partner"], overdue=data["overdue"]
        )
    listing = paginate(
        request, selectors.referral_list(user, filters, today=today), per_page=PAGE_SIZE
    )
    context = {
        "form": form,
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": selectors.flag_overdue(listing.page.object_list, today),
    }
    template = "referrals/referral_rows.html" if _htmx_target(request, "referral-rows") else None
    return render(request, template or "referrals/referral_list.html", context)


@login_required
@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    partner = partner_of(user)
    if partner is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = InboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    listing = paginate(
        request, selectors.partner_inbox(user, today=today, status=status), per_page=PAGE_SIZE
    )
    context = {
        "form": form,
        "partner": partner,
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": selectors.flag_overdue(listing.page.object_list, today),
    }
    return render(request, "referrals/referral_inbox.html", context)


def _htmx_target(request: HttpRequest, target: str) -> bool:
    return bool(getattr(request, "htmx", False)) and request.headers.get("HX-Target") == target


# -- a referral's page ------------------------------------------------------------------------


@login_required
@require_GET
def referral_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=referral,
        purpose="referral",
        path=request.path,
        organisation=referral.organisation,
    )
    return _detail(request, user, referral)


def _detail(
    request: HttpRequest,
    user: User,
    referral: Referral,
    *,
    bound: forms.Form | None = None,
    stale: StaleEditError | None = None,
) -> HttpResponse:
    partner_side = partner_of(user) is not None
    today = timezone.localdate()
    context: dict[str, Any] = {
        "referral": referral,
        "partner_side": partner_side,
        "overdue": selectors.is_overdue(referral, today),
        "history": selectors.referral_history(referral),
        "stale": stale,
        "stale_rows": _stale_rows(stale) if stale else [],
        "is_final": referral.status in transitions.FINAL,
    }
    if partner_side:
        context["answer_forms"] = _answer_forms(referral, bound)
        shown = {status for status, _label, _form in context["answer_forms"]}
        if isinstance(bound, AnswerForm) and bound.data.get("to_status") not in shown:
            # The answer is no longer offered (revoked, final): say why on top of the page.
            context["refusals"] = bound.errors.get("__all__", [])
    else:
        case = referral.case
        may_revoke = (
            case is not None and transitions.may_revoke(referral.status) and can_work_on(user, case)
        )
        context["revoke_form"] = (
            bound
            if isinstance(bound, RevokeForm)
            else (RevokeForm(initial={"version": referral.version}) if may_revoke else None)
        )
    # htmx swaps only successful responses, so it gets the page again as a 200.
    status = 409 if stale and not getattr(request, "htmx", False) else 200
    return render(request, "referrals/referral_detail.html", context, status=status)


def _answer_forms(referral: Referral, bound: forms.Form | None) -> list[tuple[str, Any, Any]]:
    """One form per answer the partner may give now: (status, its label, the form)."""
    found = []
    for status in S.values:
        if not transitions.may_answer(referral.status, status):
            continue
        if isinstance(bound, AnswerForm) and bound.data.get("to_status") == status:
            form: Any = bound
        else:
            initial = {"to_status": status, "version": referral.version}
            form = AnswerForm(initial=initial, auto_id=f"{status}-%s")
        found.append((status, S(status).label, form))
    return found


def _stale_rows(stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    labels = dict(S.choices)
    rows = []
    for name, values in stale.changed_fields.items():
        before, after = values if isinstance(values, list | tuple) else ("", values)
        if name == "status":
            rows.append((_("Status"), labels.get(before, before), labels.get(after, after)))
        elif name != "note":
            rows.append((name, before, after))
    return rows


# -- answering and revoking -------------------------------------------------------------------


@login_required
@require_POST
def referral_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user, public_id)
    partner = partner_of(user)
    if partner is None or partner.pk != referral.partner_id:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    stale: StaleEditError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            referrals.referral_answer(
                actor=user,
                referral=referral,
                to_status=data["to_status"],
                text=data["text"],
                expected_version=data["version"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your answer was sent to the LK3."))
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    referral.refresh_from_db()
    return _detail(request, user, referral, bound=form, stale=stale)


@login_required
@require_POST
def referral_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user, public_id)
    if referral.case is None or not can_work_on(user, referral.case):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    stale: StaleEditError | None = None
    if form.is_valid():
        try:
            referrals.referral_revoke(
                actor=user,
                referral=referral,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The referral was revoked; the partner is told."))
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    referral.refresh_from_db()
    return _detail(request, user, referral, bound=form, stale=stale)


urlpatterns: list[URLPattern] = [
    path("", referral_list, name="referral_list"),
    path("inbox/partner/", referral_inbox, name="referral_inbox"),
    path("case/<uuid:public_id>/new/", referral_new, name="referral_new"),
    path("<uuid:public_id>/", referral_detail, name="referral_detail"),
    path("<uuid:public_id>/answer/", referral_answer, name="referral_answer"),
    path("<uuid:public_id>/revoke/", referral_revoke, name="referral_revoke"),
]
