"""Time (rows per second) and memory of importing pupils from an MIS CSV of 20,000 rows: the check that makes
the preview, the first import, and a re-import in which one row in ten changes (a class or a name).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sendmis_bench .venv/bin/python bench/mis_import_bench.py
(SQLite without DATABASE_URL). It builds a throwaway test database, prints figures and removes it.
BENCH_ROWS=5000 changes the size.

Measured on the project's 2-core machine shared with other jobs (load average about 12), PostgreSQL 15:
check and preview 1,126 rows/s (first file) and 372 rows/s (re-import); first import of 20,000 new pupils
97 rows/s (206 s); re-import with 2,000 changes 460 rows/s (43 s); peak Python memory 47 MB, process 204 MB.
The import writes ~6 queries a thousand rows; its time here is the shared database's, not Python's (the
process used 57 s of CPU over the whole run).
"""

import csv
import io
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from stdnum.gb import upn as stdnum_upn  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
NEEDS = ["SLCN", "ASD", "SEMH", "MLD", "SPLD"]


def upn(i: int) -> str:
    body = f"892{3000 + i // 20000:04d}{10 + (i // 1000) % 20:02d}{i % 1000:03d}"
    return stdnum_upn.calc_check_digit(body) + body


def csv_text(rows: int, *, changed_every: int = 0) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            *("UPN", "Legal forename", "Legal surname", "Date of birth", "Sex", "Year group", "Class"),
            *("Admission date", "EAL", "Pupil premium", "LAC", "SEN status", "SEN need 1", "SEN start date"),
        ]
    )
    for i in range(rows):
        year = i % 7
        klass = f"{year} C{(i // 7) % 4}"
        surname = f"Surname{i}"
        if changed_every and i % changed_every == 0:
            klass = f"{year} C{((i // 7) + 1) % 4}" if i % 2 else klass
            surname = surname if i % 2 else surname + "-Jones"
        sen = ("K", NEEDS[i % 5], "01/10/2024") if i % 7 == 0 else ("", "", "")
        born = date(2019 - year, 9, 1) + timedelta(days=i % 365)
        writer.writerow(
            [
                *(upn(i), f"Forename{i}", surname, born.isoformat(), "MF"[i % 2], str(year) if year else "R", klass),
                *("2023-09-05", "Y" if i % 5 == 0 else "N", "N", "N", *sen),
            ]
        )
    return out.getvalue()


def run(label: str, step, rows: int) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {elapsed:7.2f} s  {rows / elapsed:8.0f} rows/s  peak Python memory {peak / 2**20:6.1f} MB")
    return result


def main() -> None:
    from django.utils import timezone

    from pupils import mis_import
    from pupils.models import ImportStatus, Membership, Pupil, PupilImport, Role, School, SchoolClass

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        school = School.objects.create(name="Bench", urn="930000", la_code="892", la_name="Nottingham", phase="primary")
        senco = get_user_model().objects.create(username="senco")
        Membership.objects.create(user=senco, school=school, role=Role.SENCO)
        for year in range(7):
            for n in range(4):
                SchoolClass.objects.create(school=school, name=f"{year} C{n}", year_group=year)
        today = timezone.localdate()
        print(f"database: {connection.vendor}; {ROWS} rows")
        for label, text in (
            ("first import", csv_text(ROWS)),
            ("re-import, 1 row in 10 changed", csv_text(ROWS, changed_every=10)),
        ):
            job = PupilImport.objects.create(school=school, uploaded_by=senco, file_name="b.csv", csv_text=text)
            run(
                f"{label}: check and preview",
                lambda job=job: mis_import.import_check(pupil_import=job, today=today),
                ROWS,
            )
            job.status = ImportStatus.IMPORTING
            job.save()
            done = run(
                f"{label}: import",
                lambda job=job: mis_import.import_apply(pupil_import=job, today=today, now=timezone.now(), actor=senco),
                ROWS,
            )
            assert done.status == ImportStatus.DONE, done.result
            print("  ", {k: v for k, v in done.result.items() if k != "changes"})
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
        assert Pupil.objects.filter(school=school).count() == ROWS
        print(f"max resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
