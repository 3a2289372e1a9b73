from __future__ import annotations

from django.http import HttpRequest

from lk3.accounts.navigation import NavItem, navigation_for


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = getattr(request, "user", None)
    return {"navigation": navigation_for(user) if user is not None else []}
