"""Progress for governors: pupils with SEN against pupils without, as the mean change in standardised score."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from provision.models import AssessmentPoint, ProgressScore, Subject
from pupils.models import RegisterEntry, School
from send_mis.suppression import suppress_alone

from .. import charts
from ..periods import Period
from .tables import REPORTED, Row, Table, on_register_q


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
