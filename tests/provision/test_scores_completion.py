"""The scores page as a completion grid: each class at each assessment point complete, partly entered or not
started, with the counts, in a fixed number of queries whatever the number of pupils."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from provision.models import AssessmentPoint, ProgressScore, Season
from provision.selectors import scores_owed
from pupils.models import SchoolClass
from tests.factories import SchoolClassFactory


def _score(pupils, subjects, point, user) -> None:
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=s, point=point, score=Decimal(100), entered_by=user)
        for p in pupils
        for s in subjects
    )


def test_each_class_and_point_shows_complete_partial_or_not_started_with_counts(
    login, senco_a, class_oak, class_ash, make_pupils, provision_points, provision_subjects
):
    autumn, spring, _summer = provision_points
    subjects = list(provision_subjects.values())
    oak = make_pupils(4, class_oak.school, class_oak)
    _score(oak, subjects, autumn, senco_a)  # every pupil, every subject
    _score(oak[:1], subjects[:1], spring, senco_a)  # one score of 4 x subjects

    response = login(senco_a).get(reverse("provision:scores"))

    cells = {(klass.name, point.name): cell for klass, row in response.context["grid"] for point, cell in row}
    expected = 4 * len(subjects)
    assert (cells["3 Oak", "Autumn test"].state, cells["3 Oak", "Autumn test"].entered) == ("complete", expected)
    assert (cells["3 Oak", "Spring test"].state, cells["3 Oak", "Spring test"].entered) == ("partial", 1)
    assert cells["3 Oak", "Summer test"].state == "empty"
    assert cells[class_ash.name, "Autumn test"].expected == 0  # no pupils: nothing to enter
    page = response.content.decode()
    assert f"{expected} of {expected}" in page and f"1 of {expected}" in page
    assert "1 complete, 1 partly entered, 4 not started." in page


def test_a_teacher_sees_only_their_own_classes_in_the_grid(login, teacher_a, class_oak, class_ash, provision_points):
    grid = login(teacher_a).get(reverse("provision:scores")).context["grid"]

    assert [klass for klass, _row in grid] == [class_oak]


# The scores page as the SENCO:
#   1-4. session, user, memberships, current school   5. the assessment points   6. the classes
#   7. the active subjects (count)   8. pupils on roll per class   9. scores entered per class and point
SCORES_PAGE = 9


def test_the_scores_page_runs_the_same_queries_for_few_and_many_pupils(
    login, senco_a, class_oak, class_ash, make_pupils, provision_points, provision_subjects
):
    client = login(senco_a)
    subjects = list(provision_subjects.values())
    url = reverse("provision:scores")
    _score(make_pupils(3, class_oak.school, class_oak), subjects, provision_points[0], senco_a)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    _score(make_pupils(60, class_ash.school, class_ash), subjects, provision_points[1], senco_a)
    assert few == count() == SCORES_PAGE


def test_scores_owed_counts_pupils_on_roll_in_the_classes_given_and_active_subjects_only(
    senco_a, school_a, class_oak, class_ash, make_pupils, provision_subjects
):
    """The dashboard's and Today's "scores owed": expected is pupils on roll at the point x active subjects;
    entered counts only their scores in active subjects; a class not given is not looked at."""
    today = timezone.localdate()
    point = AssessmentPoint.objects.create(
        school=school_a, name="Check", season=Season.OTHER, academic_year=2026, assessed_on=today - timedelta(days=2)
    )
    subjects = list(provision_subjects.values())
    stay, leaver = make_pupils(2, school_a, class_oak)
    leaver.left_on = point.assessed_on - timedelta(days=1)
    leaver.save()
    [ash_pupil] = make_pupils(1, school_a, class_ash)
    _score([stay], subjects[:1], point, senco_a)
    _score([leaver, ash_pupil], subjects, point, senco_a)
    retired = subjects[-1]
    _score([stay], [retired], point, senco_a)
    retired.is_active = False
    retired.save()

    rows, total = scores_owed(SchoolClass.objects.filter(pk=class_oak.pk), school_a, today=today)

    active = len(subjects) - 1
    assert total == 1
    assert [(row.school_class, row.missing, row.expected) for row in rows] == [(class_oak, active - 1, active)]


def test_scores_owed_across_the_school_lists_the_first_classes_by_name_and_counts_every_class_owing(
    senco_a, school_a, class_b, make_pupils, provision_subjects
):
    """The SENCO's dashboard panel: every class of the school (None), those owing anything by name, the first
    `limit` of them, and how many owe in all; a class with every score in, or with no pupils, is left out, and
    so is another school's class."""
    today = timezone.localdate()
    point = AssessmentPoint.objects.create(
        school=school_a, name="Check", season=Season.OTHER, academic_year=2026, assessed_on=today - timedelta(days=1)
    )
    subjects = list(provision_subjects.values())
    classes = {
        name: SchoolClassFactory(school=school_a, name=name, year_group=year)
        for name, year in [("5 Elm", 5), ("2 Birch", 2), ("6 Yew", 6), ("1 Fir", 1), ("4 Pine", 4)]
    }
    counts = {"5 Elm": 2, "2 Birch": 3, "6 Yew": 1, "1 Fir": 2}  # 4 Pine: no pupils, owes nothing
    pupils = {name: make_pupils(n, school_a, classes[name]) for name, n in counts.items()}
    _score(pupils["1 Fir"], subjects, point, senco_a)  # complete: left out
    _score(pupils["2 Birch"][:1], subjects[:1], point, senco_a)
    make_pupils(2, class_b.school, class_b)  # another school's class owes everything, and is not counted

    rows, total = scores_owed(None, school_a, today=today, limit=2)

    n = len(subjects)
    assert total == 3  # 2 Birch, 5 Elm, 6 Yew
    assert [(row.school_class, row.missing, row.expected) for row in rows] == [
        (classes["2 Birch"], 3 * n - 1, 3 * n),
        (classes["5 Elm"], 2 * n, 2 * n),
    ]
    assert all(row.point == point for row in rows)
    everything, same_total = scores_owed(None, school_a, today=today)
    assert same_total == 3
    assert [row.school_class.name for row in everything] == ["2 Birch", "5 Elm", "6 Yew"]
    assert scores_owed(SchoolClass.objects.none(), school_a, today=today) == ([], 0)  # a head: no classes given
