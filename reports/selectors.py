"""Reads for the governors' report: every figure for one school and period, in a fixed number of queries.

Nothing here returns a pupil: only counts, already passed through send_mis.suppression, and the tables and
charts built from them. Register figures are counted on census days from the dated register history (an
entry counts on a day when it started on or before it and had not ended by it, so a change made on a day
counts from that day), for pupils on roll that day.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q

from deadlines.models import Deadline, DeadlineStatus
from ehc import selectors as ehc_selectors
from ehc.kinds import ANNUAL_REVIEW
from ehc.models import AssessmentDecision, EhcAssessment, EhcPlan
from provision.kinds import PLAN_REVIEW
from provision.models import AssessmentPoint, FlagStatus, ProgressFlag, ProgressScore, Subject, TermlyMeeting
from pupils.models import BroadArea, NeedType, Pupil, RegisterEntry, RegisterStatus, School, YearGroup

from . import charts
from .models import NationalFigure, NationalMeasure
from .periods import Period, terms_up_to
from send_mis.suppression import Shown, percent, suppress_alone, suppress_counts, suppress_list

TREND_TERMS = 9  # three years of terms; the issue asks for at least six
REPORTED = (RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN)


# --- Tables as the page, the PDF and the CSV export all show them ------------------------------------------


@dataclass
class Row:
    label: str
    cells: list[str]
    is_subtotal: bool = False


@dataclass
class Table:
    key: str  # the CSV export's name for it
    caption: str
    columns: list[str]  # the first is the row labels' heading
    rows: list[Row]
    foot: Row | None = None
    note: str = ""

    def as_lists(self) -> list[list[str]]:
        return [self.columns] + [[row.label, *row.cells] for row in [*self.rows, *([self.foot] if self.foot else [])]]


@dataclass
class Section:
    """A part of the report fed by an area that may not exist yet: `available` False says so plainly."""

    title: str
    available: bool
    message: str = ""
    tables: list[Table] = field(default_factory=list)


def on_register_q(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def on_roll_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}admitted_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- Register: trend, needs, year groups -----------------------------------------------------------------


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


# --- EHC --------------------------------------------------------------------------------------------------


def deadline_outcomes(school: School, kind: str, period: Period, *, today: date) -> dict[str, int]:
    """Deadlines of one kind falling due in the period (and by today): met on time, met late, and still open
    past their date. Excused ones are left out: the duty fell away."""
    end = min(period.ends_on, today)
    due = Deadline.objects.filter(school=school, kind=kind, due_on__gte=period.starts_on, due_on__lte=end)
    return due.aggregate(
        on_time=Count("pk", filter=Q(status=DeadlineStatus.MET, met_on__lte=F("due_on"))),
        late=Count("pk", filter=Q(status=DeadlineStatus.MET, met_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(status=DeadlineStatus.OPEN, due_on__lt=today)),
    )


def _outcome_table(key: str, caption: str, labels: list[str], outcomes: dict[str, int], what: str) -> Table:
    values = [outcomes["on_time"], outcomes["late"], outcomes["overdue"]]
    cells, total = suppress_list(values)
    rows = [Row(label, [cell.text]) for label, cell in zip(labels, cells, strict=True)]
    rows.append(Row("Held on time, % of those due", [percent(cells[0], total)]))
    return Table(key, caption, [what, "Number"], rows, Row("All due", [total.text]))


def ehc_figures(school: School, period: Period, *, today: date) -> tuple[list[Table], dict[str, str]]:
    """EHC plans held on the snapshot day, needs assessments requested and agreed in the period, annual
    reviews held on time, and the LA's timeliness (ehc.selectors.la_timeliness)."""
    day = period.last_term(today).snapshot_day(today)
    plans_held = (
        EhcPlan.objects.filter(pupil__school=school, issued_on__lte=day)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=day))
        .count()
    )
    end = min(period.ends_on, today)
    assessments = EhcAssessment.objects.filter(pupil__school=school).aggregate(
        requested=Count("pk", filter=Q(requested_on__range=(period.starts_on, end))),
        agreed=Count(
            "pk",
            filter=Q(la_decision=AssessmentDecision.ASSESS, la_decision_on__range=(period.starts_on, end)),
        ),
        refused=Count(
            "pk",
            filter=Q(la_decision=AssessmentDecision.NOT_ASSESS, la_decision_on__range=(period.starts_on, end)),
        ),
    )
    plans_issued = EhcPlan.objects.filter(pupil__school=school, issued_on__range=(period.starts_on, end)).count()
    activity = Table(
        "ehc-activity",
        f"EHC plans and needs assessments, {period.label}",
        ["Measure", "Number"],
        [
            Row(f"EHC plans held on {_day(day)}", [suppress_alone(plans_held).text]),
            Row("Needs assessments requested", [suppress_alone(assessments["requested"]).text]),
            Row("LA agreed to assess", [suppress_alone(assessments["agreed"]).text]),
            Row("LA refused to assess", [suppress_alone(assessments["refused"]).text]),
            Row("New EHC plans issued", [suppress_alone(plans_issued).text]),
        ],
        note="Each figure stands alone (they are not parts of one total), so only numbers from 1 to 4 are hidden.",
    )
    reviews = _outcome_table(
        "ehc-annual-reviews",
        f"Annual reviews due in the period, {period.label}",
        ["Held on time", "Held late", "Overdue, not yet held"],
        deadline_outcomes(school, ANNUAL_REVIEW.key, period, today=today),
        "Annual reviews",
    )
    la_rows = []
    for row in ehc_selectors.la_timeliness(school, today=today):
        la_rows.append(
            Row(
                row.la_name,
                [
                    suppress_alone(row.decisions.on_time).text,
                    suppress_alone(row.decisions.late).text,
                    suppress_alone(row.decisions.outstanding).text,
                    suppress_alone(row.plans.on_time).text,
                    suppress_alone(row.plans.late).text,
                    suppress_alone(row.plans.outstanding).text,
                ],
            )
        )
    la_table = Table(
        "ehc-la-timeliness",
        "The local authority's timeliness (all the school's EHC records to date)",
        [
            "Local authority",
            "Decisions on time",
            "Decisions late",
            "Decisions awaited",
            "Final plans on time",
            "Final plans late",
            "Final plans awaited",
        ],
        la_rows,
        note="" if la_rows else "No LA decisions or plans are recorded yet.",
    )
    return [activity, reviews, la_table], {"plans_held": suppress_alone(plans_held).text}


