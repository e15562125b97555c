"""Fixtures for the deadline tests: deadlines made directly (any row can be a duty's source) and eager Celery."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deadlines import rules
from deadlines.models import Deadline, Party
from pupils.models import Pupil, Term

_kinds = itertools.count()


# A Wednesday in term with no bank holiday near it: sweeps given this clock send on school days whatever day the
# suite runs.
SCHOOL_DAY_NOON = timezone.make_aware(datetime(2026, 11, 18, 12, 0))


def recent_school_day_start() -> datetime:
    """One second into the latest school day (no weekend or bank holiday) at or before now: for tests whose
    workers read the real clock, a sweep clock that records reminders whatever day the suite runs and is never
    later than the workers' clock."""
    day = rules.previous_school_day(timezone.localdate(), rules.school_day_rule())
    return timezone.make_aware(datetime.combine(day, time(0, 0, 1)))


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def make_deadline(db) -> Callable[..., Deadline]:
    """make_deadline(pupil, due_on, **fields): one open school deadline whose source is the pupil itself."""

    def _make(pupil: Pupil, due_on: date, **fields) -> Deadline:
        values = {
            "kind": f"test_duty_{next(_kinds)}",
            "title": "Give advice for an EHC needs assessment",
            "rule": "Within 6 weeks of the LA's request (reg 8(1))",
            "party": Party.SCHOOL,
        } | fields
        return Deadline.objects.create(
            school_id=pupil.school_id,
            pupil=pupil,
            due_on=due_on,
            source_type=ContentType.objects.get_for_model(Pupil),
            source_id=str(pupil.pk),
            **values,
        )

    return _make


@pytest.fixture
def bulk_deadlines(db) -> Callable[..., list[Deadline]]:
    """bulk_deadlines(pupils, today): per pupil, one overdue, one due within 14 days and one met deadline."""

    def _make(pupils: list[Pupil], today: date) -> list[Deadline]:
        source_type = ContentType.objects.get_for_model(Pupil)
        rows = []
        for i, pupil in enumerate(pupils):
            for kind, due_on, status, met_on in (
                ("advice", today - timedelta(days=1 + i % 9), "open", None),
                ("draft_views", today + timedelta(days=i % 14), "open", None),
                ("review", today - timedelta(days=30), "met", today - timedelta(days=31)),
            ):
                rows.append(
                    Deadline(
                        school_id=pupil.school_id,
                        pupil=pupil,
                        kind=kind,
                        title=f"Bulk duty {kind}",
                        rule="A rule",
                        due_on=due_on,
                        status=status,
                        met_on=met_on,
                        source_type=source_type,
                        source_id=str(pupil.pk),
                    )
                )
        return Deadline.objects.bulk_create(rows)

    return _make


@pytest.fixture
def autumn_terms(school_a) -> list[Term]:
    """School A's 2026/27 autumn: a half-term closure from 26 October 2026, reopening on 2 November."""
    return [
        Term.objects.create(school=school_a, name="Autumn 1", starts_on=date(2026, 9, 2), ends_on=date(2026, 10, 23)),
        Term.objects.create(school=school_a, name="Autumn 2", starts_on=date(2026, 11, 2), ends_on=date(2026, 12, 18)),
        Term.objects.create(school=school_a, name="Spring 1", starts_on=date(2027, 1, 5), ends_on=date(2027, 2, 12)),
    ]
