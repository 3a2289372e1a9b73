"""Model fields that keep sensitive text encrypted in the database."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
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


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (answers of a form, for example) stored encrypted like text.

    Not queryable by key: read it, then look inside. Values are written
    with sorted keys so two equal values encrypt the same plaintext.
    """

    description = "Encrypted JSON"
    # For django-stubs: the attribute holds any JSON value, not a str.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return text
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
        return crypto.encrypt(text, context=self.crypto_context)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), sort_keys=True, cls=DjangoJSONEncoder)
