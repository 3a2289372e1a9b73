"""The person search page: one box for a name, NIK, KK number or phone number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lk3.people.permissions import can_use_registry
from lk3.people.search import person_search_for_user

PAGE_SIZE = 20
# Longer than any name, NIK or phone number anyone types.
QUERY_MAX_LENGTH = 200


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdigit() else 1


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    if not can_use_registry(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    results = person_search_for_user(
        user=request.user,
        query=query,
        page=_page_number(request.GET.get("page")),
        per_page=PAGE_SIZE,
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "results": results,
        "page": results,
        "query_string": params.urlencode(),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    template = "people/_search_results.html" if htmx else "people/search.html"
    return render(request, template, context)
