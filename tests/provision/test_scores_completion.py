"""The scores page as a completion grid: each class at each assessment point complete, partly entered or not
started, with the counts, in a fixed number of queries whatever the number of pupils."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provision.models import ProgressScore


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
