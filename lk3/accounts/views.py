from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lk3.accounts import selectors, services
from lk3.accounts.forms import BoardFilterForm, BoardMemberForm, LoginForm, OrganisationForm
from lk3.accounts.models import BoardMember, Organisation, User
from lk3.accounts.permissions import (
    board_member_get_for_user,
    can_edit_board_member,
    can_edit_organisation,
    can_manage_staff,
    can_read_audit,
    can_view_staff_directory,
    is_active_member,
    organisation_get_for_user,
    visible_organisation_ids,
)
from lk3.audit.services import access_record
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version, change_rows
from lk3.core.pagination import paginate

BOARD_PAGE_SIZE = 25


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        address = _client_address(request)
        if services.login_is_locked(username=username, ip_address=address):
            form.add_error(
                None, services.LOGIN_LOCKED % {"minutes": settings.LK3_LOGIN_LOCKOUT_MINUTES}
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(username=username, ip_address=address)
                form.add_error(None, services.LOGIN_INVALID)
            else:
                login(request, user)
                services.login_success_record(user=user, ip_address=address)
                return redirect(_safe_next(request))
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    context: dict[str, object] = {"role_label": user.get_role_display()}
    if is_active_member(user):
        assert user.organisation is not None
        context.update(
            organisation=user.organisation,
            my_kelurahan=user.kelurahan.order_by("name"),
            supervised=user.organisation.supervised.order_by("name"),
            network=selectors.kelurahan_network_for_user(user=user, today=today)[:20],
            can_read_audit=can_read_audit(user),
            can_manage=can_manage_staff(user),
        )
        if can_view_staff_directory(user):
            context["board"] = selectors.board_counts_for_organisation(
                organisation=user.organisation, today=today
            )
        else:
            context["by_institution"] = selectors.board_counts_by_institution(
                organisation_ids=visible_organisation_ids(user)
            )
    return render(request, "accounts/dashboard.html", context)


@login_required
def board_member_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not can_view_staff_directory(user):
        raise PermissionDenied
    form = BoardFilterForm(
        request.GET or None,
        kelurahan_choices=selectors.kelurahan_choices_for_user(user),
        organisations=selectors.organisations_for_user(user),
    )
    today = timezone.localdate()
    members = selectors.board_member_list_for_user(user=user, filters=form.filters(), today=today)
    listing = paginate(request, members, per_page=BOARD_PAGE_SIZE)
    rows = [(member, selectors.term_status(member, today)) for member in listing.page]
    context = {
        "form": form,
        "page": listing.page,
        "query_string": listing.query_string,
        "rows": rows,
        "can_manage": can_manage_staff(user),
    }
    template = "accounts/_board_rows.html" if request.htmx else "accounts/board_member_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def board_member_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    member = board_member_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=member,
        purpose="view",
        path=request.path,
        organisation=member.organisation,
    )
    today = timezone.localdate()
    context = {
        "member": member,
        "term_status": selectors.term_status(member, today),
        "days_left": member.term_days_left(today),
        "kelurahan": member.kelurahan.order_by("name"),
        "can_edit": can_edit_board_member(user, member),
    }
    return render(request, "accounts/board_member_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_member_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not can_manage_staff(user):
        raise PermissionDenied
    assert user.organisation is not None
    form = BoardMemberForm(
        request.POST or None, kelurahan_choices=selectors.kelurahan_choices_for_user(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.board_member_create(
                actor=user,
                organisation=user.organisation,
                kelurahan=form.cleaned_data["kelurahan"],
                **form.service_fields(),
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Board member added."))
            return redirect("accounts:board_member_detail", public_id=member.public_id)
    return render(request, "accounts/board_member_form.html", {"form": form, "member": None})


@login_required
@require_http_methods(["GET", "POST"])
def board_member_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    member = board_member_get_for_user(user, public_id, for_edit=True)
    form = BoardMemberForm(
        request.POST or None,
        instance=member,
        kelurahan_choices=selectors.kelurahan_choices_for_user(user),
        initial={"kelurahan": member.kelurahan.all()},
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.board_member_update(
                actor=user,
                member=member,
                expected_version=form.cleaned_data["version"] or 0,
                kelurahan=form.cleaned_data["kelurahan"],
                **form.service_fields(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:board_member_detail", public_id=member.public_id)
    context = {
        "form": form,
        "member": member,
        "stale": stale,
        "stale_rows": change_rows(BoardMember, stale.changed_fields) if stale else [],
    }
    return render(request, "accounts/board_member_form.html", context, status=409 if stale else 200)


@login_required
@require_POST
def board_member_deactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    member = board_member_get_for_user(user, public_id, for_edit=True)
    try:
        version = int(request.POST.get("version", ""))
        services.board_member_deactivate(actor=user, member=member, expected_version=version)
    except ValueError:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Board member deactivated."))
    return redirect("accounts:board_member_detail", public_id=member.public_id)


@login_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not is_active_member(user):
        raise PermissionDenied
    assert user.organisation is not None
    organisation = user.organisation
    context = {
        "organisation": organisation,
        "supervised": organisation.supervised.order_by("name"),
        "can_edit": can_edit_organisation(user, organisation),
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not is_active_member(user):
        raise PermissionDenied
    assert user.organisation is not None
    organisation = organisation_get_for_user(user, user.organisation.public_id, for_edit=True)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=user,
                organisation=organisation,
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
            return redirect("accounts:organisation_detail")
    context = {
        "form": form,
        "stale": stale,
        "stale_rows": change_rows(Organisation, stale.changed_fields) if stale else [],
    }
    return render(request, "accounts/organisation_form.html", context, status=409 if stale else 200)


@login_required
def organisation_logo(request: HttpRequest) -> FileResponse:
    """The logo, served through the login check (media files are never public)."""
    user = request.user
    assert isinstance(user, User)
    if not is_active_member(user):
        raise PermissionDenied
    assert user.organisation is not None
    if not user.organisation.logo:
        raise Http404
    return FileResponse(user.organisation.logo.open("rb"))
