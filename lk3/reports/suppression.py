"""Small counts in aggregate views (DESIGN.md: children and victims never identifiable).

A count from 1 to ``threshold - 1`` is never shown to a counts-only role: it
is replaced by ``Suppressed`` (printed "<5" for threshold 5). Zero is shown:
it identifies nobody. Totals are computed from the exact counts and are shown
only when they are themselves not small, and a row or column with exactly one
suppressed cell gets its next smallest cell suppressed too, so the hidden
count cannot be worked back from the total (complementary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

from lk3.reports.models import DEFAULT_THRESHOLD, ReportSettings


@dataclass(frozen=True)
class Suppressed:
    """A cell hidden because its count is small; prints as "<threshold"."""

    threshold: int

    def __str__(self) -> str:
        return f"<{self.threshold}"


Cell = int | Suppressed


def threshold_for(organisation_ids: set[int] | list[int]) -> int:
    """The strictest threshold of the organisations counted together."""
    found = ReportSettings.objects.filter(organisation_id__in=list(organisation_ids)).values_list(
        "suppression_threshold", flat=True
    )
    return max([DEFAULT_THRESHOLD, *found])


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold
