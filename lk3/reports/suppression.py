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
from fractions import Fraction

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

    The table is read as a grid with its totals: each row with its row
    total, each column with its column total, the row of column totals and
    the column of row totals with the grand total. Each of those lines is
    one sum; a sum with exactly one unknown gives it away. So primary
    suppression hides every small entry (cells and totals), then, until
    nothing changes, every line hiding exactly one entry hides its smallest
    other non-zero entry too (a total if nothing else is left).
    """
    row_totals = [sum(line) for line in counts]
    column_totals = [sum(line[c] for line in counts) for c in range(len(columns))]
    total = sum(row_totals)
    if not suppress:
        return Table(
            rows, columns, [list(line) for line in counts], row_totals, column_totals, total
        )
    grid = [[*line, row_totals[r]] for r, line in enumerate(counts)] + [[*column_totals, total]]
    hidden = [[is_small(value, threshold) for value in line] for line in grid]
    _complement(grid, hidden)
    _close_leaks(grid, hidden, threshold)
    mark = Suppressed(threshold)
    shown = [
        [mark if hidden[r][c] else grid[r][c] for c in range(len(grid[r]))]
        for r in range(len(grid))
    ]
    width = len(columns)
    return Table(
        rows,
        columns,
        [line[:width] for line in shown[:-1]],
        [line[width] for line in shown[:-1]],
        shown[-1][:width],
        shown[-1][width],
    )


def _complement(grid: list[list[int]], hidden: list[list[bool]]) -> None:
    """Hide a second entry in every line of the grid that hides exactly one."""
    height, width = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            others = [(r, c) for r, c in line if not hidden[r][c] and grid[r][c] > 0]
            if not others:
                continue  # the rest are zeros: the hidden entry is zero too, which hides nobody
            r, c = min(others, key=lambda cell: grid[cell[0]][cell[1]])
            hidden[r][c] = True
            changed = True


def _lines_of(height: int, width: int) -> list[list[tuple[int, int]]]:
    return [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]


def _close_leaks(grid: list[list[int]], hidden: list[list[bool]], threshold: int) -> None:
    """Hide more until no hidden small entry follows from the shown ones by linear algebra.

    Lines with two hidden entries can still combine into one that fixes a
    small count (``[[0,0,0,1],[0,0,1,1],[0,1,1,0]]``): each line's sum is an
    equation over the hidden entries, and an entry is given away when the
    equations pin it down. While one is, the smallest shown non-zero entry of
    its row or column (else of the grid) is hidden too, and the lines are
    balanced again.
    """
    while True:
        leaked = _determined(grid, hidden, threshold)
        if leaked is None:
            return
        r, c = leaked
        near = [(r, x) for x in range(len(grid[r]))] + [(y, c) for y in range(len(grid))]
        shown = [(y, x) for y, x in near if not hidden[y][x] and grid[y][x] > 0] or [
            (y, x)
            for y in range(len(grid))
            for x in range(len(grid[y]))
            if not hidden[y][x] and grid[y][x] > 0
        ]
        if not shown:
            return
        y, x = min(shown, key=lambda cell: grid[cell[0]][cell[1]])
        hidden[y][x] = True
        _complement(grid, hidden)


def _determined(
    grid: list[list[int]], hidden: list[list[bool]], threshold: int
) -> tuple[int, int] | None:
    """A hidden small entry that the line sums fix, if any (reduced row echelon form)."""
    unknowns = [(r, c) for r in range(len(grid)) for c in range(len(grid[r])) if hidden[r][c]]
    if not unknowns:
        return None
    position = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    for line in _lines_of(len(grid), len(grid[0])):
        # The last entry of a line is its total: the others add up to it.
        *parts, whole = line
        row = [Fraction(0)] * len(unknowns)
        for cell in parts:
            if cell in position:
                row[position[cell]] += 1
        if whole in position:
            row[position[whole]] -= 1
        if any(row):
            equations.append(row)
    pivots = _reduce(equations, len(unknowns))
    for pivot_row, column in pivots:
        if all(value == 0 for i, value in enumerate(pivot_row) if i != column):
            cell = unknowns[column]
            if is_small(grid[cell[0]][cell[1]], threshold):
                return cell
    return None


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[list[Fraction], int]]:
    """Gauss-Jordan elimination; the pivot rows with their pivot columns."""
    rank = 0
    for column in range(width):
        found = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if found is None:
            continue
        rows[rank], rows[found] = rows[found], rows[rank]
        lead = rows[rank][column]
        rows[rank] = [value / lead for value in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return [(rows[i], next(c for c in range(width) if rows[i][c] != 0)) for i in range(rank)]
