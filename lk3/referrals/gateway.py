"""The outbound SMS/WhatsApp gateway: one HTTP webhook, standard library only.

Rules:
- Configured by settings, each read with a default: ``LK3_GATEWAY_URL``
  (empty: the gateway is off), ``LK3_GATEWAY_TOKEN`` (sent as
  ``Authorization: Bearer <token>``) and ``LK3_GATEWAY_TIMEOUT`` (seconds).
- One message is one POST of JSON ``{"to": "+62...", "text": "...", "id": "..."}``.
  The gateway provider (an SMS aggregator or a WhatsApp Business
  connector) turns it into a message; ``id`` lets it drop a repeat.
- Only a 2xx answer counts as sent. Any other answer, a redirect, a
  timeout or a refused connection is "not sent": the caller leaves the
  notification unmarked and ``manage.py notifications_retry`` tries again.
- Numbers go out in international form (+62...). Only mobile numbers
  (national form starting 08) can take an SMS or a WhatsApp message;
  anything else is skipped.
- The log names the notification id and the answer, never the number or text.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from lk3.people.phones import normalise_phone

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
# How much of an answer is read (and thrown away) before the connection is closed.
ANSWER_READ_LIMIT = 64 * 1024


class Outcome(Enum):
    SENT = "sent"
    REFUSED = "refused"  # the gateway answered, but not with a 2xx
    UNREACHABLE = "unreachable"  # no answer: refused connection, timeout, DNS


@dataclass(frozen=True)
class GatewayConfig:
    url: str
    token: str
    timeout: float

    @property
    def enabled(self) -> bool:
        return bool(self.url)


def gateway_config() -> GatewayConfig:
    url = str(getattr(settings, "LK3_GATEWAY_URL", "") or "").strip()
    if url and urlsplit(url).scheme not in ("http", "https"):
        logger.error("LK3_GATEWAY_URL must be an http(s) address: the gateway is off")
        url = ""
    try:
        timeout = float(getattr(settings, "LK3_GATEWAY_TIMEOUT", DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        timeout = DEFAULT_TIMEOUT
    return GatewayConfig(
        url=url,
        token=str(getattr(settings, "LK3_GATEWAY_TOKEN", "") or ""),
        timeout=timeout if timeout > 0 else DEFAULT_TIMEOUT,
    )


def gateway_enabled() -> bool:
    return gateway_config().enabled


def international_mobile(phone: str) -> str | None:
    """ "0812-3456-7890" / "+62 812 3456 7890" -> "+6281234567890"; None if not a mobile."""
    national = normalise_phone(phone or "")
    if national is None or not national.startswith("08"):
        return None
    return "+62" + national[1:]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: a POST must never turn into a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def gateway_send(
    *, to: str, text: str, message_id: str, config: GatewayConfig | None = None
) -> Outcome:
    """POST one message to the gateway; never raises for a network or HTTP failure."""
    config = config or gateway_config()
    if not config.enabled:
        return Outcome.UNREACHABLE
    body = json.dumps({"to": to, "text": text, "id": message_id}).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": "lk3-notifications",
    }
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    # The scheme is http(s): ``gateway_config`` turns the gateway off for anything else.
    request = urllib.request.Request(config.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=config.timeout) as answer:
            answer.read(ANSWER_READ_LIMIT)
            status = answer.status
    except urllib.error.HTTPError as error:
        error.close()
        logger.warning("Gateway refused notification %s: HTTP %s", message_id, error.code)
        return Outcome.REFUSED
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        logger.warning("Gateway unreachable for notification %s: %s", message_id, error)
        return Outcome.UNREACHABLE
    if 200 <= status < 300:
        return Outcome.SENT
    logger.warning("Gateway refused notification %s: HTTP %s", message_id, status)
    return Outcome.REFUSED
