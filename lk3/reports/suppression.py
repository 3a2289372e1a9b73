"""Small counts in aggregate views (DESIGN.md: children and victims never identifiable).

A count from 1 to ``threshold - 1`` is never shown to a counts-only role: it
is replaced by ``Suppressed`` (printed "<5" for threshold 5). Zero is shown:
it identifies nobody. Totals are computed from the exact counts and are shown
only when they are themselves not small, and a row or column with exactly one
suppressed cell gets its next smallest cell suppressed too, so the hidden
count cannot be worked back from the total (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class Table:
    """Counts by row and column, as shown: small cells suppressed for counts-only readers.

    ``cells[r][c]`` and the totals are ``int`` or ``Suppressed``.
    """

    rows: Sequence[str]
    columns: Sequence[str]
    cells: Sequence[Sequence[Cell]]
    row_totals: Sequence[Cell]
    column_totals: Sequence[Cell]
    total: Cell


def table_shown(
    rows: list[str],
    columns: list[str],
    counts: list[list[int]],
    *,
    threshold: int,
    suppress: bool,
) -> Table:
    """The table with totals; with ``suppress``, small cells hidden so none can be worked back.

    Primary suppression hides every small cell (and small totals). Then,
    until nothing changes, a row or column whose total is shown and which has
    exactly one hidden cell gets its smallest other non-zero cell hidden too.
    """
    row_totals = [sum(line) for line in counts]
    column_totals = [sum(line[c] for line in counts) for c in range(len(columns))]
    total = sum(row_totals)
    if not suppress:
        return Table(
            rows, columns, [list(line) for line in counts], row_totals, column_totals, total
        )
    hidden = [[is_small(count, threshold) for count in line] for line in counts]
    hidden_row_total = [is_small(value, threshold) for value in row_totals]
    hidden_column_total = [is_small(value, threshold) for value in column_totals]
    _complement(counts, hidden, hidden_row_total, hidden_column_total)
    mark = Suppressed(threshold)
    return Table(
        rows,
        columns,
        [
            [mark if hidden[r][c] else counts[r][c] for c in range(len(columns))]
            for r in range(len(rows))
        ],
        [mark if hidden_row_total[r] else row_totals[r] for r in range(len(rows))],
        [mark if hidden_column_total[c] else column_totals[c] for c in range(len(columns))],
        mark if is_small(total, threshold) else total,
    )


def _complement(
    counts: list[list[int]],
    hidden: list[list[bool]],
    hidden_row_total: list[bool],
    hidden_column_total: list[bool],
) -> None:
    """Hide a second cell in every line (with a shown total) that hides exactly one.

    A line whose other cells are all zero cannot hide a second cell: its total
    is hidden instead (the hidden cell would equal it).
    """
    changed = True
    while changed:
        changed = False
        for totals, index, line in _lines(counts, hidden_row_total, hidden_column_total):
            if totals[index] or sum(hidden[r][c] for r, c in line) != 1:
                continue
            others = [(r, c) for r, c in line if not hidden[r][c] and counts[r][c] > 0]
            if others:
                r, c = min(others, key=lambda cell: counts[cell[0]][cell[1]])
                hidden[r][c] = True
            else:
                totals[index] = True
            changed = True


def _lines(
    counts: list[list[int]], hidden_row_total: list[bool], hidden_column_total: list[bool]
) -> list[tuple[list[bool], int, list[tuple[int, int]]]]:
    """Every row and column: its totals' hidden flags, its index, and its cells."""
    width = len(hidden_column_total)
    rows = [(hidden_row_total, r, [(r, c) for c in range(width)]) for r in range(len(counts))]
    columns = [(hidden_column_total, c, [(r, c) for r in range(len(counts))]) for c in range(width)]
    return rows + columns
