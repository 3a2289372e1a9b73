"""``{% unread_notifications_count %}``: the number on the inbox entry of the menu.

No query: the count is kept on the user (``User.unread_notifications``) by
the notification services, and the user is loaded with every request.
"""

from __future__ import annotations

from typing import Any

from django import template

from lk3.referrals.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context: template.Context) -> int:
    request: Any = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return unread_count(user) if user is not None else 0
