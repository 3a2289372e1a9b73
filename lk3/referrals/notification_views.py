"""The inbox: every signed-in user's own notifications (any role).

Thin views over ``lk3.referrals.notifications``: another user's
notification is a 404; marking read is a POST (a double click is harmless).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from lk3.core.pagination import paginate
from lk3.referrals import notifications

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    listing = paginate(request, notifications.notifications_for_user(user), per_page=PAGE_SIZE)
    unread = notifications.unread_count(user)
    context = {"page": listing.page, "query_string": listing.query_string, "unread": unread}
    return render(request, "referrals/notification_inbox.html", context)


def _safe_target(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("referrals:inbox")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponseRedirect:
    found = notifications.notification_get_for_user(request.user, notification_id)
    notifications.notification_mark_read(user=request.user, notification=found)
    return HttpResponseRedirect(_safe_target(request, found.url))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications.notifications_mark_all_read(user=request.user)
    return redirect("referrals:inbox")


urlpatterns: list[URLPattern] = [
    path("inbox/", inbox, name="inbox"),
    path("inbox/read-all/", notification_read_all, name="notification_read_all"),
    path("inbox/<int:notification_id>/read/", notification_read, name="notification_read"),
]