# --- The graduated approach ---------------------------------------------------------------------------------


def graduated_figures(school: School, period: Period, *, today: date) -> list[Table]:
    """Support plan reviews held on time, termly parent meetings held against those due (three a year, CoP
    6.65), and pupils flagged for less than expected progress in the period and what happened."""
    reviews = _outcome_table(
        "support-plan-reviews",
        f"Support plan reviews due, {period.label}",
        ["Reviewed on time", "Reviewed late", "Overdue, not yet reviewed"],
        deadline_outcomes(school, PLAN_REVIEW.key, period, today=today),
        "Support plan reviews",
    )
    end = min(period.ends_on, today)
    meetings = TermlyMeeting.objects.filter(
        pupil__school=school, due_on__gte=period.starts_on, due_on__lte=end
    ).aggregate(held=Count("pk", filter=Q(meeting__isnull=False)), not_held=Count("pk", filter=Q(meeting__isnull=True)))
    meeting_cells, meeting_total = suppress_list([meetings["held"], meetings["not_held"]])
    meeting_table = Table(
        "parent-meetings",
        f"Termly parent meetings due by {_day(end)} (three a year for each pupil on SEN support)",
        ["Meetings", "Number"],
        [
            Row("Held", [meeting_cells[0].text]),
            Row("Not held", [meeting_cells[1].text]),
            Row("Held, % of those due", [percent(meeting_cells[0], meeting_total)]),
        ],
        Row("Due", [meeting_total.text]),
    )
    flags = ProgressFlag.objects.filter(point__school=school, point__academic_year=period.academic_year)
    if period.season:
        flags = flags.filter(point__season=period.season)
    by_status = dict(flags.values_list("status").annotate(n=Count("pupil", distinct=True)))
    pupils_flagged = flags.values("pupil").distinct().count()
    statuses = [FlagStatus.PLAN_STARTED, FlagStatus.CONCERN_RAISED, FlagStatus.DISMISSED, FlagStatus.OPEN]
    flag_table = Table(
        "progress-flags",
        f"Pupils flagged for less than expected progress, {period.label}, and what happened",
        ["What happened", "Pupils"],
        [Row(status.label, [suppress_alone(by_status.get(status, 0)).text]) for status in statuses],
        Row("Pupils flagged", [suppress_alone(pupils_flagged).text]),
        note="A pupil flagged in several subjects is counted once under each thing that happened, so the rows "
        "can add up to more than the pupils flagged; each figure is hidden on its own when it is from 1 to 4.",
    )
    return [reviews, meeting_table, flag_table]


