from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class PageView:
    page: Page[Any]
    query_string: str  # the current filters, without the page number


def paginate(request: HttpRequest, items: Any, *, per_page: int) -> PageView:
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return PageView(page=page, query_string=params.urlencode())
