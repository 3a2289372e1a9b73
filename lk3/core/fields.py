"""Model fields that keep sensitive text encrypted in the database."""

from __future__ import annotations

from typing import Any

from django.db import models

from lk3.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext; the ORM sees plaintext.

    Not searchable or orderable by content: pair it with a lookup-hash
    column when equality search is needed (see ``crypto.lookup_hash``).
    """

    description = "Encrypted text"

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)
