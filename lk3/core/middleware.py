from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from lk3.core import request_context

Handler = Callable[[HttpRequest], HttpResponse]
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id, returned in ``X-Request-ID`` and stored in audit rows.

    An id set by the reverse proxy is kept when it looks like one, so a log
    line at the proxy can be matched to the audit trail.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = (
            incoming if REQUEST_ID_PATTERN.match(incoming) else request_context.new_request_id()
        )
        context = request_context.RequestContext(
            request_id=request_id, ip_address=request.META.get("REMOTE_ADDR") or None
        )
        token = request_context.enter(context)
        try:
            response = self.get_response(request)
        finally:
            request_context.leave(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(self), payment=(), usb=()"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages behind login hold personal data: never keep them in a
            # shared computer's cache or a proxy.
            response.setdefault("Cache-Control", "no-store")
        return response


class LanguageMiddleware:
    """Indonesian unless the person chose English with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's
    Accept-Language: the office's shared computers are often set to English,
    and the product speaks Indonesian first.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
