"""Time the governors' SEND report (page, CSV of one table, and the PDF) and the census check for schools of
several sizes, with three years of register history, two assessment points of scores, provision groups with
sessions and costs, and safeguarding concerns.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sendmis_bench .venv/bin/python bench/reports_bench.py
(SQLite without DATABASE_URL). It builds a throwaway test database, prints figures and removes it.
BENCH_SIZES=420,20000 by default; BENCH_PDF=0 skips the PDF.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django

django.setup()

import logging  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from pupils import twofactor  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "420,20000").split(",")]
REPEATS = 5
PERIOD = "2025-year"


def build(n: int):
    from demo.management.commands.seed_demo import make_upn
    from provision.models import AssessmentPoint, ProgressScore, Subject
    from pupils.models import Membership, NeedType, Pupil, RegisterEntry, Role, School

    rng = random.Random(n)
    User = get_user_model()
    school = School.objects.create(
        name=f"Bench {n}", urn=f"8{n:05d}"[:6], la_code="892", la_name="Nottingham City", phase="primary"
    )
    governor = User.objects.create(username=f"governor{n}")
    senco = User.objects.create(username=f"senco{n}")
    Membership.objects.create(user=governor, school=school, role=Role.GOVERNOR)
    Membership.objects.create(user=senco, school=school, role=Role.SENCO)
    pupils = [
        Pupil(
            school=school,
            upn=make_upn("892", f"{(n + i // 1000) % 10000:04d}", 21, i % 1000),
            legal_forename=f"F{i}",
            legal_surname=f"S{i}",
            date_of_birth=date(2016, 1, 1) + timedelta(days=i % 2000),
            gender="F",
            year_group=i % 7,
            admitted_on=date(2022, 9, 1) + timedelta(days=rng.randrange(0, 900)),
        )
        for i in range(n)
    ]
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    needs = list(NeedType.objects.exclude(code="NSA"))
    entries = []
    for p in pupils:
        if rng.random() < 0.2:
            start = p.admitted_on + timedelta(days=rng.randrange(0, 400))
            status = "E" if rng.random() < 0.15 else "K"
            ended = start + timedelta(days=rng.randrange(100, 700)) if rng.random() < 0.3 else None
            entries.append(
                RegisterEntry(
                    pupil=p,
                    school_id=p.school_id,
                    status=status,
                    primary_need=rng.choice(needs),
                    started_on=start,
                    ended_on=ended,
                    end_reason="bench" if ended else "",
                    start_reason="bench",
                    created_by=senco,
                )
            )
    RegisterEntry.objects.bulk_create(entries, batch_size=2000)
    subjects = [Subject.objects.create(school=school, name=name, ordering=i) for i, name in enumerate(["R", "W", "M"])]
    points = [
        AssessmentPoint.objects.create(
            school=school, name="Autumn 2025", season="autumn", academic_year=2025, assessed_on=date(2025, 12, 1)
        ),
        AssessmentPoint.objects.create(
            school=school, name="Summer 2026", season="summer", academic_year=2025, assessed_on=date(2026, 6, 20)
        ),
    ]
    ProgressScore.objects.bulk_create(
        [
            ProgressScore(pupil=p, subject=s, point=pt, score=Decimal(rng.randrange(75, 125)), entered_by=senco)
            for p in pupils
            for s in subjects
            for pt in points
        ],
        batch_size=5000,
    )
    _provision_and_safeguarding(school, pupils, senco, rng)
    if connection.vendor == "postgresql":  # autovacuum is off on the project's machines: plan on real counts
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return governor, senco


def _provision_and_safeguarding(school, pupils, senco, rng) -> None:
    """About one pupil in eight in a provision group (groups of six, 12 weekly sessions, in autumn 2025 and
    spring 2026), a notional SEN budget, two terms and a triaged concern about one pupil in forty."""
    from provision.models import Provision, SenBudget
    from safeguarding.models import Category
    from tests.fixtures.reports import concerns, half_terms, run_group

    provisions = [
        Provision.objects.create(
            school=school,
            name=f"Provision {i}",
            broad_area=area,
            wave=wave,
            intended_outcome="bench",
            measure_name="bench",
            measure_scale="standardised",
            staff_type="ta3",
            cost_category="ta",
            session_minutes=30,
            sessions_per_week=1,
            non_hour_cost=Decimal(50),
        )
        for i, (area, wave) in enumerate([("ci", 2), ("cl", 2), ("cl", 3), ("semh", 2), ("semh", 3), ("sp", 2)])
    ]
    placed = [p for p in pupils if rng.random() < 0.125]
    for g in range(0, len(placed), 6):
        run_group(
            provisions[g // 6 % len(provisions)],
            placed[g : g + 6],
            actor=senco,
            starts_on=date(2025, 10, 6) if g % 12 == 0 else date(2026, 1, 12),
            sessions=12,
            changes=[rng.randrange(-3, 9) for _ in range(6)],
        )
    SenBudget.objects.create(school=school, financial_year=2025, notional_budget=Decimal(len(pupils) * 250))
    half_terms(school, 2025)
    categories = [Category.objects.create(school=school, name=name) for name in ("Neglect", "Online safety", "Other")]
    chosen = [p for p in pupils if rng.random() < 0.025]
    for i, category in enumerate(categories):
        concerns(chosen[i::3], school=school, actor=senco, on=date(2025, 10 + i, 8), category=category)


def measure(client: Client, url: str, repeats: int = REPEATS) -> tuple[float, float, int]:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("BENCH_SLOWEST"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"        {query['time']} s  {query['sql'][:160]}")
    return min(timings), statistics.median(timings), len(queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"database: {connection.vendor}; seconds (best / median); SQL queries")
        for n in SIZES:
            governor, senco = build(n)
            client = Client()
            client.force_login(governor)
            client.get(f"/reports/governors/?period={PERIOD}")  # per-process caches
            pages = [
                ("governors' report", f"/reports/governors/?period={PERIOD}", REPEATS),
                ("one table as CSV", f"/reports/governors/csv/register-needs/?period={PERIOD}", REPEATS),
            ]
            if os.environ.get("BENCH_PDF", "1") != "0":
                pages.append(("governors' report PDF", f"/reports/governors/pdf/?period={PERIOD}", 2))
            for name, url, repeats in pages:
                best, median, queries = measure(client, url, repeats)
                print(f"{n:>6} pupils  {name:<24} {best:.3f} / {median:.3f} s  {queries} queries")
            client.force_login(senco)
            session = client.session  # the SENCO's pages ask for a second factor, passed just now
            twofactor.mark_verified(session, now=timezone.now())
            session.save()
            best, median, queries = measure(client, "/reports/census/?day=2026-01-15")
            print(f"{n:>6} pupils  {'census check (SENCO)':<24} {best:.3f} / {median:.3f} s  {queries} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
