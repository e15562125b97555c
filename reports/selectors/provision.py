"""Provision for governors: hours and spend by area of need and by wave, against the notional SEN budget for
the financial year, and the impact of each provision, named by its title only.

Money and hours are not counts of children and are shown as they are. Every count (places, pupils, pupils
with scores) goes through send_mis.suppression; a mean change or a share improved over fewer than 5 pupils is
not shown. No pupil, group lead or group is named: the provision's catalogue name is the finest label.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from provision import impact
from provision import selectors_maps as maps
from provision.models_maps import SenBudget, Wave
from pupils.models import BroadArea, School
from send_mis.suppression import THRESHOLD, Group, suppress_alone, suppress_counts

from .. import charts
from ..periods import Period
from .tables import Row, Section, Table
from .tables import day_text as _day

WAVES = list(Wave)
WAVE_SHORT: dict[int, str] = {Wave.ONE: "Wave 1", Wave.TWO: "Wave 2", Wave.THREE: "Wave 3"}


def money(amount: Decimal) -> str:
    """Whole pounds, as a governor reads a budget: £12,346."""
    return f"£{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def hours(minutes: int) -> str:
    return f"{(Decimal(minutes) / 60).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def share(part: Decimal, whole: Decimal) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _signed(value: Decimal) -> str:
    """+4.5, -1.0, and 0.0 without a sign (a mean of -0.04 rounds to 0.0, not -0.0)."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def financial_year_of(day: date) -> maps.Period:
    return maps.Period.financial_year(day)


def _spend_table(
    key: str, caption: str, heading: str, rows: list[tuple[str, maps.SpendCell]], total: maps.SpendCell
) -> Table:
    return Table(
        key,
        caption,
        [heading, "Hours delivered", "Staff cost", "Other costs", "Spend", "Share of spend"],
        [
            Row(
                label,
                [
                    hours(cell.minutes),
                    money(cell.staff_cost),
                    money(cell.other_cost),
                    money(cell.spend),
                    share(cell.spend, total.spend),
                ],
            )
            for label, cell in rows
        ],
        Row(
            "All provision",
            [hours(total.minutes), money(total.staff_cost), money(total.other_cost), money(total.spend), "100.0%"]
            if total.spend
            else [hours(total.minutes), money(total.staff_cost), money(total.other_cost), money(total.spend), "–"],
        ),
    )


def _places_table(spend: maps.ProvisionSpend, label: str) -> Table:
    """Places by area of need and wave, with every row, column and the whole as visible sums."""
    counts: dict[Hashable, int] = {}
    groups: list[Group] = []
    for area in BroadArea:
        for wave in WAVES:
            counts[(area.value, wave.value)] = spend.cell(area.value, wave.value).places
        counts[(area.value, "all")] = sum(counts[(area.value, w.value)] for w in WAVES)
        groups.append(((area.value, "all"), [(area.value, w.value) for w in WAVES]))
    for wave in WAVES:
        counts[("all", wave.value)] = sum(counts[(a.value, wave.value)] for a in BroadArea)
        groups.append((("all", wave.value), [(a.value, wave.value) for a in BroadArea]))
    counts[("all", "all")] = sum(counts[("all", w.value)] for w in WAVES)
    groups.append((("all", "all"), [("all", w.value) for w in WAVES]))
    groups.append((("all", "all"), [(a.value, "all") for a in BroadArea]))
    shown = suppress_counts(counts, groups)
    columns = [*(w.value for w in WAVES), "all"]
    return Table(
        "provision-places",
        f"Places in provision by area of need and wave, {label}",
        ["Area of need", *(WAVE_SHORT[w] for w in WAVES), "All waves"],
        [Row(area.label, [shown[(area.value, c)].text for c in columns]) for area in BroadArea],
        Row("All areas", [shown[("all", c)].text for c in columns]),
        note=f"A place is one pupil in one provision group; a pupil in two groups holds two places. "
        f"Pupils receiving any provision: {suppress_alone(spend.pupils).text}.",
    )


