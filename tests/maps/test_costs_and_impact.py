"""The pure cost and impact rules, table-tested with worked figures (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from provision import costs, impact

HLTA = costs.Rate("hlta", date(2026, 9, 1), D("14.50"), D("1.30"))  # 18.85 an hour with on-costs
HLTA_APRIL = costs.Rate("hlta", date(2027, 4, 1), D("15.00"), D("1.30"))  # 19.50 an hour
TEACHER = costs.Rate("teacher", date(2026, 9, 1), D("40.00"), D("1.25"))  # 50.00 an hour


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2026, 8, 31), None),  # before any rate started
        (date(2026, 9, 1), HLTA),  # the day a rate starts
        (date(2027, 3, 31), HLTA),  # the last day before the new rate
        (date(2027, 4, 1), HLTA_APRIL),  # a new rate never re-prices the past, but applies from its day
    ],
)
def test_the_rate_on_a_day_is_the_latest_started_on_or_before_it(on, expected):
    assert costs.rate_on([HLTA_APRIL, TEACHER, HLTA], "hlta", on) == expected


@pytest.mark.parametrize(
    "minutes, rate, expected",
    [
        (30, HLTA, D("9.43")),  # 0.5 h x 18.85 = 9.425, half up to 9.43
        (20, HLTA, D("6.28")),  # 1/3 h x 18.85 = 6.2833
        (60, TEACHER, D("50.00")),
        (45, HLTA_APRIL, D("14.63")),  # 0.75 x 19.50 = 14.625 -> 14.63
        (30, None, None),  # no rate yet: not costed, never zero
    ],
)
def test_a_session_costs_its_minutes_at_the_loaded_hourly_rate_to_the_penny(minutes, rate, expected):
    assert costs.session_cost(minutes=minutes, rate=rate) == expected


@pytest.mark.parametrize(
    "sessions, non_hour, expected",
    [
        ([(D("9.43"), 4)] * 12, D("0"), D("28.29")),  # 12 x 9.43 / 4 = 28.29
        ([(D("9.43"), 3)] * 3, D("0"), D("9.43")),  # shares of a third, rounded once: never 9.42
        ([(D("9.43"), 4)] * 12, D("30"), D("58.29")),  # plus a quarter of 120.00 non-hour costs
        ([(D("10.00"), 0)], D("0"), D("0.00")),  # nobody present: the pupil carries nothing
        ([(D("50.00"), 1)] * 5, D("0"), D("250.00")),  # 1:1: the pupil carries the whole session
    ],
)
def test_a_pupils_delivered_cost_is_their_shares_of_sessions_attended(sessions, non_hour, expected):
    assert costs.pupil_delivered_cost(sessions, non_hour_share=non_hour) == expected


@pytest.mark.parametrize(
    "minutes, per_week, weeks, size, rate, non_hour, expected",
    [
        (30, 3, 12, 4, HLTA, D("120"), D("114.83")),  # 18 h x 18.85 = 339.30 / 4 = 84.825 + 30 = 114.825
        (60, 5, 38, 1, TEACHER, D("0"), D("9500.00")),  # 190 h x 50.00 for one pupil
        (20, 2, 10, 6, HLTA, D("0"), D("20.94")),  # 6.667 h x 18.85 / 6 = 20.944
        (30, 3, 12, 4, None, D("0"), None),
    ],
)
def test_planned_cost_per_pupil_follows_the_la_formula(minutes, per_week, weeks, size, rate, non_hour, expected):
    assert (
        costs.planned_cost_per_pupil(
            session_minutes=minutes,
            sessions_per_week=per_week,
            weeks=weeks,
            group_size=size,
            rate=rate,
            non_hour_cost=non_hour,
        )
        == expected
    )


def test_minutes_per_pupil_per_week_divide_staff_time_by_the_group():
    assert costs.minutes_per_pupil_per_week(session_minutes=30, sessions_per_week=3, group_size=4) == D("22.5")


@pytest.mark.parametrize(
    "cost, expected",
    [
        (D("5099.99"), costs.Meter.BELOW),
        (D("5100.00"), costs.Meter.NEAR),  # 85% of 6,000
        (D("5999.99"), costs.Meter.NEAR),
        (D("6000.00"), costs.Meter.ABOVE),  # at the threshold counts as reaching it
        (D("9500.00"), costs.Meter.ABOVE),
    ],
)
def test_the_element2_meter_against_the_threshold(cost, expected):
    assert costs.element2_meter(cost, threshold=D("6000"), near_share=D("0.85")) == expected


def test_the_meter_fill_is_capped_at_a_hundred_percent():
    assert costs.meter_percent(D("3000"), D("6000")) == 50
    assert costs.meter_percent(D("9500"), D("6000")) == 100


# --- Impact ------------------------------------------------------------------------------------------


def test_months_between_counts_a_month_as_a_twelfth_of_a_year():
    # 91 days / 30.4375 = 2.99 -> 3.0
    assert impact.months_between(date(2026, 9, 7), date(2026, 12, 7)) == D("3.0")


@pytest.mark.parametrize(
    "entry, exit_, elapsed, ratio, band",
    [
        (D("84"), D("90"), D("3.0"), D("2.00"), impact.RatioBand.SUBSTANTIAL),  # 6 months in 3
        (D("84"), D("88"), D("3.0"), D("1.33"), impact.RatioBand.MODEST),
        (D("84"), D("91"), D("5.0"), D("1.40"), impact.RatioBand.USEFUL),  # exactly 1.4 is useful
        (D("84"), D("93"), D("3.0"), D("3.00"), impact.RatioBand.SUBSTANTIAL),  # exactly 3 is substantial
        (D("84"), D("94"), D("3.0"), D("3.33"), impact.RatioBand.REMARKABLE),
    ],
)
def test_ratio_gain_is_months_gained_over_months_elapsed_in_brooks_bands(entry, exit_, elapsed, ratio, band):
    gain = impact.ratio_gain(entry_months=entry, exit_months=exit_, months_elapsed=elapsed)
    assert gain == ratio
    assert impact.ratio_band(gain) == band


def test_no_ratio_gain_when_no_time_has_passed():
    assert impact.ratio_gain(entry_months=D("84"), exit_months=D("90"), months_elapsed=D("0")) is None


@pytest.mark.parametrize(
    "changes, pupils, mean, percent",
    [
        ([D(5), D(-2), D(0), D(3)], 4, D("1.5"), 50),  # a change of 0 is not an improvement
        ([D(1), D(2), D(2)], 3, D("1.7"), 100),
        ([], 0, None, None),
    ],
)
def test_a_summary_gives_mean_change_and_share_improved(changes, pupils, mean, percent):
    assert impact.summarise(changes) == impact.Summary(pupils, mean, percent)


def test_hedges_g_matches_a_hand_calculation():
    # Treated changes 2, 4, ..., 20: mean 11, sample variance 330 / 9 = 36.667.
    # Comparison changes -1, 1, ..., 17: mean 8, the same variance. Pooled SD = sqrt(36.667) = 6.0553.
    # d = (11 - 8) / 6.0553 = 0.49543; J = 1 - 3 / (4 x 20 - 9) = 0.95775; g = 0.47450 -> 0.47.
    treated = [D(x) for x in range(2, 21, 2)]
    comparison = [x - 3 for x in treated]
    effect = impact.hedges_g(treated, comparison)
    assert effect == impact.EffectSize(0.47, 10, 10)


def test_hedges_g_is_negative_when_recipients_gain_less():
    treated = [D(x) for x in range(2, 21, 2)]
    assert impact.hedges_g(treated, [x + 3 for x in treated]).g == -0.47


@pytest.mark.parametrize(
    "n_treated, n_comparison, reason",
    [
        (9, 30, "9 pupils with entry and exit scores; an effect size needs 10."),
        (12, 4, "4 comparison pupils in the same baseline band; an effect size needs 10."),
    ],
)
def test_too_few_pupils_give_no_effect_size_and_say_why(n_treated, n_comparison, reason):
    effect = impact.hedges_g([D(i) for i in range(n_treated)], [D(i) for i in range(n_comparison)])
    assert effect.g is None
    assert effect.reason == reason


def test_no_spread_gives_no_effect_size():
    effect = impact.hedges_g([D(3)] * 10, [D(3)] * 10)
    assert effect.g is None and "no spread" in effect.reason


def test_comparison_pupils_come_from_the_recipients_baseline_bands():
    # Width 5: recipients started at 82 (band 16) and 86 (band 17); 80 and 89.9 share those bands, 90 does not.
    candidates = [(D("80"), D("1")), (D("89.9"), D("2")), (D("90"), D("3")), (D("79.9"), D("4"))]
    assert impact.same_band_changes([D("82"), D("86")], candidates, width=D("5")) == [D("1"), D("2")]
