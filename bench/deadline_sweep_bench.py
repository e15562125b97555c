"""Benchmark for deadlines.services.reminders_record (the reminder sweep) on PostgreSQL.

A standalone script, not a test. For each size asked for (default 10,000 and 100,000 open deadlines) it creates a
throwaway database next to the one DATABASE_URL names, migrates it, loads the deadlines (one school of 200 pupils
per 1,000 deadlines, 5 duties each, due from 30 days ago to 14 days ahead, so every one is a candidate: the
sweep's worst case), then times the sweep:

* cold: the first sweep of the day records a reminder for every deadline (plus the heads' escalations);
* second: the same sweep again records nothing new (every key already exists);
* next school day: one more overdue reminder for each overdue deadline.

Each sweep includes queueing the send tasks for the new reminders (to Celery's in-memory broker here, so nothing
is sent). The database is dropped at the end, whatever happens.

Run from the repository root (sizes are optional):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/deadline_sweep_bench.py 10000 100000
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_SIZES = (10_000, 100_000)
PUPILS_PER_SCHOOL = 200
DUTIES_PER_PUPIL = 5
SEED = 20261127


def _server_url_and_bench_url() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    name = f"sendmis_bench_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, urlunsplit(parts._replace(path=f"/{name}")), name


def _psycopg_conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def main() -> None:
    import subprocess

    import psycopg

    sizes = [int(arg.replace("_", "").replace(",", "")) for arg in sys.argv[1:]] or list(DEFAULT_SIZES)
    if len(sizes) > 1:  # one process per size: each gets a fresh Django pointed at its own database
        for size in sizes:
            subprocess.run([sys.executable, __file__, str(size)], check=True)
        return
    admin_url, bench_url, name = _server_url_and_bench_url()
    with psycopg.connect(_psycopg_conninfo(admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(bench_url, sizes[0])
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(_psycopg_conninfo(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped the throwaway database {name}", flush=True)


def run(bench_url: str, size: int) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ["REDIS_URL"] = ""  # Celery's in-memory broker: tasks are queued, never sent
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from deadlines import services
    from deadlines.models import Deadline, Party, Reminder
    from deadlines.services import reminders_record
    from pupils.models import Membership, Pupil, Role, School
    from send_mis.dates import add_school_days, bank_holidays_england

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")

    rng = random.Random(SEED)
    schools_count = max(1, size // (PUPILS_PER_SCHOOL * DUTIES_PER_PUPIL))
    User = get_user_model()
    # Noon on the last school day on or before today, London time: reminders go on school days only (a weekend
    # sweep records nothing), and runs a few minutes apart stay on the same day whenever the bench is run.
    today = timezone.localdate()
    holidays = bank_holidays_england({today.year - 1, today.year})
    while today.weekday() >= 5 or today in holidays:
        today -= timedelta(days=1)
    now = timezone.make_aware(datetime.combine(today, dt_time(12, 0)))
    next_day = timezone.make_aware(datetime.combine(add_school_days(today, 1), dt_time(12, 0)))
    started = time.perf_counter()
    schools = School.objects.bulk_create(
        School(name=f"Bench School {n}", urn=f"{900000 + n}", la_code="892", la_name="Nottingham City", phase="primary")
        for n in range(schools_count)
    )
    staff = {}
    for school in schools:
        senco = User.objects.create(username=f"senco-{school.urn}", email=f"senco-{school.urn}@example.org")
        head = User.objects.create(username=f"head-{school.urn}", email=f"head-{school.urn}@example.org")
        teachers = [
            User.objects.create(username=f"teacher-{school.urn}-{n}", email=f"t{n}-{school.urn}@example.org")
            for n in range(7)
        ]
        Membership.objects.bulk_create(
            [
                Membership(user=senco, school=school, role=Role.SENCO),
                Membership(user=head, school=school, role=Role.HEAD),
            ]
            + [Membership(user=t, school=school, role=Role.TEACHER) for t in teachers]
        )
        staff[school.pk] = [senco, *teachers]
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            upn=f"B{school.urn[-3:]}{n:09d}"[:13],
            legal_forename=f"F{n}",
            legal_surname=f"S{n}",
            date_of_birth=today - timedelta(days=3000),
            gender="F",
            year_group=n % 7,
            admitted_on=today - timedelta(days=900),
        )
        for school in schools
        for n in range(PUPILS_PER_SCHOOL)
    )
    pupil_type = ContentType.objects.get_for_model(Pupil)
    deadlines = []
    for pupil in pupils:
        for duty in range(DUTIES_PER_PUPIL):
            responsible = rng.choice(staff[pupil.school_id] + [None])  # some unassigned: the SENCOs get those
            deadlines.append(
                Deadline(
                    school_id=pupil.school_id,
                    pupil=pupil,
                    kind=f"bench_duty_{duty}",
                    title="Bench duty",
                    rule="A rule",
                    party=Party.LA if duty == 4 else Party.SCHOOL,
                    due_on=today + timedelta(days=rng.randint(-30, 14)),
                    responsible=responsible,
                    source_type=pupil_type,
                    source_id=str(pupil.pk),
                )
            )
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    open_count = Deadline.objects.filter(status="open").count()
    print(
        f"loaded {open_count:,} open deadlines ({len(pupils):,} pupils, {schools_count} schools) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    fan_out_seconds = []
    real_fan_out = getattr(services, "_real_fan_out", services._fan_out)
    services._real_fan_out = real_fan_out

    def timed_fan_out(*args, **kwargs):
        started = time.perf_counter()
        real_fan_out(*args, **kwargs)
        fan_out_seconds.append(time.perf_counter() - started)

    services._fan_out = timed_fan_out

    def sweep(label: str, at) -> None:
        before = Reminder.objects.count()
        fan_out_seconds.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                new = profiler.runcall(reminders_record, now=at)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            else:
                new = reminders_record(now=at)
            elapsed = time.perf_counter() - started
        # The workers would have sent these within seconds; without that, the next sweep (whose clock is
        # simulated) would take them for lost tasks and queue them again.
        Reminder.objects.filter(sent_at__isnull=True).update(claimed_at=at, sent_at=at)
        queueing = sum(fan_out_seconds)
        print(
            f"{label:<34} {elapsed * 1000:7.0f} ms = {(elapsed - queueing) * 1000:6.0f} ms recording "
            f"+ {queueing * 1000:6.0f} ms queueing   {len(new):6,} new reminders   {len(queries):3d} queries   "
            f"({Reminder.objects.count() - before:,} rows added)"
        )

    print()
    print(f"sweep over {open_count:,} open deadlines (all due within the look-ahead), PostgreSQL:")
    sweep("cold run (first sweep of the day)", now)
    sweep("second run (nothing new)", now)
    sweep("third run (nothing new)", now + timedelta(minutes=15))
    sweep("next school day (overdue reminders)", next_day)
    sweep("next school day, second run", next_day + timedelta(minutes=15))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM deadlines_deadline WHERE status = 'open' AND due_on <= %s",
            [today + timedelta(days=14)],
        )
        print()
        print("candidate query plan:", " / ".join(row[0].strip() for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
