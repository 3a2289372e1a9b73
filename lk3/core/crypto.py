"""Encryption at rest for sensitive text, and keyed hashes for lookups.

Rules:
- Keys come from ``settings.LK3_KEYS`` (JSON), never from SECRET_KEY:
  ``{"encryption": {"current": "k2", "keys": {"k1": "<b64>", "k2": "<b64>"}},
  "lookup": "<b64>"}``; each key is 32 random bytes, base64.
- Ciphertext names its key id, so old rows stay readable after rotation:
  ``v1:<key id>:<base64(nonce + AES-256-GCM ciphertext)>``.
- The field's identity (``app.model.field``) is authenticated data, so a
  value copied into another column does not decrypt.
- A lookup hash (HMAC-SHA256 with a separate key) lets a NIK be found by
  equality without storing it in clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
# Only for DEBUG on a laptop: settings refuse to start without LK3_KEYS otherwise.
_LOCAL_SEED = b"lk3-local-development-keys-not-for-real-data"


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]
    lookup_key: bytes


def generate_keys_json() -> str:
    """A fresh key set, for `make run` on a new machine and for operators."""
    return json.dumps(
        {
            "encryption": {
                "current": "k1",
                "keys": {"k1": base64.b64encode(os.urandom(KEY_BYTES)).decode()},
            },
            "lookup": base64.b64encode(os.urandom(KEY_BYTES)).decode(),
        }
    )


def _decode_key(name: str, value: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"LK3_KEYS: key {name} is not base64") from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"LK3_KEYS: key {name} must be {KEY_BYTES} bytes")
    return key


def _parse_keys(raw: str) -> KeyRing:
    try:
        data: dict[str, Any] = json.loads(raw)
        encryption = data["encryption"]
        current_id = str(encryption["current"])
        keys = {str(k): _decode_key(str(k), str(v)) for k, v in encryption["keys"].items()}
        lookup_key = _decode_key("lookup", str(data["lookup"]))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ImproperlyConfigured(f"LK3_KEYS is not valid: {error}") from error
    if current_id not in keys:
        raise ImproperlyConfigured(f"LK3_KEYS: current key {current_id} is not in keys")
    return KeyRing(current_id=current_id, keys=keys, lookup_key=lookup_key)


def _local_keys() -> KeyRing:
    derive = lambda label: hashlib.sha256(_LOCAL_SEED + label).digest()  # noqa: E731
    return KeyRing(current_id="local", keys={"local": derive(b"enc")}, lookup_key=derive(b"lookup"))


@lru_cache(maxsize=4)
def _key_ring_for(raw: str) -> KeyRing:
    return _parse_keys(raw) if raw else _local_keys()


def key_ring() -> KeyRing:
    return _key_ring_for(settings.LK3_KEYS)


def encrypt(plaintext: str, *, context: str) -> str:
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.current_id]).encrypt(
        nonce, plaintext.encode("utf-8"), context.encode("utf-8")
    )
    payload = base64.b64encode(nonce + sealed).decode("ascii")
    return f"{FORMAT_VERSION}:{ring.current_id}:{payload}"


def decrypt(token: str, *, context: str) -> str:
    try:
        version, key_id, payload = token.split(":", 2)
    except ValueError as error:
        raise DecryptionError("not an lk3 ciphertext") from error
    ring = key_ring()
    if version != FORMAT_VERSION or key_id not in ring.keys:
        raise DecryptionError(f"unknown format {version} or key {key_id}")
    try:
        raw = base64.b64decode(payload, validate=True)
        plain = AESGCM(ring.keys[key_id]).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8")
        )
    except (binascii.Error, ValueError, InvalidTag) as error:
        raise DecryptionError("ciphertext does not verify") from error
    return plain.decode("utf-8")


def key_id_of(token: str) -> str:
    """The key a stored value was sealed with (for rotation reports)."""
    return token.split(":", 2)[1]


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for equality search; ``purpose`` keeps NIK and KK hashes apart."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key_ring().lookup_key, message, hashlib.sha256).hexdigest()
