"""Pages of the partner directory: list, detail, forms, staff accounts, scorecard.

Readers: ``permissions.can_read_directory`` (casework roles and the user
administrator). Writers: ``permissions.can_manage_directory`` (coordinator
and user administrator): a reader asking for a form gets a 403, another
organisation's partner is a 404 for everyone. The scorecard is for the
directory managers; a partner's own figures show on its page to every reader
(they are counts and durations, never case content).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version, change_rows
from lk3.core.pagination import paginate
from lk3.referrals import partner_selectors as selectors
from lk3.referrals import partners as services
from lk3.referrals.models import Partner, PartnerContact, PartnerMember
from lk3.referrals.partner_forms import (
    AgreementForm,
    ContactForm,
    PartnerFilterForm,
    PartnerForm,
    ScorecardForm,
    StaffLinkForm,
)
from lk3.referrals.permissions import (
    can_manage_directory,
    can_read_directory,
    partner_get_for_user,
    partners_for_user,
)

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _region_code(user: User) -> str | None:
    organisation = user.organisation
    return organisation.region_id if organisation is not None else None


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_read_directory(user):
        raise PermissionDenied
    form = PartnerFilterForm(
        request.GET or None, kelurahan_choices=selectors.kelurahan_choices(_region_code(user))
    )
    today = timezone.localdate()
    warn_days = services.warning_days(user.organisation_id)  # type: ignore[arg-type]
    partners = selectors.partner_list(
        partners_for_user(user), filters=form.filters(), today=today, warn_days=warn_days
    )
    listing = paginate(request, partners, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": selectors.partner_rows(listing.page, today, warn_days),
        "can_manage": can_manage_directory(user),
    }
    template = (
        "referrals/partner_rows.html"
        if getattr(request, "htmx", False)
        else "referrals/partner_list.html"
    )
    return render(request, template, context)


@login_required
def partner_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id)
    today = timezone.localdate()
    warn_days = services.warning_days(partner.organisation_id)
    agreements = [
        (agreement, services.agreement_state(agreement, today, warn_days))
        for agreement in partner.agreements.all()
    ]
    period = selectors.Period.default(today)
    (score,) = selectors.scorecard(
        organisation_id=partner.organisation_id,
        period=period,
        today=today,
        partners=[partner],
        warn_days=warn_days,
    )
    can_manage = can_manage_directory(user)
    context = {
        "partner": partner,
        "state": services.best_state([a for a, _s in agreements], today, warn_days),
        "agreements": agreements,
        "services": partner.services.all(),
        "area": partner.service_area.order_by("code"),
        "contacts": partner.contacts.all(),
        "members": (
            PartnerMember.objects.filter(partner=partner)
            .select_related("user")
            .order_by("user__full_name")
        ),
        "score": score,
        "period": period,
        "can_manage": can_manage,
    }
    return render(request, "referrals/partner_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_manage_directory(user):
        raise PermissionDenied
    assert user.organisation is not None
    form = PartnerForm(
        request.POST or None, area_choices=selectors.service_area_choices(_region_code(user))
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                actor=user, organisation=user.organisation, **form.service_fields()
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Partner added to the directory."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    return render(request, "referrals/partner_form.html", {"form": form, "partner": None})


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    form = PartnerForm(
        request.POST or None,
        instance=partner,
        area_choices=selectors.service_area_choices(_region_code(user)),
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                actor=user,
                partner=partner,
                expected_version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    context = {
        "form": form,
        "partner": partner,
        "stale": stale,
        "stale_rows": change_rows(Partner, stale.changed_fields) if stale else [],
    }
    return render(request, "referrals/partner_form.html", context, status=409 if stale else 200)


@login_required
@require_POST
def partner_deactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    try:
        version = int(request.POST.get("version", ""))
        services.partner_deactivate(actor=user, partner=partner, expected_version=version)
    except ValueError:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Partner deactivated: it is no longer offered for referrals."))
    return redirect("referrals:partner_detail", public_id=partner.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(actor=user, partner=partner, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    context = {"form": form, "partner": partner, "title": _("Add a contact")}
    return render(request, "referrals/partner_part_form.html", context)


@login_required
@require_POST
def contact_remove(request: HttpRequest, public_id: UUID, contact_id: int) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    contact = PartnerContact.objects.filter(partner=partner, pk=contact_id).first()
    if contact is not None:
        services.contact_remove(actor=user, contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect("referrals:partner_detail", public_id=partner.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_add(actor=user, partner=partner, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    context = {"form": form, "partner": partner, "title": _("Record an MoU/PKS")}
    return render(request, "referrals/partner_part_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_link(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    form = StaffLinkForm(request.POST or None, candidates=services.staff_candidates(partner))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_link(
                actor=user,
                partner=partner,
                user=form.cleaned_data["user"],
                today=timezone.localdate(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Staff account linked to the partner."))
            return redirect("referrals:partner_detail", public_id=partner.public_id)
    context = {
        "form": form,
        "partner": partner,
        "title": _("Link a staff account"),
        "intro": _(
            "The account will see only the referrals sent to this partner, "
            "and of those only what was shared."
        ),
    }
    return render(request, "referrals/partner_part_form.html", context)


@login_required
@require_POST
def staff_unlink(request: HttpRequest, public_id: UUID, user_id: UUID) -> HttpResponse:
    user = _user(request)
    partner = partner_get_for_user(user, public_id, for_change=True)
    member = (
        PartnerMember.objects.select_related("user")
        .filter(partner=partner, user__public_id=user_id)
        .first()
    )
    if member is not None:
        services.staff_unlink(actor=user, partner=partner, user=member.user)
    messages.success(
        request, _("Staff account unlinked: it no longer sees this partner's referrals.")
    )
    return redirect("referrals:partner_detail", public_id=partner.public_id)


# -- scorecard ---------------------------------------------------------------------------------


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_manage_directory(user):
        raise PermissionDenied
    today = timezone.localdate()
    form = ScorecardForm(request.GET or None)
    period = form.period(today)
    warn_days = services.warning_days(user.organisation_id)  # type: ignore[arg-type]
    scores = selectors.scorecard(
        organisation_id=user.organisation_id,  # type: ignore[arg-type]
        period=period,
        today=today,
        warn_days=warn_days,
    )
    context = {
        "form": form,
        "period": period,
        "scores": scores,
        "total": selectors.scorecard_total(scores),
        "warn_days": warn_days,
    }
    return render(request, "referrals/scorecard.html", context)


urlpatterns: list[URLPattern] = [
    path("partners/", partner_list, name="partner_list"),
    path("partners/new/", partner_create, name="partner_create"),
    path("partners/scorecard/", scorecard, name="partner_scorecard"),
    path("partners/<uuid:public_id>/", partner_detail, name="partner_detail"),
    path("partners/<uuid:public_id>/edit/", partner_edit, name="partner_edit"),
    path("partners/<uuid:public_id>/deactivate/", partner_deactivate, name="partner_deactivate"),
    path("partners/<uuid:public_id>/contacts/new/", contact_add, name="partner_contact_add"),
    path(
        "partners/<uuid:public_id>/contacts/<int:contact_id>/remove/",
        contact_remove,
        name="partner_contact_remove",
    ),
    path("partners/<uuid:public_id>/agreements/new/", agreement_add, name="partner_agreement_add"),
    path("partners/<uuid:public_id>/staff/new/", staff_link, name="partner_staff_link"),
    path(
        "partners/<uuid:public_id>/staff/<uuid:user_id>/unlink/",
        staff_unlink,
        name="partner_staff_unlink",
    ),
]
