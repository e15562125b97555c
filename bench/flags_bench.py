"""Benchmark for provision.services.flags_compute: computing and storing flags of less than expected progress.

A standalone script, not a test. For a school of 420 pupils (a two-form-entry primary) and one of 20,000
(a trust-sized load), it stores pupils, three subjects and six assessment points of scores (two years of
autumn, spring and summer), runs ANALYZE (autovacuum may be off), then times:

* the first computation (every flag inserted),
* a repeat computation (every flag updated in place; open flags that no longer fire removed).

It runs against the database in DATABASE_URL (PostgreSQL is the point; it refuses SQLite unless --sqlite is
given), prints the figures, and deletes everything it made, even when interrupted.

Run from the repository root:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sendmis .venv/bin/python bench/flags_bench.py
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")

import django

django.setup()

from auditlog.context import disable_auditlog  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.utils import timezone  # noqa: E402

from provision import selectors, services  # noqa: E402
from provision.models import AssessmentPoint, ProgressFlag, ProgressScore, Season, Subject  # noqa: E402
from pupils.models import Phase, Pupil, School, SchoolClass  # noqa: E402

SIZES = (420, 20_000)
YEAR_GROUPS = 7
SEED = 20261127


def pupil_scores(rng: random.Random, points: int) -> list[float | None]:
    """One pupil's standardised scores: a drifting level plus test noise; a few missing or joined late."""
    level = rng.gauss(100, 12)
    drift = rng.gauss(0, 1.5)
    joined = rng.choices(range(points), weights=[90] + [5] * (points - 1))[0]
    scores: list[float | None] = []
    for point in range(points):
        if point < joined or rng.random() < 0.03:
            scores.append(None)
            continue
        scores.append(round(min(max(level + drift * point + rng.gauss(0, 3), 69.0), 141.0)))
    return scores


def six_points(school: School, today: date, *, suffix: str = "") -> list[AssessmentPoint]:
    """Two years of autumn, spring and summer points, the last summer's ten days before `today`."""
    return [
        AssessmentPoint.objects.create(
            school=school,
            name=f"{season.label} {today.year - years_ago}{suffix}",
            season=season,
            academic_year=today.year - years_ago,
            assessed_on=today - timedelta(days=days + 365 * (years_ago - 1)),
        )
        for years_ago in (2, 1)
        for season, days in ((Season.AUTUMN, 240), (Season.SPRING, 120), (Season.SUMMER, 10))
    ]


def score_rows(pupils, subjects, points, rng: random.Random, entered_by) -> list[ProgressScore]:
    """Each pupil's scores in each subject at the points (pupil_scores: a few missing), unsaved."""
    return [
        ProgressScore(pupil=pupil, subject=subject, point=point, score=Decimal(score), entered_by=entered_by)
        for pupil in pupils
        for subject in subjects
        for point, score in zip(points, pupil_scores(rng, len(points)), strict=False)
        if score is not None
    ]


def build(size: int, user) -> School:
    rng = random.Random(SEED + size)
    tag = uuid.uuid4().hex[:6]
    school = School.objects.create(
        name=f"Bench school {tag}",
        urn=f"9{rng.randrange(10**5):05d}",
        la_code="999",
        la_name="Bench",
        phase=Phase.PRIMARY,
    )
    classes = [
        SchoolClass.objects.create(school=school, name=f"Y{y + 1}", year_group=y + 1) for y in range(YEAR_GROUPS)
    ]
    today = timezone.localdate()
    pupils = [
        Pupil(
            school=school,
            upn=f"Z{tag}{n:06d}"[:13],
            legal_forename="Bench",
            legal_surname=f"Pupil{n:05d}",
            date_of_birth=date(2016, 1, 1),
            gender="F",
            year_group=classes[n % YEAR_GROUPS].year_group,
            school_class=classes[n % YEAR_GROUPS],
            admitted_on=date(2020, 9, 1),
        )
        for n in range(size)
    ]
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    for ordering, name in enumerate(services.DEFAULT_SUBJECTS):
        Subject.objects.create(school=school, name=name, ordering=ordering)
    subjects = list(selectors.subjects_for(school))
    points = six_points(school, today, suffix=" bench")
    ProgressScore.objects.bulk_create(score_rows(pupils, subjects, points, rng, user), batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return school


def clean_up(school: School | None, user) -> None:
    """Delete what the benchmark made, children first, without an audit row per deleted row."""
    if school is not None:
        for queryset in (
            ProgressFlag.objects.filter(pupil__school=school),
            ProgressScore.objects.filter(pupil__school=school),
            Pupil.objects.filter(school=school),
            SchoolClass.objects.filter(school=school),
            AssessmentPoint.objects.filter(school=school),
            Subject.objects.filter(school=school),
        ):
            queryset.delete()
        school.delete()
    if user is not None:
        user.delete()


def timed(fn):
    reset_queries()
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    vendor = connection.vendor
    if vendor != "postgresql" and "--sqlite" not in sys.argv:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (or pass --sqlite to run on SQLite anyway).")
    print(f"Database: {vendor}; {YEAR_GROUPS} year groups, 3 subjects, 6 assessment points; flags_compute per school.")
    print(
        f"{'pupils':>7} {'scores':>8} {'build s':>8} {'first s':>8} {'repeat s':>9} {'flags':>6} "
        f"{'per subject %':>13} {'any subject %':>13}"
    )
    with disable_auditlog():
        for size in SIZES:
            school = user = None
            try:
                user = get_user_model().objects.create(username=f"bench-{uuid.uuid4().hex[:8]}")
                started = time.perf_counter()
                school = build(size, user)
                build_seconds = time.perf_counter() - started
                today = timezone.localdate()

                def compute(school=school, today=today):
                    return services.flags_compute(school=school, today=today)

                first, first_seconds = timed(compute)
                repeat, repeat_seconds = timed(compute)
                stored = ProgressFlag.objects.filter(pupil__school=school).count()
                scores = ProgressScore.objects.filter(pupil__school=school).count()
                assert stored == first.flags == repeat.flags, (stored, first, repeat)
                flagged = ProgressFlag.objects.filter(pupil__school=school).values("pupil").distinct().count()
                print(
                    f"{size:>7} {scores:>8} {build_seconds:>8.2f} {first_seconds:>8.2f} {repeat_seconds:>9.2f} "
                    f"{stored:>6} {100 * stored / (3 * size):>12.1f}% {100 * flagged / size:>12.1f}%"
                )
            finally:
                clean_up(school, user)
    left = School.objects.filter(name__startswith="Bench school ").count()
    print(f"Cleaned up: {left} bench schools left.")


if __name__ == "__main__":
    main()
