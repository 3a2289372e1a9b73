"""Errors the domain layer raises; interfaces turn them into messages."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STALE_EDIT = _(
    "Someone else saved this record while you were editing it. "
    "Review their changes below, then save again."
)


class DomainError(Exception):
    """A rule of the domain refused an action. ``message`` is for the user."""

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        text = str(message) % dict(params) if params else str(message)
        super().__init__(text)
        self.message = text if params else message
        self.code = code
        # The form field the refusal is about, when there is one.
        self.field = field


class StaleEditError(DomainError):
    """The record changed since the user loaded it (optimistic locking)."""

    def __init__(self, *, current_version: int, changed_fields: Mapping[str, object]) -> None:
        super().__init__(STALE_EDIT, code="stale_edit")
        self.current_version = current_version
        self.changed_fields = changed_fields
