"""Property tests of small-cell suppression (``lk3.reports.suppression.table_shown``).

For any table of counts and any threshold, what a counts-only reader is
shown must never hold a small count (1 to threshold - 1), must hold only
exact counts, and must not let a hidden small count be worked back from the
totals that are shown.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lk3.reports.suppression import Suppressed, Table, table_shown

BOUNDED = settings(max_examples=300, deadline=None)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[int]], int]:
    """A table of 1..6 rows x 1..6 columns of counts 0..50, and a threshold 2..10."""
    height = draw(st.integers(min_value=1, max_value=6))
    width = draw(st.integers(min_value=1, max_value=6))
    counts = draw(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=50), min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
    threshold = draw(st.integers(min_value=2, max_value=10))
    return counts, threshold


def _shown(counts: list[list[int]], threshold: int, *, suppress: bool = True) -> Table:
    rows = [f"r{index}" for index in range(len(counts))]
    columns = [f"c{index}" for index in range(len(counts[0]))]
    return table_shown(rows, columns, counts, threshold=threshold, suppress=suppress)


def _pairs(counts: list[list[int]], table: Table) -> list[tuple[object, int]]:
    """Every (shown value, exact count) of the table: cells, row and column totals, total."""
    height, width = len(counts), len(counts[0])
    pairs: list[tuple[object, int]] = [
        (table.cells[r][c], counts[r][c]) for r in range(height) for c in range(width)
    ]
    pairs += [(table.row_totals[r], sum(counts[r])) for r in range(height)]
    pairs += [(table.column_totals[c], sum(line[c] for line in counts)) for c in range(width)]
    pairs.append((table.total, sum(map(sum, counts))))
    return pairs


@BOUNDED
@given(tables())
def test_no_shown_number_is_small(case):
    # given
    counts, threshold = case
    # when
    table = _shown(counts, threshold)
    # then
    for shown, _exact in _pairs(counts, table):
        assert isinstance(shown, Suppressed) or (
            isinstance(shown, int) and not 0 < shown < threshold
        )


@BOUNDED
@given(tables())
def test_every_shown_number_is_the_exact_count(case):
    # given
    counts, threshold = case
    # when
    table = _shown(counts, threshold)
    # then
    for shown, exact in _pairs(counts, table):
        assert shown == exact or shown == Suppressed(threshold)


@BOUNDED
@given(tables())
def test_a_line_with_a_shown_total_never_hides_exactly_one_cell(case):
    # given
    counts, threshold = case
    # when
    table = _shown(counts, threshold)
    # then
    height, width = len(counts), len(counts[0])
    lines = [
        ([table.cells[r][c] for c in range(width)], table.row_totals[r]) for r in range(height)
    ]
    lines += [
        ([table.cells[r][c] for r in range(height)], table.column_totals[c]) for c in range(width)
    ]
    for cells, line_total in lines:
        hidden = sum(isinstance(cell, Suppressed) for cell in cells)
        assert hidden != 1 or isinstance(line_total, Suppressed), (cells, line_total)


@BOUNDED
@given(tables())
def test_without_suppression_the_exact_table_is_returned(case):
    # given
    counts, threshold = case
    # when
    table = _shown(counts, threshold, suppress=False)
    # then
    assert [list(line) for line in table.cells] == counts
    assert list(table.row_totals) == [sum(line) for line in counts]
    assert list(table.column_totals) == [sum(column) for column in zip(*counts, strict=True)]
    assert table.total == sum(map(sum, counts))


def test_a_small_cell_is_printed_as_below_the_threshold():
    # given
    counts = [[3, 20], [20, 20]]
    # when
    table = _shown(counts, 5)
    # then
    assert str(table.cells[0][0]) == "<5"
    assert table.total == 63


# -- the hidden counts cannot be solved for from what is shown -----------------------------------

# The margin of totals is a line too: the grand total is the sum of the row
# totals (and of the column totals). With the grand total shown and exactly
# one row total hidden, that row total is the difference, and from it the
# row's one hidden cell. ``table_shown`` checks rows and columns of cells
# only, so the example below gives the hidden 3 away:
#   counts [[3, 0], [10, 10]], threshold 5 →
#   cells [[<5, 0], [<5, <5]], rows [<5, 20], columns [13, <5], total 23:
#   column 1 = 23 - 13 = 10 = cell (1, 1); cell (1, 0) = 20 - 10 = 10;
#   cell (0, 0) = 13 - 10 = 3.


def _rank(matrix: list[list[Fraction]]) -> int:
    """Rank by Gaussian elimination over the rationals (exact, tables are small)."""
    rows = [list(line) for line in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _determined_small_counts(counts: list[list[int]], threshold: int, table: Table) -> list[str]:
    """Hidden small counts that the shown numbers fix by linear equations alone."""
    height, width = len(counts), len(counts[0])
    # Every value of the table and the sums that tie them, by name.
    values: dict[str, tuple[object, int]] = {}
    for r in range(height):
        for c in range(width):
            values[f"cell {r},{c}"] = (table.cells[r][c], counts[r][c])
        values[f"row {r}"] = (table.row_totals[r], sum(counts[r]))
    for c in range(width):
        values[f"column {c}"] = (table.column_totals[c], sum(line[c] for line in counts))
    values["total"] = (table.total, sum(map(sum, counts)))
    sums = [([f"cell {r},{c}" for c in range(width)], f"row {r}") for r in range(height)]
    sums += [([f"cell {r},{c}" for r in range(height)], f"column {c}") for c in range(width)]
    sums += [([f"row {r}" for r in range(height)], "total")]
    sums += [([f"column {c}" for c in range(width)], "total")]
    unknowns = [name for name, (shown, _exact) in values.items() if isinstance(shown, Suppressed)]
    if not unknowns:
        return []
    index = {name: position for position, name in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    for parts, whole in sums:
        line = [Fraction(0)] * len(unknowns)
        for part in parts:
            if part in index:
                line[index[part]] += 1
        if whole in index:
            line[index[whole]] -= 1
        if any(line):
            equations.append(line)
    base = _rank(equations) if equations else 0
    found = []
    for name in unknowns:
        if not 0 < values[name][1] < threshold:
            continue
        probe = [Fraction(int(other == name)) for other in unknowns]
        if _rank([*equations, probe]) == base:
            found.append(name)
    return found


@BOUNDED
@example(([[3, 0], [10, 10]], 5))
@given(tables())
def test_no_hidden_small_count_can_be_solved_for(case):
    # given
    counts, threshold = case
    # when
    table = _shown(counts, threshold)
    # then
    assert _determined_small_counts(counts, threshold, table) == []


def test_the_solver_finds_a_lone_hidden_cell():
    # given: a table shown as it is, with one cell marked hidden by hand
    counts = [[3, 20], [20, 20]]
    exact = _shown(counts, 5, suppress=False)
    mark = Suppressed(5)
    leaky = Table(
        exact.rows,
        exact.columns,
        [[mark, 20], [20, 20]],
        exact.row_totals,
        exact.column_totals,
        exact.total,
    )
    # when
    found = _determined_small_counts(counts, 5, leaky)
    # then
    assert found == ["cell 0,0"]
