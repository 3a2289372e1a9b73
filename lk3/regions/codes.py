"""Kemendagri region codes: the dotted form and the digits a NIK carries.

A code has 1 to 4 parts: province ``64``, regency/city ``64.74``, district
``64.74.01``, village ``64.74.01.1001``. A NIK or KK carries the first three
without dots (``647401``), which is why 2, 4, 6 and 10 undotted digits are
accepted. Only ASCII digits count: ``str.isdigit`` would accept Arabic-Indic
or fullwidth digits, which no register stores.
"""

from __future__ import annotations

import re

DOTTED = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
UNDOTTED = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}")
PART_WIDTHS = (2, 2, 2, 4)


def dotted(value: str) -> str | None:
    """The dotted code for ``64.74.01`` or ``647401``; None when it is neither."""
    text = value.strip()
    if DOTTED.fullmatch(text):
        return text
    if not UNDOTTED.fullmatch(text):
        return None
    parts, start = [], 0
    for width in PART_WIDTHS:
        if start >= len(text):
            break
        parts.append(text[start : start + width])
        start += width
    return ".".join(parts)


def parent_of(code: str) -> str | None:
    head, _dot, _tail = code.rpartition(".")
    return head or None


def lineage(code: str) -> list[str]:
    """The code and its ancestors, province first: ``["64", "64.74", "64.74.01"]``."""
    parts = code.split(".")
    return [".".join(parts[: depth + 1]) for depth in range(len(parts))]
