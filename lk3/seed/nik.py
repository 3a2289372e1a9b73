"""Generated NIKs, valid by DOMAIN.md section 4.

Rules:
- ``PPKKCC DDMMYY SSSS``: the kecamatan where the NIK was first issued
  (a real, active code from the Region table), the birth date with 40 added
  to the day for women, and a serial from 0001.
- Serials count up per region-and-date prefix, so no two generated NIKs are
  equal; a small random gap between them keeps them from all being 0001.
- The lookup hash is ``lk3.people.identity.nik_lookup_hash``, the one every
  writer of ``Person.nik_hash`` uses.
"""

from __future__ import annotations

import datetime
import random

from lk3.regions.identity import FEMALE_DAY_OFFSET

MAX_SERIAL = 9999

SERIAL_EXHAUSTED = "No NIK serial left for %(prefix)s."


def nik_date_part(birth_date: datetime.date, *, female: bool) -> str:
    day = birth_date.day + (FEMALE_DAY_OFFSET if female else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


class NikSerials:
    """Hands out unique NIKs, counting serials per ``PPKKCCDDMMYY`` prefix."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._last: dict[str, int] = {}

    def issue(self, *, kecamatan_code: str, birth_date: datetime.date, female: bool) -> str:
        prefix = kecamatan_code.replace(".", "") + nik_date_part(birth_date, female=female)
        serial = self._last.get(prefix, 0) + 1 + int(self._rng.random() * 3)
        if serial > MAX_SERIAL:
            raise ValueError(SERIAL_EXHAUSTED % {"prefix": prefix})
        self._last[prefix] = serial
        return f"{prefix}{serial:04d}"
