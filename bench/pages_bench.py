"""Time the SENCO's dashboard and pupil list, and a teacher's class list, for schools of several sizes.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sendmis_bench .venv/bin/python bench/pages_bench.py
(SQLite without DATABASE_URL). It builds a throwaway test database, prints figures and removes it.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "420,5000,20000").split(",")]
REPEATS = 7


def build(n: int):
    from demo.management.commands.seed_demo import make_upn
    from pupils.models import Membership, NeedType, Pupil, RegisterEntry, Role, School, SchoolClass

    rng = random.Random(n)
    User = get_user_model()
    school = School.objects.create(
        name=f"Bench {n}", urn=f"9{n:05d}"[:6], la_code="892", la_name="Nottingham City", phase="primary"
    )
    senco = User.objects.create(username=f"senco{n}")
    teacher = User.objects.create(username=f"teacher{n}")
    Membership.objects.create(user=senco, school=school, role=Role.SENCO)
    Membership.objects.create(user=teacher, school=school, role=Role.TEACHER)
    classes = [
        SchoolClass.objects.create(school=school, name=f"C{i}", year_group=i % 7) for i in range(max(n // 28, 1))
    ]
    classes[0].teachers.add(teacher)
    pupils = [
        Pupil(
            school=school,
            upn=make_upn("892", f"{(n + i // 1000) % 10000:04d}", 20, i % 1000),
            legal_forename=f"F{i}",
            legal_surname=f"S{i}",
            date_of_birth=date(2016, 1, 1) + timedelta(days=i % 2000),
            gender="F",
            year_group=classes[i % len(classes)].year_group,
            school_class=classes[i % len(classes)],
            admitted_on=date(2022, 9, 1),
        )
        for i in range(n)
    ]
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    needs = list(NeedType.objects.exclude(code="NSA"))
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                pupil=p,
                school_id=p.school_id,
                status="K",
                primary_need=rng.choice(needs),
                started_on=date(2025, 1, 1),
                start_reason="bench",
                created_by=senco,
            )
            for p in pupils
            if rng.random() < 0.16
        ],
        batch_size=2000,
    )
    return senco, teacher


def measure(client: Client, url: str) -> tuple[float, float, int]:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return min(timings), statistics.median(timings), len(queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"database: {connection.vendor}; {REPEATS} requests each; seconds (best / median); SQL queries")
        for n in SIZES:
            senco, teacher = build(n)
            client = Client()
            client.force_login(senco)
            for name, url in [
                ("dashboard", "/dashboard/"),
                ("pupil list", "/pupils/"),
                ("pupil list, filtered", "/pupils/?status=K&sort=year"),
                ("pupil list, search", "/pupils/?q=S12"),
            ]:
                best, median, queries = measure(client, url)
                print(f"{n:>6} pupils  {name:<22} {best:.3f} / {median:.3f} s  {queries} queries")
            client.force_login(teacher)
            best, median, queries = measure(client, "/my-class/")
            print(f"{n:>6} pupils  {'my class (teacher)':<22} {best:.3f} / {median:.3f} s  {queries} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