# --- Progress: SEND against the rest --------------------------------------------------------------------------


@dataclass
class ProgressFigures:
    table: Table
    chart: charts.Chart | None
    start: AssessmentPoint | None
    end: AssessmentPoint | None


def _progress_points(school: School, period: Period, today: date) -> tuple[AssessmentPoint | None, ...]:
    end_day = min(period.ends_on, today)
    points = list(AssessmentPoint.objects.filter(school=school, assessed_on__lte=end_day).order_by("assessed_on"))
    in_period = [p for p in points if p.assessed_on >= period.starts_on]
    if not in_period:
        return None, None
    end = in_period[-1]
    if period.season is None and in_period[0] != end:
        return in_period[0], end
    earlier = [p for p in points if p.assessed_on < end.assessed_on]
    return (earlier[-1] if earlier else None), end


def progress_figures(school: School, period: Period, *, today: date) -> ProgressFigures:
    """Mean change in standardised score per subject between two assessment points (the first and last of a
    year, or a term's point and the one before it), for pupils with SEN (SEN support or an EHC plan on the
    later point's date) against pupils without. A mean over fewer than 5 pupils is not shown. Three queries."""
    start, end = _progress_points(school, period, today)
    columns = ["Subject", "Pupils with SEN", "Mean change", "Pupils without SEN", "Mean change", "Difference"]
    if start is None or end is None:
        table = Table(
            "progress",
            "Progress: mean change in standardised score",
            columns,
            [],
            note="Fewer than two assessment points have scores in this period, so there is no change to show.",
        )
        return ProgressFigures(table, None, start, end)
    figures = _score_changes(school, start, end)
    subjects = list(Subject.objects.filter(school=school, is_active=True).order_by("ordering", "name"))
    table_rows, sen_values, other_values, sen_texts, other_texts = [], [], [], [], []
    for subject in subjects:
        sen_n, sen_mean = figures.get((subject.pk, True), (0, None))
        other_n, other_mean = figures.get((subject.pk, False), (0, None))
        sen_ok = sen_mean is not None and sen_n >= 5
        other_ok = other_mean is not None and other_n >= 5
        sen_text = _signed(sen_mean) if sen_ok else ("–" if not sen_n else "fewer than 5 pupils")
        other_text = _signed(other_mean) if other_ok else ("–" if not other_n else "fewer than 5 pupils")
        difference = _signed(sen_mean - other_mean) if sen_ok and other_ok else "–"
        table_rows.append(
            Row(
                subject.name,
                [suppress_alone(sen_n).text, sen_text, suppress_alone(other_n).text, other_text, difference],
            )
        )
        sen_values.append(float(sen_mean) if sen_ok else None)
        other_values.append(float(other_mean) if other_ok else None)
        sen_texts.append(sen_text)
        other_texts.append(other_text)
    caption = f"Progress: mean change in standardised score from {start.name} to {end.name}"
    table = Table(
        "progress",
        caption,
        columns,
        table_rows,
        note="A standardised score of 100 is average; a change of 0 means a pupil kept pace with pupils nationally.",
    )
    chart = charts.bar_chart(
        key="progress",
        title=caption,
        description="Pupils with SEN (solid bars) and without SEN (hatched bars): the mean change per subject; "
        "the table below gives the same figures.",
        categories=[s.name for s in subjects],
        series=[
            charts.Series("Pupils with SEN", sen_values, sen_texts),
            charts.Series("Pupils without SEN", other_values, other_texts),
        ],
    )
    return ProgressFigures(table, chart if subjects else None, start, end)


