"""The app's URLs plus the bench's anchor, a bare page.

The bare page is a logged-in user's empty page in the site's layout (menu,
footer, language switch, session, CSRF, CSP): what every page of the app
pays before its own content, so a list's own cost shows against it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401 -- the app's error pages
from config.urls import urlpatterns as app_urlpatterns

BARE_PAGE = engines["django"].from_string('{% extends "base.html" %}')


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE.render({}, request))


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]