def _budget_table(
    budget: SenBudget | None, year: maps.Period, spent: maps.SpendCell, to: date
) -> tuple[Table, dict[str, str], charts.Chart | None]:
    label = f"{year.starts_on.year} to {year.starts_on.year + 1}"
    caption = f"Spend against the notional SEN budget, financial year {label} (1 April to 31 March)"
    columns = ["Budget or spend", "Amount"]
    spent_row = Row(f"Spent on provision from 1 April {year.starts_on.year} to {_day(to)}", [money(spent.spend)])
    if budget is None:
        table = Table(
            "provision-budget",
            caption,
            columns,
            [spent_row],
            note=f"No notional SEN budget is entered for {label}: the head enters it on the provision map's budget "
            "page.",
        )
        return table, {"budget": "not entered", "budget_spent_percent": "–"}, None
    whole = budget.notional_budget + budget.top_up_funding
    remaining = whole - spent.spend
    table = Table(
        "provision-budget",
        caption,
        columns,
        [
            Row("Notional SEN budget (element 2)", [money(budget.notional_budget)]),
            Row("High-needs top-up funding (element 3)", [money(budget.top_up_funding)]),
            Row("Budget in all", [money(whole)], is_subtotal=True),
            spent_row,
            Row("Remaining" if remaining >= 0 else "Overspent", [money(abs(remaining))]),
            Row("Share of the budget spent", [share(spent.spend, whole)]),
        ],
        note="Spend is the staff cost of the sessions delivered (each at the staff rate on its day, with on-costs) "
        "and the other costs of the groups started in the year.",
    )
    chart = charts.bar_chart(
        key="provision-budget",
        title=f"Spend against the SEN budget, financial year {label}",
        description=f"The notional SEN budget with top-up funding ({money(whole)}) and the spend on provision so "
        f"far ({money(spent.spend)}, {share(spent.spend, whole)}); the table below gives the same figures.",
        categories=["Budget (element 2 and top-up)", "Spent on provision so far"],
        series=[charts.Series("Pounds", [float(whole), float(spent.spend)], [money(whole), money(spent.spend)])],
        prefix="£",
        whole_numbers=True,
    )
    return table, {"budget": money(whole), "budget_spent_percent": share(spent.spend, whole)}, chart


def _impact_table(rows: list[maps.ImpactRow], label: str) -> Table:
    table_rows = []
    for row in rows:
        provision = row.provision
        scored = row.summary.pupils
        enough = scored >= THRESHOLD
        mean = _signed(row.summary.mean_change) if enough and row.summary.mean_change is not None else None
        improved = f"{row.summary.percent_improved}%" if enough and row.summary.percent_improved is not None else None
        small = "fewer than 5 pupils" if scored else "–"
        effect = f"{row.effect.g:+.2f}" if row.effect is not None and row.effect.g is not None else "–"
        table_rows.append(
            Row(
                row.label,
                [
                    provision.get_broad_area_display() if provision else "",
                    WAVE_SHORT.get(provision.wave, "") if provision else "",
                    suppress_alone(row.pupils_allocated).text,
                    suppress_alone(scored).text,
                    mean or small,
                    improved or small,
                    effect,
                    money(row.cost_per_pupil) if row.cost_per_pupil is not None else "–",
                ],
            )
        )
    return Table(
        "provision-impact",
        f"Impact of each provision, {label}",
        [
            "Provision",
            "Area of need",
            "Wave",
            "Pupils",
            "Pupils scored",
            "Mean change",
            "Improved",
            "Effect size (g)",
            "Cost per pupil",
        ],
        table_rows,
        note="Each provision is named by its catalogue title only. Pupils: those with a place in the period; "
        "pupils scored: those with entry and exit scores. Mean change is on the provision's own measure; improved "
        "is the share of the pupils scored whose score rose; cost per pupil is the cost of the groups' whole runs. "
        'Counts from 1 to 4 are shown as "fewer than 5", and a mean or share over fewer than 5 pupils is not '
        "shown. " + impact.METHOD,
    )