def _score_changes(school: School, start: AssessmentPoint, end: AssessmentPoint) -> dict[tuple, tuple]:
    """(subject id, has SEN) -> (pupils scored at both points, mean change). One query: each pupil's two scores
    side by side (grouped by pupil and subject), then averaged by subject and SEN; written in SQL because the
    ORM cannot group an aggregate of aggregates, and correlated subqueries per score took seconds at 20,000
    pupils. Works on PostgreSQL and SQLite (aggregate FILTER)."""
    sen_pupils = (
        RegisterEntry.objects.filter(on_register_q(end.assessed_on), pupil__school=school, status__in=REPORTED)
        .values("pupil_id")
        .distinct()
    )
    sen_sql, sen_params = sen_pupils.query.sql_with_params()
    scores = ProgressScore._meta.db_table
    sql = f"""
        SELECT pair.subject_id, sen.pupil_id IS NOT NULL, COUNT(*), AVG(pair.later - pair.earlier)
        FROM (
            SELECT pupil_id, subject_id,
                   MAX(score) FILTER (WHERE point_id = %s) AS earlier,
                   MAX(score) FILTER (WHERE point_id = %s) AS later
            FROM {scores} WHERE point_id IN (%s, %s)
            GROUP BY pupil_id, subject_id
        ) pair
        LEFT JOIN ({sen_sql}) sen ON sen.pupil_id = pair.pupil_id
        WHERE pair.earlier IS NOT NULL AND pair.later IS NOT NULL
        GROUP BY pair.subject_id, sen.pupil_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        # The ids as the database stores them (a UUID column on PostgreSQL, 32 hex characters on SQLite).
        first, last = (type(point)._meta.pk.get_db_prep_value(point.pk, connection) for point in (start, end))
        cursor.execute(sql, [first, last, first, last, *sen_params])
        rows = cursor.fetchall()
    # A raw cursor returns ids as the database holds them: a UUID on PostgreSQL, hex text on SQLite.
    return {
        (uuid.UUID(str(subject_id)), bool(has_sen)): (n, Decimal(str(mean)) if mean is not None else None)
        for subject_id, has_sen, n, mean in rows
    }


def _signed(value: Decimal | float) -> str:
    return f"{float(value):+.1f}"


# --- Areas built in parallel: the places to fill in ---------------------------------------------------------


def provision_section(school: School, period: Period, *, today: date) -> Section:
    """Provision map figures for governors: hours and spend by area of need and wave against the notional SEN
    budget, and the impact table with provisions named only by their title.

    Fill in here once the provision map (intervention catalogue, groups, allocations, costs) exists: return
    available=True with its tables built from provision selectors, through send_mis.suppression. Until then
    the report says plainly that there is no data yet."""
    return Section(
        "Provision and its cost",
        available=False,
        message="No provision map data yet: hours, spend against the notional SEN budget and the impact of each "
        "provision will appear here once the school records its provision map in send-mis.",
    )


def safeguarding_section(school: School, period: Period, *, today: date) -> Section:
    """Safeguarding for governors: counts of concerns by category and term only, never content.

    Fill in here once the safeguarding area exists: return available=True with one table (categories by term)
    built through send_mis.suppression.suppress_table. Until then the report says there is no data yet."""
    return Section(
        "Safeguarding",
        available=False,
        message="No safeguarding data yet: counts of concerns by category and term will appear here once "
        "safeguarding records are kept in send-mis.",
    )


# --- The whole report -----------------------------------------------------------------------------------------


@dataclass
class GovernorsReport:
    school: School
    period: Period
    register: RegisterFigures
    ehc_tables: list[Table]
    ehc_headline: dict[str, str]
    graduated_tables: list[Table]
    progress: ProgressFigures
    provision: Section
    safeguarding: Section

    @property
    def tables(self) -> list[Table]:
        return [
            *self.register.tables,
            *self.ehc_tables,
            *self.graduated_tables,
            self.progress.table,
            *self.provision.tables,
            *self.safeguarding.tables,
        ]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def governors_report(school: School, period: Period, *, today: date) -> GovernorsReport:
    """The governors' SEND report for a term or year: anonymised and suppressed throughout. About 25 queries,
    none per pupil, term or need."""
    ehc_tables, ehc_headline = ehc_figures(school, period, today=today)
    return GovernorsReport(
        school=school,
        period=period,
        register=register_figures(school, period, today=today),
        ehc_tables=ehc_tables,
        ehc_headline=ehc_headline,
        graduated_tables=graduated_figures(school, period, today=today),
        progress=progress_figures(school, period, today=today),
        provision=provision_section(school, period, today=today),
        safeguarding=safeguarding_section(school, period, today=today),
    )
