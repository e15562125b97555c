"""Whether provision works: pure impact arithmetic, no database and no clock.

* A pupil's **change** is their exit score minus their entry score on the provision's measure.
* For reading and spelling ages (months), the **ratio gain** is the months gained divided by the months elapsed
  between the two tests (Brooks): under 1.4 modest, 1.4 to under 2 useful, 2 to 3 substantial, over 3
  remarkable. Age-equivalent scores are coarse (GL Assessment warns against tracking progress with them), so
  the ratio gain is shown beside the change, never instead of a standardised score.
* Per provision (or need, lead, term): the number of pupils with both scores, the **mean change**, and the
  **share who improved** (change above zero).
* The **effect size** is Hedges' g, as the Education Endowment Foundation reports it: the difference between
  the mean change of the pupils who received the provision and the mean change of comparison pupils, divided by
  the pooled standard deviation, times the small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9). Comparison
  pupils did not receive the provision and started in the same baseline band (the school's band width on its
  progress scale) as at least one recipient. With fewer than MIN_PUPILS in either group, or no spread in the
  changes, no effect size is given and the reason is.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MIN_PUPILS = 10
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12

METHOD = (
    "Change is the exit score minus the entry score on the provision's measure. Improved means a change above "
    "zero. For reading and spelling ages the ratio gain is months gained divided by months elapsed (under 1.4 "
    "modest, 1.4 to 2 useful, 2 to 3 substantial, over 3 remarkable). The effect size is Hedges' g: the mean "
    "change of the pupils who received the provision minus the mean change of pupils who did not receive it and "
    "started in the same baseline band, divided by the pooled standard deviation of the changes, times the "
    f"small-sample correction 1 - 3 / (4(n1 + n2) - 9). It is given only when each group has at least {MIN_PUPILS} "
    "pupils; around 0.2 is small, 0.5 medium and 0.8 large. Pupils were not randomly allocated, so an effect "
    "size is evidence to weigh, not proof."
)


def change(entry: Decimal, exit_: Decimal) -> Decimal:
    """Exit minus entry on the same scale."""
    return exit_ - entry


def months_between(start: date, end: date) -> Decimal:
    """Months elapsed between two dates, counting a month as 365.25 / 12 days, to one decimal place."""
    return (Decimal((end - start).days) / DAYS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class RatioBand(enum.StrEnum):
    MODEST = "modest"
    USEFUL = "useful"
    SUBSTANTIAL = "substantial"
    REMARKABLE = "remarkable"


def ratio_gain(*, entry_months: Decimal, exit_months: Decimal, months_elapsed: Decimal) -> Decimal | None:
    """Brooks' ratio gain: months of reading (or spelling) age gained / months elapsed, to two decimal places;
    None when no time has elapsed."""
    if months_elapsed <= 0:
        return None
    return ((exit_months - entry_months) / months_elapsed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio_band(ratio: Decimal) -> RatioBand:
    """Brooks' bands: under 1.4 modest; 1.4 to under 2 useful; 2 to 3 substantial; over 3 remarkable."""
    if ratio < Decimal("1.4"):
        return RatioBand.MODEST
    if ratio < 2:
        return RatioBand.USEFUL
    if ratio <= 3:
        return RatioBand.SUBSTANTIAL
    return RatioBand.REMARKABLE


@dataclass(frozen=True)
class Summary:
    pupils: int
    mean_change: Decimal | None
    percent_improved: int | None


def summarise(changes: Sequence[Decimal]) -> Summary:
    """Pupils with both scores, mean change (to 0.1) and the whole percentage who improved (change above 0)."""
    return summary_of_totals(len(changes), sum(changes, Decimal(0)), sum(1 for c in changes if c > 0))


def summary_of_totals(pupils: int, total_change: Decimal, improved: int) -> Summary:
    """The same summary from totals a database can sum: the number of pupils with both scores, the sum of their
    changes and how many improved. summarise(changes) is this of (len, sum, count above zero)."""
    if not pupils:
        return Summary(0, None, None)
    mean = (total_change / pupils).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    percent = int((Decimal(improved * 100) / pupils).to_integral_value(rounding=ROUND_HALF_UP))
    return Summary(pupils, mean, percent)


@dataclass(frozen=True)
class EffectSize:
    """Hedges' g with the group sizes; `g` is None and `reason` says why when it cannot be given."""

    g: float | None
    treated: int
    comparison: int
    reason: str = ""


@dataclass(frozen=True)
class Moments:
    """What an effect size needs of a list of changes, and what a database can sum exactly: how many, their
    sum and the sum of their squares."""

    n: int
    total: Decimal
    squares: Decimal


def moments(values: Iterable[Decimal]) -> Moments:
    items = [Decimal(v) for v in values]
    return Moments(len(items), sum(items, Decimal(0)), sum((v * v for v in items), Decimal(0)))


def _mean_and_variance(m: Moments) -> tuple[Decimal, Decimal]:
    """Mean and sample variance, (sum of squares - sum^2 / n) / (n - 1), in exact decimal arithmetic."""
    return m.total / m.n, (m.squares - m.total * m.total / m.n) / (m.n - 1)


def hedges_g(treated: Sequence[Decimal], comparison: Sequence[Decimal], *, minimum: int = MIN_PUPILS) -> EffectSize:
    """Hedges' g of the treated group's changes against the comparison group's: (mean1 - mean2) / pooled SD x
    (1 - 3 / (4 (n1 + n2) - 9)), where pooled SD = sqrt(((n1 - 1) s1^2 + (n2 - 1) s2^2) / (n1 + n2 - 2)) and
    s^2 is the sample variance. Rounded to two decimal places. No g below `minimum` pupils in either group."""
    return hedges_g_of_moments(moments(treated), moments(comparison), minimum=minimum)


def hedges_g_of_moments(treated: Moments, comparison: Moments, *, minimum: int = MIN_PUPILS) -> EffectSize:
    """hedges_g from each group's count, sum and sum of squares (what a database sums), with the same result."""
    n1, n2 = treated.n, comparison.n
    if n1 < minimum:
        return EffectSize(None, n1, n2, f"{n1} pupils with entry and exit scores; an effect size needs {minimum}.")
    if n2 < minimum:
        return EffectSize(
            None, n1, n2, f"{n2} comparison pupils in the same baseline band; an effect size needs {minimum}."
        )
    m1, v1 = _mean_and_variance(treated)
    m2, v2 = _mean_and_variance(comparison)
    pooled_variance = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    if pooled_variance <= 0:
        return EffectSize(None, n1, n2, "Every change was the same, so there is no spread to measure against.")
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    return EffectSize(round(float(m1 - m2) / math.sqrt(float(pooled_variance)) * correction, 2), n1, n2)


def baseline_band(score: Decimal, width: Decimal) -> int:
    """The baseline band of a score: bands of `width` points counted from zero (width 5: 85 to 89.9 is 17)."""
    return int(score // width)


def same_band_changes(
    recipient_baselines: Iterable[Decimal], candidates: Iterable[tuple[Decimal, Decimal]], *, width: Decimal
) -> list[Decimal]:
    """The changes of candidate comparison pupils (baseline, change) whose baseline lies in a band where at
    least one recipient started."""
    bands = {baseline_band(b, width) for b in recipient_baselines}
    return [c for baseline, c in candidates if baseline_band(baseline, width) in bands]
