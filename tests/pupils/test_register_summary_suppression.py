"""The governors' register summary goes through the school's one suppression rule (send_mis.suppression): the
statuses, the broad areas, the needs and the year groups are sums of one another, so hiding the counts from 1 to
4 alone would leak. A hand-made table, no database."""

from __future__ import annotations

from pupils.selectors import RegisterCounts, Tally, anonymised

STATUSES = [("M", "Monitoring"), ("K", "SEN support"), ("E", "EHC plan")]


def _counts() -> RegisterCounts:
    # 3 on SEN support and 10 with EHC plans (13: 8 in communication and interaction, 5 in cognition and
    # learning); 2 monitored. Year 1: K 3, E 5; year 2: M 2, E 5.
    return RegisterCounts(
        by_status=[Tally("M", "Monitoring", 2), Tally("K", "SEN support", 3), Tally("E", "EHC plan", 10)],
        by_area=[
            Tally("ci", "Communication and interaction", 8),
            Tally("cl", "Cognition and learning", 5),
            Tally("semh", "Social, emotional and mental health", 0),
        ],
        by_need=[Tally("SLCN", "Speech, language and communication needs", 8), Tally("MLD", "Moderate", 5)],
        by_year=[
            {"year": 1, "label": "Year 1", "counts": [("M", 0), ("K", 3), ("E", 5)], "total": 8},
            {"year": 2, "label": "Year 2", "counts": [("M", 2), ("K", 0), ("E", 5)], "total": 7},
        ],
        statuses=STATUSES,
        total_on_roll=120,
    )


def test_naive_suppression_would_leak_and_the_one_rule_does_not():
    shown = anonymised(_counts())

    # Naively, SEN support's 3 would be hidden but the areas' 13 minus the EHC plans' 10 gives it back: the 10
    # is hidden too. Then the EHC plans' column by year (hidden total, 5 and 5) would give the 10 back from the
    # areas: the first 5 is hidden as well.
    assert shown.by_status == [("Monitoring", "fewer than 5"), ("SEN support", "fewer than 5"), ("EHC plan", "hidden")]
    assert shown.by_year == [("Year 1", ["0", "fewer than 5", "hidden"]), ("Year 2", ["fewer than 5", "0", "5"])]
    assert [text for _label, text in shown.by_area] == ["8", "5", "0"]
    assert shown.total_on_roll == "120"


def test_nothing_small_means_nothing_hidden():
    counts = _counts()
    counts.by_status[0:2] = [Tally("M", "Monitoring", 0), Tally("K", "SEN support", 0)]
    counts.by_area[:] = [Tally("ci", "Communication and interaction", 5), Tally("cl", "Cognition and learning", 5)]
    counts.by_need[:] = [Tally("SLCN", "Speech", 5), Tally("MLD", "Moderate", 5)]
    counts.by_year[:] = [
        {"year": 1, "label": "Year 1", "counts": [("M", 0), ("K", 0), ("E", 5)], "total": 5},
        {"year": 2, "label": "Year 2", "counts": [("M", 0), ("K", 0), ("E", 5)], "total": 5},
    ]
    shown = anonymised(counts)
    assert shown.by_status == [("Monitoring", "0"), ("SEN support", "0"), ("EHC plan", "10")]
    assert shown.by_year == [("Year 1", ["0", "0", "5"]), ("Year 2", ["0", "0", "5"])]
