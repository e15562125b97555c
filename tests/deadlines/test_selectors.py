"""Deadline reads are scoped: by school for the dashboard panels, by the user asking for everything else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from deadlines import access, selectors
from deadlines.models import DeadlineStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(pupil_oak, pupil_ash, pupil_b, teacher_a, make_deadline, today):
    return {
        "oak_overdue": make_deadline(pupil_oak, today - timedelta(days=2)),
        "oak_teacher": make_deadline(pupil_oak, today + timedelta(days=20), responsible=teacher_a),
        "ash_soon": make_deadline(pupil_ash, today + timedelta(days=14)),
        "ash_met": make_deadline(pupil_ash, today - timedelta(days=1), status=DeadlineStatus.MET, met_on=today),
        "b_today": make_deadline(pupil_b, today),
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("senco_a", {"oak_overdue", "oak_teacher", "ash_soon", "ash_met"}),
        ("head_a", {"oak_overdue", "oak_teacher", "ash_soon", "ash_met"}),
        ("dsl_a", {"oak_overdue", "oak_teacher", "ash_soon", "ash_met"}),
        ("teacher_a", {"oak_overdue", "oak_teacher"}),
        ("teacher_b", {"ash_soon", "ash_met"}),
        ("governor_a", set()),
        ("senco_b", {"b_today"}),
    ],
)
def test_each_role_sees_the_deadlines_the_design_allows(request, spread, role, visible):
    user = request.getfixturevalue(role)
    names = {pk: name for name, pk in ((n, d.pk) for n, d in spread.items())}
    assert {names[pk] for pk in access.deadlines_visible_to(user).values_list("pk", flat=True)} == visible


def test_overdue_and_due_soon_are_the_schools_open_deadlines_either_side_of_today(school_a, spread, today):
    assert list(selectors.deadlines_overdue(school_a, today=today)) == [spread["oak_overdue"]]
    assert list(selectors.deadlines_due_soon(school_a, today=today)) == [spread["ash_soon"]]
    assert list(selectors.deadlines_due_soon(school_a, today=today, days=30)) == [
        spread["ash_soon"],
        spread["oak_teacher"],
    ]


def test_a_persons_deadlines_are_those_they_are_responsible_for_else_the_sencos(
    senco_a, teacher_a, head_a, spread, today
):
    assert list(selectors.deadlines_for_user(teacher_a, today=today)) == [spread["oak_teacher"]]
    assert list(selectors.deadlines_for_user(senco_a, today=today)) == [spread["oak_overdue"], spread["ash_soon"]]
    assert list(selectors.deadlines_for_user(senco_a, today=today, days=7)) == [spread["oak_overdue"]]
    assert list(selectors.deadlines_for_user(head_a, today=today)) == []


def test_a_pupils_deadlines_include_closed_ones(pupil_ash, spread):
    assert list(selectors.deadlines_for_pupil(pupil_ash)) == [spread["ash_met"], spread["ash_soon"]]


def test_a_range_is_inclusive_and_can_be_scoped_to_a_user(school_a, teacher_b, spread, today):
    start, end = today - timedelta(days=2), today + timedelta(days=14)
    assert set(selectors.deadlines_in_range(school_a, start, end)) == {
        spread["oak_overdue"],
        spread["ash_met"],
        spread["ash_soon"],
    }
    assert set(selectors.deadlines_in_range(school_a, start, end, user=teacher_b)) == {
        spread["ash_met"],
        spread["ash_soon"],
    }


def test_the_dashboard_panels_attach_states_and_warnings(school_a, pupil_oak, make_deadline):
    make_deadline(pupil_oak, date(2026, 12, 25))
    overdue, due_soon = selectors.deadline_panels(school_a, today=date(2026, 12, 20))
    assert (overdue.count, due_soon.count) == (0, 1)
    [row] = due_soon.first
    assert row.current_state == "due_soon" and row.warnings == ["falls on a bank holiday (Christmas Day)"]
