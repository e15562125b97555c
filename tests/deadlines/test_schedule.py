"""The beat schedule names the deadline tasks that exist, at the times the issue asks for."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import deadlines.tasks  # noqa: F401  (registers the tasks)
from send_mis.celery import app

LONDON = ZoneInfo("Europe/London")


def test_the_reminder_sweep_runs_every_fifteen_minutes():
    entry = app.conf.beat_schedule["deadline-reminder-sweep"]
    assert entry["task"] == "deadlines.tasks.deadline_reminder_sweep_task" and entry["task"] in app.tasks
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_the_digest_runs_at_seven_in_the_morning_london_time_in_summer_and_winter():
    entry = app.conf.beat_schedule["daily-deadline-digest"]
    assert entry["task"] == "deadlines.tasks.daily_digest_sweep_task" and entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, str(schedule.tz)) == ({7}, {0}, "Europe/London")
    for month in (7, 12):  # British Summer Time, then Greenwich Mean Time
        last_run = datetime(2026, month, 1, 7, 0, tzinfo=LONDON)
        for now, due in (
            (datetime(2026, month, 2, 6, 59, tzinfo=LONDON), False),
            (datetime(2026, month, 2, 7, 0, 30, tzinfo=LONDON), True),
        ):
            with mock.patch.object(schedule, "nowfun", lambda now=now: now):
                assert schedule.is_due(last_run).is_due is due, (month, now)
