"""Region search and live NIK / KK checks. Any active member of an organisation may use them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lk3.accounts.permissions import is_active_member
from lk3.regions import identity, selectors
from lk3.regions.forms import IdentityCheckForm, RegionSearchForm

SEARCH_LIMIT = 20

View = Callable[[HttpRequest], HttpResponse]


def members_only(view: View) -> View:
    """Login, then an active account of some organisation; GET only."""

    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        if not is_active_member(request.user):
            raise PermissionDenied
        return view(request)

    return login_required(require_GET(checked))


@members_only
def search(request: HttpRequest) -> HttpResponse:
    form = RegionSearchForm(request.GET)
    matches: list[selectors.RegionMatch] = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        matches = selectors.region_search(
            form.cleaned_data["q"],
            level=form.cleaned_data["level"] or None,
            within=form.cleaned_data["within"] or None,
            limit=SEARCH_LIMIT,
        )
    context = {"form": form, "matches": matches, "searched": bool(form.data.get("q", "").strip())}
    template = "regions/_results.html" if request.htmx else "regions/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@members_only
def nik_check(request: HttpRequest) -> HttpResponse:
    form = IdentityCheckForm(request.GET)
    result = None
    if form.is_valid() and form.cleaned_data["value"]:
        result = identity.parse_nik(
            form.cleaned_data["value"],
            birth_date=form.cleaned_data["birth_date"],
            sex=form.cleaned_data["sex"] or None,
        )
    return _identity_fragment(request, form, result, kind="nik")


@members_only
def kk_check(request: HttpRequest) -> HttpResponse:
    form = IdentityCheckForm(request.GET)
    result = None
    if form.is_valid() and form.cleaned_data["value"]:
        result = identity.parse_kk(form.cleaned_data["value"])
    return _identity_fragment(request, form, result, kind="kk")


def _identity_fragment(
    request: HttpRequest,
    form: IdentityCheckForm,
    result: identity.IdentityResult | None,
    *,
    kind: str,
) -> HttpResponse:
    path = selectors.region_path(result.region) if result and result.region else []
    context = {"form": form, "result": result, "path": list(reversed(path)), "kind": kind}
    return render(request, "regions/_identity.html", context)
