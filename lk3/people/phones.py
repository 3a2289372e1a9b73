"""Indonesian phone numbers in one stored form.

People write 0812-3456-7890, +62 812 3456 7890, 62812..., (0548) 21234.
Stored and searched as national digits: "081234567890", "054821234".
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _(
    "Enter a phone number of 8 to 15 digits, for example 0812-3456-7890 or +62 812 3456 7890."
)
SEPARATORS = re.compile(r"[\s().\-/]")
DIGITS = re.compile(r"[0-9]{8,15}")


def normalise_phone(value: str) -> str | None:
    """National digits, or None when it is not a plausible phone number."""
    raw = SEPARATORS.sub("", value.strip())
    if raw.startswith("+62"):
        raw = "0" + raw[3:]
    elif raw.startswith("62") and len(raw) >= 10:
        raw = "0" + raw[2:]
    if not DIGITS.fullmatch(raw) or not raw.startswith("0"):
        return None
    return raw
