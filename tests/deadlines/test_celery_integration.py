"""Exactly once, with real parts: a Redis broker, PostgreSQL and a Celery worker started by the test.

The worker runs as a subprocess against pytest-django's test database, consumes a queue of its own, and
delivers mail through deadlines.testing_backends.FailOnceFileBackend (one file per message) so this process
can count deliveries. Two sweeps run at once must deliver each reminder once; a send that fails with a
simulated SMTP disconnect must be retried and still deliver once.

Needs REDIS_URL and a PostgreSQL DATABASE_URL. Under CI (the CI variable set) a missing one fails the test;
elsewhere the test is skipped when REDIS_URL is unset.
"""

from __future__ import annotations

import email
import os
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from deadlines.models import Party, Reminder
from deadlines.tasks import deadline_reminder_sweep_task
from tests.fixtures.deadlines import recent_school_day_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
WAIT_SECONDS = 45
SETTLE_SECONDS = 3  # after the expected mail has arrived, time for a duplicate to show itself


def _require_real_services() -> str:
    redis_url = os.environ.get("REDIS_URL", "")
    under_ci = bool(os.environ.get("CI"))
    if not redis_url and not under_ci:
        pytest.skip("needs REDIS_URL (a real Redis broker) and a PostgreSQL DATABASE_URL")
    problems = []
    if not redis_url:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at REDIS_URL does not answer ({error})")
    if connection.vendor != "postgresql":
        if not under_ci:
            pytest.skip("needs a PostgreSQL DATABASE_URL")
        problems.append(f"DATABASE_URL is {connection.vendor}, not PostgreSQL")
    if problems:
        pytest.fail("integration test cannot run: " + "; ".join(problems))
    return redis_url


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A real Celery worker on a queue of its own; stopped (and its log shown on failure) whatever happens."""
    redis_url = _require_real_services()
    from send_mis.celery import app

    queue = f"send-mis-test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    fail_next = tmp_path / "fail-next-send"
    log_path = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "deadlines.testing_backends.FailOnceFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SEND_MIS_TEST_FAIL_NEXT_SEND": str(fail_next),
        "DEADLINE_SEND_RETRY_BACKOFF": "1",
        "DJANGO_SETTINGS_MODULE": "send_mis.settings",
    }
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "send_mis",
                "worker",
                "--pool=threads",
                "--concurrency=4",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while b" ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start:\n" + log_path.read_text(errors="replace")[-4000:])
            time.sleep(0.2)
        yield {"queue": queue, "mail_dir": mail_dir, "fail_next": fail_next, "log": log_path}
    finally:
        app.conf.task_always_eager = previous_eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _delivered(mail_dir: Path) -> list[str]:
    """The reminder id of every message delivered, one entry per message (a duplicate shows twice)."""
    return [
        email.message_from_bytes(path.read_bytes())["X-Send-MIS-Reminder"] for path in sorted(mail_dir.glob("*.eml"))
    ]


def _wait_for(condition, worker, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n" + worker["log"].read_text(errors="replace")[-4000:])
        time.sleep(0.2)
    time.sleep(SETTLE_SECONDS)


def _sweep(worker, now) -> None:
    deadline_reminder_sweep_task.apply_async(kwargs={"now_iso": now.isoformat()}, queue=worker["queue"])


def test_two_concurrent_sweeps_and_a_retried_send_deliver_each_reminder_exactly_once(
    worker, senco_a, head_a, pupil_oak, pupil_ash, make_deadline
):
    now = recent_school_day_start()
    today = timezone.localdate(now)
    for days in (14, 7, 2, 0, -1, -3):
        make_deadline(pupil_oak, today + timedelta(days=days))
    make_deadline(pupil_oak, today - timedelta(days=4), party=Party.LA)
    # 14, 7 and 2 days before, on the day, two overdue, the head's escalation, the LA chase.
    expected = 8

    # Two sweeps at once, on two of the worker's threads.
    _sweep(worker, now)
    _sweep(worker, now)
    _wait_for(lambda: len(_delivered(worker["mail_dir"])) >= expected, worker, f"{expected} reminders")

    delivered = _delivered(worker["mail_dir"])
    reminder_ids = {str(pk) for pk in Reminder.objects.values_list("pk", flat=True)}
    assert len(reminder_ids) == expected
    assert sorted(delivered) == sorted(reminder_ids), "each reminder delivered exactly once"
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()

    # A transient SMTP failure on the next send: the task releases its claim, retries, and delivers once.
    worker["fail_next"].touch()
    new = make_deadline(pupil_ash, today, responsible=senco_a, title="Views on the draft plan")
    _sweep(worker, now)
    _sweep(worker, now)
    _wait_for(lambda: len(_delivered(worker["mail_dir"])) >= expected + 1, worker, "the retried reminder")

    assert not worker["fail_next"].exists(), "the simulated SMTP failure happened"
    reminder = Reminder.objects.get(deadline=new)
    assert reminder.sent_at is not None and reminder.attempts == 2
    delivered = _delivered(worker["mail_dir"])
    assert delivered.count(str(reminder.pk)) == 1
    assert len(delivered) == expected + 1
    assert "retry: Retry in 1s" in worker["log"].read_text(errors="replace")
