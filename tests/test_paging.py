"""A list's first rows with its count in one query: the subquery count and the window count give the same
rows and the same total, whatever the limit, and nothing for an empty list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pupils.models import Pupil
from send_mis.paging import counted_rows, rows_and_count_of, windowed_rows


@pytest.mark.parametrize("rows_of", [counted_rows, windowed_rows])
@pytest.mark.parametrize("limit", [1, 4, 50])
def test_the_first_rows_and_the_total_in_one_query(rows_of, limit, make_pupils, school_a, school_b, class_oak):
    make_pupils(7, school_a, class_oak)
    make_pupils(3, school_b)
    listed = Pupil.objects.filter(school=school_a).order_by("legal_surname", "legal_forename", "pk")

    with CaptureQueriesContext(connection) as captured:
        rows, total = rows_of(listed, limit)

    assert len(captured) == 1
    assert total == 7  # the other school's three are not counted
    assert rows == list(listed[:limit])


@pytest.mark.parametrize("rows_of", [counted_rows, windowed_rows])
def test_an_empty_list_has_no_rows_and_a_total_of_nought(rows_of, school_a, db):
    assert rows_of(Pupil.objects.filter(school=school_a), 10) == ([], 0)


def test_rows_with_the_count_of_another_list_in_one_query(make_pupils, school_a, school_b, class_oak):
    make_pupils(7, school_a, class_oak)
    make_pupils(3, school_b)
    listed = Pupil.objects.filter(school=school_a).order_by("legal_surname", "legal_forename", "pk")

    with CaptureQueriesContext(connection) as captured:
        rows, counted = rows_and_count_of(listed, 4, Pupil.objects.filter(school=school_b))

    assert len(captured) == 1
    assert (rows, counted) == (list(listed[:4]), 3)
    assert rows_and_count_of(listed.none(), 4, Pupil.objects.all()) == ([], 0)  # no rows carry the count
