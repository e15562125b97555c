"""Time the provision map's pages for a 420-pupil school and a 20,000-pupil trust-sized school, each with a year
of delivered sessions: the whole-school map, the impact and cost table, costs and the element-2 meter, the
timetable (SENCO) and the class view (a teacher). Server time per page, best and median of several requests.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sendmis_bench .venv/bin/python bench/maps_bench.py
It builds a throwaway test database, prints figures and removes it. BENCH_SIZES=420,20000 by default.
Goal: under 100 ms at 420 pupils and under 500 ms at 20,000.

BENCH_KEEP=1 keeps the database and reuses the schools already built in it, so two versions of the code (two
checkouts, one after the other) are measured on the same data: run the older checkout's copy of this file, then
this one, with the same DATABASE_URL and BENCH_KEEP=1; BENCH_KEEP=drop measures and then removes it.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "420,20000").split(",")]
REPEATS = 5
TODAY = date(2026, 7, 17)  # the end of an academic year, so the map holds a whole year of sessions
YEAR_START = date(2025, 9, 1)


def build(n: int):
    from bench.pages_bench import build as build_school
    from provision import costs
    from provision.models import (
        Allocation,
        AssessmentPoint,
        Attendance,
        Group,
        ProgressScore,
        Provision,
        Session,
        StaffRate,
        Subject,
    )
    from provision.services.maps import place_costs_refresh
    from pupils.models import Pupil, RegisterEntry

    rng = random.Random(n)
    senco, teacher = build_school(n)
    school = senco.memberships.get().school
    rates = [("ta2", "12.10"), ("ta3", "13.20"), ("hlta", "14.80"), ("teacher", "38.50")]
    StaffRate.objects.bulk_create(
        StaffRate(school=school, staff_type=t, hourly_rate=Decimal(r), on_cost=Decimal("1.30"), valid_from=YEAR_START)
        for t, r in rates
    )
    pure_rates = [costs.Rate(t, YEAR_START, Decimal(r), Decimal("1.30")) for t, r in rates]
    reading = Subject.objects.create(school=school, name="Reading")
    provisions = [
        Provision.objects.create(
            school=school,
            name=f"Provision {i}",
            broad_area=["ci", "cl", "semh", "sp"][i % 4],
            wave=2,
            intended_outcome="Outcome",
            measure_name="Test",
            measure_scale="standardised",
            subject=reading if i % 3 == 0 else None,
            staff_type=rates[i % 4][0],
            cost_category="ta",
            group_size=4,
            session_minutes=30,
            sessions_per_week=3,
            weeks=38,
            non_hour_cost=Decimal("100"),
        )
        for i in range(15)
    ]
    on_register = list(RegisterEntry.objects.filter(pupil__school=school).values_list("pupil_id", flat=True))
    rng.shuffle(on_register)
    places_wanted = on_register + on_register[: len(on_register) // 2]  # some pupils hold two places
    groups = []
    for g in range(0, len(places_wanted), 4):
        provision = provisions[(g // 4) % len(provisions)]
        groups.append(
            (
                Group(
                    provision=provision,
                    name=f"G{g}",
                    lead=teacher if g % 40 == 0 else None,
                    weekday=(g // 4) % 5,
                    starts_on=YEAR_START,
                    ends_on=TODAY,
                ),
                list(dict.fromkeys(places_wanted[g : g + 4])),
            )
        )
    Group.objects.bulk_create([g for g, _ in groups], batch_size=2000)
    Allocation.objects.bulk_create(
        [
            Allocation(
                group=g,
                pupil_id=p,
                joined_on=YEAR_START,
                entry_score=Decimal(85 + rng.randint(-5, 5)),
                entry_on=YEAR_START,
                exit_score=Decimal(88 + rng.randint(-6, 8)),
                exit_on=TODAY,
            )
            for g, ps in groups
            for p in ps
        ],
        batch_size=5000,
    )
    days = [YEAR_START + timedelta(days=d) for d in range((TODAY - YEAR_START).days + 1)]
    sessions, attendance = [], []
    for group, pupils in groups:
        rate = costs.rate_on(pure_rates, group.provision.staff_type, YEAR_START)
        for day in days:
            if day.weekday() in (group.weekday, (group.weekday + 2) % 5, (group.weekday + 4) % 5):
                absent = {p for p in pupils if rng.random() < 0.07}
                session = Session(
                    group=group,
                    held_on=day,
                    status="delivered",
                    minutes=30,
                    cost=costs.session_cost(minutes=30, rate=rate),
                    present_count=len(pupils) - len(absent),
                    recorded_by=senco,
                )
                sessions.append(session)
                attendance += [Attendance(session=session, pupil_id=p, is_present=p not in absent) for p in pupils]
    Session.objects.bulk_create(sessions, batch_size=5000)
    Attendance.objects.bulk_create(attendance, batch_size=10000)
    place_costs_refresh(group_ids=[g.pk for g, _ in groups], years={2025})
    before = AssessmentPoint.objects.create(
        school=school, name="Summer before", academic_year=2024, assessed_on=date(2025, 7, 1)
    )
    after = AssessmentPoint.objects.create(
        school=school, name="Summer", academic_year=2025, assessed_on=date(2026, 7, 1)
    )
    ProgressScore.objects.bulk_create(
        [
            ProgressScore(
                pupil_id=p, subject=reading, point=pt, score=Decimal(90 + rng.randint(-12, 12)), entered_by=senco
            )
            for p in Pupil.objects.filter(school=school).values_list("pk", flat=True)
            for pt in (before, after)
        ],
        batch_size=10000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # autovacuum is off on this machine: give the planner real row counts
    return senco, teacher, len(groups), len(sessions), len(attendance)


def sign_in(user) -> Client:
    """A client signed in as `user` with a second factor passed just now, as pages that need one expect."""
    from pupils import twofactor

    client = Client()
    client.force_login(user)
    session = client.session
    twofactor.mark_verified(session, now=timezone.now())
    session.save()
    return client


def measure(client: Client, url: str) -> tuple[float, float, int]:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return min(timings), statistics.median(timings), len(queries)


def built(n: int):
    """The SENCO and teacher of a school of `n` pupils already built in a kept database, with its sizes."""
    from django.contrib.auth import get_user_model

    from provision.models import Attendance, Group, Session

    User = get_user_model()
    senco = User.objects.filter(username=f"senco{n}").first()
    if senco is None:
        return None
    school = senco.memberships.get().school
    return (
        senco,
        User.objects.get(username=f"teacher{n}"),
        Group.objects.filter(provision__school=school).count(),
        Session.objects.filter(group__provision__school=school).count(),
        Attendance.objects.filter(session__group__provision__school=school).count(),
    )


def main() -> None:
    timezone.localdate = lambda *args, **kwargs: TODAY  # the pages read the clock once, through this
    setup_test_environment()
    keep = os.environ.get("BENCH_KEEP", "")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=bool(keep), serialize=False)
    try:
        print(f"database: {connection.vendor}; {REPEATS} requests each; seconds (best / median); SQL queries")
        for n in SIZES:
            started = time.perf_counter()
            senco, teacher, groups, sessions, marks = (keep and built(n)) or build(n)
            print(
                f"{n:>6} pupils: {groups} groups, {sessions} sessions, {marks} attendance marks "
                f"(built in {time.perf_counter() - started:.0f} s)"
            )
            client = sign_in(senco)
            for name, url in [
                ("whole-school map", "/provision/maps/"),
                ("map, filtered", "/provision/maps/?area=cl&wave=2"),
                ("impact and cost", "/provision/maps/impact/"),
                ("costs and element 2", "/provision/maps/costs/"),
                ("timetable", "/provision/maps/timetable/"),
            ]:
                best, median, queries = measure(client, url)
                print(f"{n:>6} pupils  {name:<22} {best:.3f} / {median:.3f} s  {queries} queries")
            client = sign_in(teacher)
            best, median, queries = measure(client, "/provision/maps/my-class/")
            print(f"{n:>6} pupils  {'class view (teacher)':<22} {best:.3f} / {median:.3f} s  {queries} queries")
    finally:
        if keep in ("", "drop"):
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
