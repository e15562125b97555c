"""Small-number suppression on hand-made tables: naive suppression (hiding only the counts from 1 to 4) leaks
through a total minus the cells shown; ours leaves nothing a reader can work out. No database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from send_mis.suppression import (
    FEWER_THAN,
    HIDDEN,
    Reason,
    Shown,
    percent,
    revealed,
    suppress_alone,
    suppress_counts,
    suppress_list,
    suppress_table,
)


def _table_groups(n_rows: int, n_columns: int):
    groups = [((r, "total"), [(r, c) for c in range(n_columns)]) for r in range(n_rows)]
    groups += [(("total", c), [(r, c) for r in range(n_rows)]) for c in range(n_columns)]
    groups.append((("total", "total"), [(r, "total") for r in range(n_rows)]))
    groups.append((("total", "total"), [("total", c) for c in range(n_columns)]))
    return groups


def _shown_map(table, n_rows: int, n_columns: int) -> dict:
    shown = {(r, c): table.cells[r][c] for r in range(n_rows) for c in range(n_columns)}
    shown |= {(r, "total"): table.row_totals[r] for r in range(n_rows)}
    shown |= {("total", c): table.column_totals[c] for c in range(n_columns)}
    shown[("total", "total")] = table.total
    return shown


def _naive(counts: dict) -> dict:
    return {k: Shown(None, Reason.SMALL) if 0 < n < 5 else Shown(n, Reason.SHOWN) for k, n in counts.items()}


def test_a_row_total_minus_the_cells_shown_gives_a_naively_suppressed_cell_back():
    counts = {"K": 3, "E": 10, "M": 12, "total": 25}
    groups = [("total", ["K", "E", "M"])]
    assert revealed(_naive(counts), groups) == {"K": 3}

    shown = suppress_counts(counts, groups)
    assert revealed(shown, groups) == {}
    assert shown["K"].text == FEWER_THAN
    assert shown["E"].text == HIDDEN  # the next-smallest cell in the row, hidden so the total tells nothing
    assert shown["M"].text == "12" and shown["total"].text == "25"


def test_hiding_a_cell_for_its_row_cascades_to_its_column():
    rows = [[2, 8, 9], [6, 7, 20], [10, 11, 12]]
    table = suppress_table(rows)
    shown = _shown_map(table, 3, 3)
    assert table.cells[0][0].reason == Reason.SMALL
    assert [[cell.is_suppressed for cell in row] for row in table.cells] == [
        [True, True, False],
        [True, True, False],
        [False, False, False],
    ]
    assert revealed(shown, _table_groups(3, 3)) == {}
    assert table.total.text == "85"


def test_naive_suppression_of_a_table_leaks_through_its_totals():
    rows = [[2, 8, 9], [6, 7, 20], [10, 11, 12]]
    counts = {(r, c): n for r, row in enumerate(rows) for c, n in enumerate(row)}
    counts |= {(r, "total"): sum(row) for r, row in enumerate(rows)}
    counts |= {("total", c): sum(row[c] for row in rows) for c in range(3)}
    counts[("total", "total")] = 85
    assert revealed(_naive(counts), _table_groups(3, 3)) == {(0, 0): 2}


def test_a_zero_is_never_chosen_to_protect_a_cell_the_total_is_hidden_instead():
    counts = {"K": 3, "E": 0, "total": 3}
    shown = suppress_counts(counts, [("total", ["K", "E"])])
    assert shown["E"].text == "0"
    assert shown["total"].text == FEWER_THAN  # 3 is small itself

    counts = {"a": 4, "b": 0, "c": 0, "t": 4, "u": 9, "grand": 13}
    groups = [("t", ["a", "b", "c"]), ("grand", ["t", "u"])]
    shown = suppress_counts(counts, groups)
    assert shown["b"].text == "0" and shown["c"].text == "0"
    assert shown["u"].is_suppressed  # t (4) is hidden in the grand sum, so u is hidden with it
    assert revealed(shown, groups) == {}


def test_needs_nested_in_their_broad_area_cannot_be_recovered_through_the_area_total():
    # Sensory and physical = HI + VI + PD; the need list and the area list are both shown with a grand total.
    counts = {"HI": 3, "VI": 9, "PD": 11, "SLCN": 20, "SP": 23, "CI": 20, "all": 43}
    groups = [("SP", ["HI", "VI", "PD"]), ("CI", ["SLCN"]), ("all", ["SP", "CI"]), ("all", ["HI", "VI", "PD", "SLCN"])]
    assert revealed(_naive(counts), groups) == {"HI": 3}
    shown = suppress_counts(counts, groups)
    assert revealed(shown, groups) == {}
    assert shown["VI"].text == HIDDEN and shown["SP"].text == "23"


def test_totals_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="do not add up"):
        suppress_counts({"a": 1, "t": 5}, [("t", ["a"])])


def test_a_single_column_list_hides_the_next_smallest_count():
    cells, total = suppress_list([0, 4, 30, 7, 12])
    assert [c.text for c in cells] == ["0", FEWER_THAN, "30", HIDDEN, "12"]
    assert total.text == "53"


def test_a_headline_figure_alone_only_hides_small_numbers():
    assert suppress_alone(0).text == "0"
    assert suppress_alone(4).text == FEWER_THAN
    assert suppress_alone(5).text == "5"


def test_a_percentage_built_on_a_suppressed_count_is_suppressed():
    assert percent(Shown(None, Reason.SMALL), 420) == FEWER_THAN
    assert percent(Shown(None, Reason.SECONDARY), 420) == HIDDEN
    assert percent(Shown(42, Reason.SHOWN), Shown(None, Reason.SECONDARY)) == HIDDEN
    assert percent(Shown(42, Reason.SHOWN), 420) == "10.0%"
    assert percent(Shown(0, Reason.SHOWN), 0) == "–"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=5).map(tuple), min_size=1, max_size=8
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_no_table_lets_a_reader_recover_any_suppressed_cell(rows):
    table = suppress_table(rows)
    n_rows, n_columns = len(rows), len(rows[0])
    shown = _shown_map(table, n_rows, n_columns)
    assert revealed(shown, _table_groups(n_rows, n_columns)) == {}
    # Every count from 1 to 4 is hidden and every count shown is the true one.
    for r, row in enumerate(rows):
        for c, n in enumerate(row):
            if 0 < n < 5:
                assert table.cells[r][c].text == FEWER_THAN
            elif not table.cells[r][c].is_suppressed:
                assert table.cells[r][c].value == n
