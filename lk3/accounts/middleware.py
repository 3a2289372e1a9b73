from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.services import logout_record

Handler = Callable[[HttpRequest], HttpResponse]
LAST_ACTIVITY_KEY = "lk3_last_activity"
# Rewriting the session on every request costs a database write; a minute's
# precision is plenty for a timeout measured in tens of minutes.
ACTIVITY_RESOLUTION_SECONDS = 60
SESSION_EXPIRED = _(
    "Your session ended after %(minutes)d minutes without activity. Please log in again."
)


class IdleTimeoutMiddleware:
    """Log out a session left idle for ``LK3_IDLE_TIMEOUT_MINUTES``.

    Office computers are shared; a case file must not stay open on one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = settings.LK3_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - float(last) > limit:
                logout_record(user=user, expired=True)
                logout(request)
                messages.warning(
                    request, SESSION_EXPIRED % {"minutes": settings.LK3_IDLE_TIMEOUT_MINUTES}
                )
                return self._to_login(request)
            if last is None or now - float(last) >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _to_login(request: HttpRequest) -> HttpResponse:
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment; make it navigate.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return redirect(login_url)


class OrganisationTimezoneMiddleware:
    """Show times in the organisation's zone (WITA for Bontang); store UTC."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        organisation = getattr(user, "organisation", None) if user.is_authenticated else None
        if organisation is not None:
            timezone.activate(zoneinfo.ZoneInfo(organisation.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
