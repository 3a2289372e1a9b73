from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lk3.accounts.navigation import navigation_for
from lk3.accounts.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu and the role named beside the user (``get_role_display`` costs more
    than the menu: every page shows it twice)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "menu_role": ""}
    role = str(Role(user.role).label) if user.role in Role.values else ""
    return {"navigation": navigation_for(user), "menu_role": role}