def provision_section(school: School, period: Period, *, today: date) -> Section:
    """Provision map figures for governors: hours and spend by area of need and by wave in the period, places by
    area and wave, spend against the notional SEN budget of the financial year the period ends in (or today's),
    and the impact table with provisions named by their title only. Eleven to fourteen queries, none per pupil,
    group or provision."""
    end = min(period.ends_on, today)
    window = maps.Period(period.starts_on, end)
    spend = maps.provision_spend(school, period=window)
    year = financial_year_of(end)
    year_spend = maps.provision_spend(school, period=maps.Period(year.starts_on, min(year.ends_on, today)))
    budget = maps.sen_budget(school, year.starts_on.year)
    impact_rows = maps.impact_table(school, period=window, by="provision")
    if not spend.cells and not impact_rows and budget is None:
        return Section(
            "Provision and its cost",
            available=False,
            message=f"No provision is recorded for {period.label}: hours, spend against the notional SEN budget and "
            "the impact of each provision appear here once the school runs provision groups in send-mis.",
        )
    total = spend.total
    by_area = [(area.label, _sum_cells(spend, [(area.value, w.value) for w in WAVES])) for area in BroadArea]
    by_wave = [(wave.label, _sum_cells(spend, [(a.value, wave.value) for a in BroadArea])) for wave in WAVES]
    area_table = _spend_table(
        "provision-areas", f"Hours and spend by area of need, {period.label}", "Area of need", by_area, total
    )
    wave_table = _spend_table("provision-waves", f"Hours and spend by wave, {period.label}", "Wave", by_wave, total)
    if spend.uncosted_sessions:
        area_table.note = wave_table.note = (
            f"{spend.uncosted_sessions} sessions were delivered with no staff rate set for their day, so their "
            "staff cost is missing here."
        )
    budget_table, budget_headline, budget_chart = _budget_table(
        budget, year, year_spend.total, min(year.ends_on, today)
    )
    spend_chart = charts.bar_chart(
        key="provision-spend",
        title=f"Spend on provision by area of need, {period.label}",
        description="Spend on provision (staff cost and other costs) by area of need: solid bars for this period; "
        "the table below gives the same figures with hours and the split by wave.",
        categories=[label for label, _cell in by_area],
        series=[
            charts.Series(
                "Spend",
                [float(cell.spend) for _label, cell in by_area],
                [money(cell.spend) for _label, cell in by_area],
            )
        ],
        prefix="£",
        whole_numbers=True,
    )
    wave_chart = charts.bar_chart(
        key="provision-hours",
        title=f"Hours of provision delivered by wave, {period.label}",
        description="Hours of provision sessions delivered, by wave; the table below gives the same figures with "
        "their cost.",
        categories=[WAVE_SHORT[w] for w in WAVES],
        series=[
            charts.Series(
                "Hours delivered",
                [float(Decimal(cell.minutes) / 60) for _label, cell in by_wave],
                [hours(cell.minutes) for _label, cell in by_wave],
            )
        ],
        label_width=120,
        whole_numbers=True,
    )
    headline = {
        "hours": hours(total.minutes),
        "spend": money(total.spend),
        "pupils": suppress_alone(spend.pupils).text,
        "provisions": str(len(impact_rows)),
        **budget_headline,
        "budget_spent": money(year_spend.total.spend),
    }
    return Section(
        "Provision and its cost",
        available=True,
        tables=[
            area_table,
            wave_table,
            _places_table(spend, period.label),
            budget_table,
            _impact_table(impact_rows, period.label),
        ],
        charts=[spend_chart, wave_chart, *([budget_chart] if budget_chart else [])],
        headline=headline,
    )


def _sum_cells(spend: maps.ProvisionSpend, keys: list[tuple[str, int]]) -> maps.SpendCell:
    cells = [spend.cell(*key) for key in keys]
    return maps.SpendCell(
        sum(c.minutes for c in cells),
        sum((c.staff_cost for c in cells), Decimal(0)),
        sum((c.other_cost for c in cells), Decimal(0)),
        sum(c.places for c in cells),
    )
