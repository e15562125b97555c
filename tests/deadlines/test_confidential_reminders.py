"""Confidential deadline kinds (a safeguarding action) remind only the person responsible: no SENCO reminder
and no escalation to the head, whom either would tell that a child protection file exists. Both sweep paths
(set-based SQL on PostgreSQL, the portable one elsewhere) route them the same way."""

from __future__ import annotations

from datetime import timedelta

import pytest

import safeguarding.access  # noqa: F401  (registers "safeguarding." as confidential, as the app does at start)
from deadlines import services
from deadlines.models import Reminder
from tests.fixtures.deadlines import SCHOOL_DAY_NOON

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["the database's own path", "portable"])
def sweep(request, monkeypatch):
    """The sweep as the database runs it (set-based SQL on PostgreSQL), and the portable path forced."""
    if request.param == "portable":
        monkeypatch.setattr(services, "_reminders_insert_sql", services._reminders_insert_portable)
    return lambda: services.reminders_record(now=SCHOOL_DAY_NOON)


def _recipients(deadline) -> set[str]:
    return set(Reminder.objects.filter(deadline=deadline).values_list("recipient__username", flat=True))


def test_a_confidential_duty_reminds_its_owner_only_even_when_overdue(
    sweep, make_deadline, pupil_oak, dsl_a, head_a, senco_a
):
    ten_days_late = SCHOOL_DAY_NOON.date() - timedelta(days=10)
    secret = make_deadline(
        pupil_oak, ten_days_late, kind="safeguarding.action", title="DSL action due", responsible=dsl_a
    )
    ordinary = make_deadline(pupil_oak, ten_days_late, kind="ehc.advice", responsible=senco_a)

    sweep()

    assert _recipients(secret) == {dsl_a.username}
    assert head_a.username in _recipients(ordinary)  # the ordinary duty escalates to the head


def test_a_confidential_duty_with_no_owner_reminds_nobody(sweep, make_deadline, pupil_oak):
    secret = make_deadline(pupil_oak, SCHOOL_DAY_NOON.date() - timedelta(days=10), kind="safeguarding.transfer")

    sweep()

    assert _recipients(secret) == set()
