"""Where case attachments are stored: outside the web root, without URLs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """The attachments' storage: under ``LK3_PRIVATE_ROOT``, never under a served URL."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        setting_changed.connect(self._root_changed)

    @cached_property
    def base_location(self) -> Any:
        return settings.LK3_PRIVATE_ROOT

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them through a permission check.")

    def _root_changed(self, *, setting: str, **kwargs: Any) -> None:
        if setting == "LK3_PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
