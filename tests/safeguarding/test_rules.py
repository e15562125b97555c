"""Pure safeguarding rules: the transfer's 5 days, chasing a referral, small-number suppression."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding import rules

TERMS = [
    (date(2026, 9, 2), date(2026, 10, 23)),
    (date(2026, 11, 2), date(2026, 12, 18)),
    (date(2027, 1, 5), date(2027, 2, 12)),
]


@pytest.mark.parametrize(
    ("left_on", "due_on"),
    [
        pytest.param(date(2026, 9, 30), date(2026, 10, 5), id="in-year move: 5 calendar days"),
        pytest.param(date(2026, 10, 21), date(2026, 10, 26), id="in-year move running into the half-term holiday"),
        pytest.param(date(2026, 12, 18), date(2027, 1, 9), id="left on the last day of term: first 5 days of the next"),
        pytest.param(date(2026, 12, 25), date(2027, 1, 9), id="left in the holiday: first 5 days of the next term"),
        pytest.param(date(2027, 2, 12), date(2027, 2, 17), id="no next term known: the in-year rule"),
    ],
)
def test_transfer_due(left_on, due_on):
    assert rules.transfer_due(left_on, terms=TERMS) == due_on


@pytest.mark.parametrize(
    ("referred_on", "due_on", "holidays"),
    [
        pytest.param(date(2026, 11, 25), date(2026, 11, 26), (), id="midweek: the next day"),
        pytest.param(date(2026, 11, 27), date(2026, 11, 30), (), id="Friday: Monday"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 29), (date(2026, 12, 25), date(2026, 12, 28)), id="Christmas"),
    ],
)
def test_referral_chase_due(referred_on, due_on, holidays):
    assert rules.referral_chase_due(referred_on, holidays=holidays) == due_on


def test_small_counts_are_suppressed_with_the_schools_one_rule_so_totals_reveal_nothing():
    counts = {"Neglect": {"Autumn": 3, "Spring": 12}, "Online": {"Autumn": 9, "Spring": 6}}
    table = rules.suppress_small_counts(counts, rows=["Neglect", "Online"], columns=["Autumn", "Spring"])
    assert table["Neglect"]["Autumn"] == "fewer than 5"
    # Neglect's total (15) minus 12 would give the 3 back: 12 is hidden; then Autumn's total (12) minus 9 would
    # give it back: 9 is hidden; then Spring's total (18) minus 6 would give the 12 back: 6 is hidden too.
    assert table["Neglect"]["Spring"] == table["Online"]["Autumn"] == table["Online"]["Spring"] == "hidden"
    assert (table["Neglect"]["Total"], table["Online"]["Total"]) == ("15", "15")
    assert (table["Total"]["Autumn"], table["Total"]["Spring"], table["Total"]["Total"]) == ("12", "18", "30")


def test_zeros_and_large_counts_show():
    table = rules.suppress_small_counts({"Neglect": {"Autumn": 7}}, rows=["Neglect", "Online"], columns=["Autumn"])
    assert table["Neglect"]["Autumn"] == "7"
    assert table["Online"]["Autumn"] == "0"


def test_a_small_total_is_suppressed():
    table = rules.suppress_small_counts({"Neglect": {"Autumn": 2}}, rows=["Neglect"], columns=["Autumn"])
    assert table["Total"]["Total"] == "fewer than 5"
    assert table["Neglect"]["Total"] == "fewer than 5"
