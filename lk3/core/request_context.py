"""Per-request values that services need without taking the request.

Services are called from pages, the API, commands and tasks. Only the
request id and the client address travel this way, so that audit rows can
be tied to one request; everything else is passed as an argument.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "lk3_request_context",
    default=RequestContext(),  # noqa: B039 -- frozen, so sharing it is safe
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def enter(context: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(context)


def leave(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get()
