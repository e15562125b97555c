"""The register as governors see it: the trend over terms from the dated register history, broad areas and
primary needs, year groups and the national figures, every count through one suppression."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from pupils.models import BroadArea, NeedType, Pupil, RegisterEntry, School, YearGroup
from send_mis.suppression import Shown, percent, suppress_counts

from .. import charts
from ..models import NationalFigure, NationalMeasure
from ..periods import Period, terms_up_to
from .tables import REPORTED, Row, Table, on_register_q, on_roll_q
from .tables import day_text as _day

TREND_TERMS = 9  # three years of terms; the issue asks for at least six


@dataclass
class TrendPoint:
    term: Period
    day: date
    roll: int
    counts: dict[str, int]  # status -> pupils on that day


def register_trend(school: School, terms: Sequence[Period], *, today: date) -> list[TrendPoint]:
    """Pupils on roll, on SEN support and with an EHC plan on each term's census day (or today, for a term
    whose census day is still ahead). Two queries, whatever the number of terms or pupils."""
    days = [term.snapshot_day(today) for term in terms]
    pupils = Pupil.objects.filter(school=school)
    roll = pupils.aggregate(**{f"d{i}": Count("pk", filter=on_roll_q(day)) for i, day in enumerate(days)})
    entries = RegisterEntry.objects.filter(pupil__school=school, status__in=REPORTED)
    aggregates = {}
    for i, day in enumerate(days):
        for status in REPORTED:
            aggregates[f"d{i}_{status}"] = Count(
                "pk", filter=on_register_q(day) & on_roll_q(day, "pupil__") & Q(status=status)
            )
    counts = entries.aggregate(**aggregates)
    return [
        TrendPoint(term, day, roll[f"d{i}"], {s: counts[f"d{i}_{s}"] for s in REPORTED})
        for i, (term, day) in enumerate(zip(terms, days, strict=True))
    ]


@dataclass
class RegisterFigures:
    day: date
    roll: int
    shown: dict[Hashable, Shown]
    groups: list[tuple[Hashable, list[Hashable]]]  # every sum the pages show, for send_mis.suppression.revealed
    tables: list[Table]
    charts: list[charts.Chart]
    headline: dict[str, str]
    national: list[NationalFigure]


def _status_columns() -> list[str]:
    return ["SEN support", "EHC plan", "All with SEN"]


def register_figures(school: School, period: Period, *, today: date) -> RegisterFigures:
    """The register as governors see it: headline numbers and % of roll, the trend over TREND_TERMS terms,
    broad areas and primary needs, year groups, and the national figures. Every count sits in one
    suppression together with every sum the pages show, so a number shown twice is hidden alike in both."""
    last_term = period.last_term(today)
    terms = terms_up_to(last_term, TREND_TERMS)
    trend = register_trend(school, terms, today=today)
    now = trend[-1]
    day = now.day
    on_day = RegisterEntry.objects.filter(
        on_register_q(day), on_roll_q(day, "pupil__"), pupil__school=school, status__in=REPORTED
    )
    by_need = {
        (need, status): n for need, status, n in on_day.values_list("primary_need_id", "status").annotate(n=Count("pk"))
    }
    by_year = {
        (year, status): n
        for year, status, n in on_day.values_list("pupil__year_group", "status").annotate(n=Count("pk"))
    }
    roll_by_year = dict(
        Pupil.objects.filter(on_roll_q(day), school=school).values_list("year_group").annotate(n=Count("pk"))
    )
    needs = list(NeedType.objects.all())
    years = sorted(set(roll_by_year) | {year for year, _ in by_year})

    counts: dict[Hashable, int] = {}
    groups: list[tuple[Hashable, list[Hashable]]] = []
    statuses = [*REPORTED, "all"]

    def add_line(prefix: tuple) -> None:
        k, e = counts[(*prefix, "K")], counts[(*prefix, "E")]
        counts[(*prefix, "all")] = k + e
        groups.append(((*prefix, "all"), [(*prefix, "K"), (*prefix, "E")]))

    for need in needs:
        for status in REPORTED:
            counts[("need", need.code, status)] = by_need.get((need.code, status), 0)
        add_line(("need", need.code))
    for area in BroadArea:
        members = [n.code for n in needs if n.broad_area == area]
        for status in statuses:
            counts[("area", area.value, status)] = sum(counts[("need", code, status)] for code in members)
            groups.append((("area", area.value, status), [("need", code, status) for code in members]))
        groups.append((("area", area.value, "all"), [("area", area.value, "K"), ("area", area.value, "E")]))
    for year in years:
        for status in REPORTED:
            counts[("year", year, status)] = by_year.get((year, status), 0)
        add_line(("year", year))
    for point in trend[:-1]:
        # Earlier terms are shown as K and E alone (no total beside them), so they sit in no visible sum.
        for status in REPORTED:
            counts[("term", point.term.slug, status)] = point.counts[status]
    for status in statuses:
        counts[("all", status)] = sum(counts[("area", a.value, status)] for a in BroadArea)
        groups.append((("all", status), [("area", a.value, status) for a in BroadArea]))
        groups.append((("all", status), [("need", n.code, status) for n in needs]))
        groups.append((("all", status), [("year", y, status) for y in years]))
    groups.append((("all", "all"), [("all", "K"), ("all", "E")]))
    shown = suppress_counts(counts, groups)

    def trend_key(point: TrendPoint, status: str) -> tuple:
        return ("all", status) if point is now else ("term", point.term.slug, status)

    national = national_figures_for(day)
    headline = {
        "roll": str(now.roll),
        "sen_support": shown[("all", "K")].text,
        "sen_support_percent": percent(shown[("all", "K")], now.roll),
        "ehc_plan": shown[("all", "E")].text,
        "ehc_plan_percent": percent(shown[("all", "E")], now.roll),
        "all": shown[("all", "all")].text,
        "all_percent": percent(shown[("all", "all")], now.roll),
    }

    trend_table = Table(
        "register-trend",
        "Pupils with SEN on each term's census day",
        ["Term", "Counted on", "Pupils on roll", "SEN support", "% of roll", "EHC plan", "% of roll"],
        [
            Row(
                point.term.label,
                [
                    _day(point.day),
                    str(point.roll),
                    shown[trend_key(point, "K")].text,
                    percent(shown[trend_key(point, "K")], point.roll),
                    shown[trend_key(point, "E")].text,
                    percent(shown[trend_key(point, "E")], point.roll),
                ],
            )
            for point in trend
        ],
    )
    need_rows = []
    for area in BroadArea:
        need_rows.append(Row(area.label, [shown[("area", area.value, s)].text for s in statuses], is_subtotal=True))
        need_rows += [
            Row(f"{need.name} ({need.code})", [shown[("need", need.code, s)].text for s in statuses])
            for need in needs
            if need.broad_area == area
        ]
    need_table = Table(
        "register-needs",
        f"Broad area and primary need on {_day(day)}",
        ["Broad area or primary need", *_status_columns()],
        need_rows,
        Row("All pupils with SEN", [shown[("all", s)].text for s in statuses]),
    )
    year_table = Table(
        "register-years",
        f"Year groups on {_day(day)} (each pupil's year group as recorded now)",
        ["Year group", "Pupils on roll", *_status_columns(), "% of roll with SEN"],
        [
            Row(
                YearGroup(year).label,
                [
                    str(roll_by_year.get(year, 0)),
                    *[shown[("year", year, s)].text for s in statuses],
                    percent(shown[("year", year, "all")], roll_by_year.get(year, 0)),
                ],
            )
            for year in years
        ],
        Row("All year groups", [str(now.roll), *[shown[("all", s)].text for s in statuses], headline["all_percent"]]),
    )
    national_table = Table(
        "register-national",
        "This school against England (all schools, DfE January census)",
        ["Measure", "This school", "England", "England figures from"],
        [
            Row("SEN support, % of pupils", [headline["sen_support_percent"], *_national(national, "sen_support")]),
            Row("EHC plan, % of pupils", [headline["ehc_plan_percent"], *_national(national, "ehc_plan")]),
        ],
        note="England figures are entered by the head from the DfE's publication 'Special educational needs in "
        "England'; each is the January census of the year shown.",
    )

    def value(s: Shown, roll: int) -> float | None:
        return None if s.is_suppressed or not roll else round(100 * s.value / roll, 1)

    trend_chart = charts.line_chart(
        key="trend",
        title="Pupils with SEN as a percentage of the roll, by term",
        description="SEN support (solid line, round markers) and EHC plans (dashed line, square markers) on each "
        "term's census day; the table below gives the same figures.",
        x_labels=[
            f"{p.term.season[:3].title()} {str(p.term.academic_year)[2:]}/{str(p.term.academic_year + 1)[2:]}"
            for p in trend
        ],
        series=[
            charts.Series(
                label,
                [value(shown[trend_key(p, status)], p.roll) for p in trend],
                [percent(shown[trend_key(p, status)], p.roll) for p in trend],
            )
            for label, status in (("SEN support", "K"), ("EHC plan", "E"))
        ],
        suffix="%",
    )
    # One series: in a school of a few hundred pupils the EHC plans in an area are nearly always 1 to 4, so a
    # split by status would be hidden area by area; the table below the chart gives the split where it may.
    area_chart = charts.bar_chart(
        key="areas",
        title=f"Pupils with SEN by broad area of need, {_day(day)}",
        description="Pupils on SEN support or with an EHC plan, by the broad area of their primary need; the "
        "table below gives the same figures, with SEN support and EHC plans apart.",
        categories=[area.label for area in BroadArea],
        series=[
            charts.Series(
                "All pupils with SEN",
                [shown[("area", a.value, "all")].value for a in BroadArea],
                [shown[("area", a.value, "all")].text for a in BroadArea],
            )
        ],
        whole_numbers=True,
    )
    return RegisterFigures(
        day=day,
        roll=now.roll,
        shown=shown,
        groups=groups,
        tables=[trend_table, national_table, need_table, year_table],
        charts=[trend_chart, area_chart],
        headline=headline,
        national=national,
    )


def _national(national: list[NationalFigure], measure: str) -> list[str]:
    figure = next((f for f in national if f.measure == measure), None)
    if figure is None:
        return ["not entered yet", "–"]
    return [f"{figure.percent}%", f"January {figure.census_year}"]


def national_figures_for(day: date) -> list[NationalFigure]:
    """The latest national figure of each measure from a census no later than `day`'s year."""
    latest: dict[str, NationalFigure] = {}
    for figure in NationalFigure.objects.filter(census_year__lte=day.year).order_by("-census_year"):
        latest.setdefault(figure.measure, figure)
    return [latest[m] for m in NationalMeasure.values if m in latest]
