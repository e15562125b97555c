"""No reminder lost, with real parts: a Redis server of the test's own (never the shared one), PostgreSQL, Celery
workers started and SIGKILLed by the test, and the sweep run in a separate process as beat would run it.

* A worker killed mid-send leaves its reminder claimed and unsent; once the claim's lease has passed, the next
  sweep releases it and a new worker sends it. Every reminder is delivered exactly once, each with the
  Message-ID derived from its row.
* With the broker stopped, the sweep commits its rows, logs the outage once and exits cleanly within seconds;
  when the broker is back, the next sweep queues the rows and they are delivered exactly once.

Needs a PostgreSQL DATABASE_URL and the redis-server program. Under CI (the CI variable set) a missing one fails
the test; elsewhere it is skipped.
"""

from __future__ import annotations

import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from deadlines import emails, services
from deadlines.models import Party, Reminder
from tests.fixtures.deadlines import recent_school_day_start

from .test_celery_integration import BASE_DIR, CELERY, _test_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60
SETTLE_SECONDS = 3


def _require(condition: bool, problem: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"recovery test cannot run: {problem}")
    pytest.skip(problem)


def _free_port(start: int = 6390) -> int:
    for port in range(start, start + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a test Redis server")


class OwnRedis:
    """A redis-server started by the test on a port of its own, stopped by its own process id."""

    def __init__(self, port: int, folder: Path):
        self.port, self.folder, self.process = port, folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the test Redis server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path):
    _require(connection.vendor == "postgresql", "needs a PostgreSQL DATABASE_URL")
    _require(shutil.which("redis-server") is not None, "needs the redis-server program")
    server = OwnRedis(_free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def harness(own_redis, tmp_path):
    """Start and stop workers against the test's Redis; run the sweep in a process of its own."""
    queue = f"send-mis-recovery-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    hang = tmp_path / "hang-next-send"
    env = os.environ | {
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": own_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "deadlines.testing_backends.FailOnceFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SEND_MIS_TEST_HANG_NEXT_SEND": str(hang),
        "DEADLINE_SEND_RETRY_BACKOFF": "1",
        "DJANGO_SETTINGS_MODULE": "send_mis.settings",
        "LOG_LEVEL": "INFO",
    }
    workers: list[tuple[subprocess.Popen, Path]] = []

    def start_worker() -> subprocess.Popen:
        log_path = tmp_path / f"worker-{len(workers)}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    str(CELERY), "-A", "send_mis", "worker", "--pool=threads", "--concurrency=2", "-Q", queue,
                    "-n", f"{queue}-{len(workers)}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        workers.append((process, log_path))
        deadline = time.monotonic() + WAIT_SECONDS
        while b" ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("a Celery worker did not start:\n" + log_path.read_text(errors="replace")[-4000:])
            time.sleep(0.2)
        return process

    def sweep(now) -> subprocess.CompletedProcess:
        code = (
            "import django, sys; from datetime import datetime; django.setup(); "
            "from deadlines import services; "
            "print('recorded', len(services.reminders_record(now=datetime.fromisoformat(sys.argv[1]))))"
        )
        return subprocess.run(
            [sys.executable, "-c", code, now.isoformat()],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def logs() -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for _process, path in workers)

    try:
        yield {
            "start_worker": start_worker,
            "sweep": sweep,
            "logs": logs,
            "mail_dir": mail_dir,
            "hang": hang,
            "redis": own_redis,
        }
    finally:
        for process, _log in workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)


def _delivered(mail_dir: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(mail_dir.glob("*.eml"))]


def _wait_for(condition, harness, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n" + harness["logs"]())
        time.sleep(0.2)


def _assert_each_delivered_once(harness, expected: int) -> None:
    _wait_for(lambda: len(_delivered(harness["mail_dir"])) >= expected, harness, f"{expected} reminders")
    time.sleep(SETTLE_SECONDS)  # time for a duplicate to show itself
    delivered = _delivered(harness["mail_dir"])
    ids = sorted(message["X-Send-MIS-Reminder"] for message in delivered)
    assert ids == sorted(str(pk) for pk in Reminder.objects.values_list("pk", flat=True)), "each exactly once"
    assert len(ids) == expected
    for message in delivered:
        assert message["Message-ID"] == emails.message_id("reminder", message["X-Send-MIS-Reminder"])
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


@pytest.fixture
def three_reminders(pupil_oak, senco_a, make_deadline):
    """Three LA duties overdue by 1, 2 and 3 days: three reminders to the SENCO, no escalation."""
    today = timezone.localdate(recent_school_day_start())
    for days in (1, 2, 3):
        make_deadline(pupil_oak, today - timedelta(days=days), party=Party.LA)
    return 3


def test_a_reminder_claimed_by_a_worker_killed_mid_send_is_sent_once_after_its_lease(harness, three_reminders):
    now = recent_school_day_start()
    first = harness["start_worker"]()
    harness["hang"].touch()
    result = harness["sweep"](now)
    assert result.returncode == 0, result.stderr

    sending = Path(str(harness["hang"]) + ".sending")
    _wait_for(sending.exists, harness, "the first send to start")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _delivered(harness["mail_dir"]) == []
    stuck = Reminder.objects.get(claimed_at__isnull=False)
    assert stuck.sent_at is None

    harness["start_worker"]()
    # Within the lease nothing is taken from the dead worker; past it, the next sweep releases and re-queues.
    # (The worker claimed by the real clock; the sweeps' clock is set from its claim.)
    assert harness["sweep"](stuck.claimed_at + services.CLAIM_LEASE - timedelta(minutes=1)).returncode == 0
    time.sleep(SETTLE_SECONDS)
    assert Reminder.objects.get(pk=stuck.pk).sent_at is None
    result = harness["sweep"](stuck.claimed_at + services.CLAIM_LEASE + timedelta(minutes=1))
    assert result.returncode == 0, result.stderr

    _assert_each_delivered_once(harness, three_reminders)
    assert Reminder.objects.get(pk=stuck.pk).attempts == 2


def test_with_the_broker_stopped_the_sweep_logs_once_and_the_rows_go_out_when_it_returns(harness, three_reminders):
    now = recent_school_day_start()
    harness["start_worker"]()
    harness["redis"].stop()

    started = time.monotonic()
    result = harness["sweep"](now)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "recorded 3" in result.stdout
    assert result.stderr.count("broker unreachable") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 15, f"the sweep was held {elapsed:.1f} s by the outage"
    assert Reminder.objects.filter(claimed_at__isnull=True, sent_at__isnull=True).count() == three_reminders

    harness["redis"].start()
    result = harness["sweep"](now + timedelta(minutes=15))  # the next sweep after the broker is back
    assert result.returncode == 0, result.stderr
    assert "broker unreachable" not in result.stderr
    _assert_each_delivered_once(harness, three_reminders)
