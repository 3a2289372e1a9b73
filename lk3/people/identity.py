"""How a person's NIK is made findable without storing it in clear.

Every writer of ``Person.nik_hash`` (services, imports, the seed) and every
reader that searches by NIK uses ``nik_lookup_hash``: a NIK hashed under
another purpose or normalisation would never be found.
"""

from __future__ import annotations

from lk3.core.crypto import lookup_hash

NIK_HASH_PURPOSE = "nik"


def nik_lookup_hash(nik: str) -> str:
    """``nik`` is the 16 digits without separators (as ``parse_nik`` returns them)."""
    return lookup_hash(nik, purpose=NIK_HASH_PURPOSE)
