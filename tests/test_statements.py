"""Statements compiled once per process for the same key (send_mis/statements.py): the same rows as Django's own
evaluation, read afresh every time, compiled once; a key that misses an input fails under the check."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count, F
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from pupils.models import Pupil, RegisterEntry
from send_mis import statements
from send_mis.statements import StatementKeyError


@pytest.fixture(autouse=True)
def _nothing_kept():
    statements.forget()
    yield
    statements.forget()


def _compiles():
    """Count Django's compiling of statements (the top-level SQLCompiler.as_sql calls)."""
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def _pupils_of(school):
    return Pupil.objects.filter(school=school).select_related("school_class").order_by("legal_surname", "pk")


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_the_rows_are_djangos_and_the_sql_is_compiled_once_per_key(make_pupils, school_a, class_oak):
    make_pupils(5, school_a, class_oak)
    key = ("pupils of", school_a.pk)

    with _compiles() as compiled:
        first = statements.rows(_pupils_of(school_a), key=key)
    assert compiled.call_count == 1
    with _compiles() as compiled, CaptureQueriesContext(connection) as captured:
        again = statements.rows(_pupils_of(school_a), key=key)

    assert compiled.call_count == 0  # the kept SQL, not compiled again
    assert len(captured) == 1  # but read from the database
    assert again == first == list(_pupils_of(school_a))
    with CaptureQueriesContext(connection) as captured:
        assert [pupil.school_class.name for pupil in again] == [class_oak.name] * 5  # filled by select_related
    assert len(captured) == 0


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_a_kept_statement_reads_rows_written_after_it_was_kept(make_pupils, school_a, class_oak):
    make_pupils(2, school_a, class_oak)
    key = ("pupils of", school_a.pk)
    assert len(statements.rows(_pupils_of(school_a), key=key)) == 2

    make_pupils(1, school_a, class_oak)
    Pupil.objects.filter(school=school_a).update(legal_surname="Renamed")

    rows = statements.rows(_pupils_of(school_a), key=key)
    assert len(rows) == 3
    assert {pupil.legal_surname for pupil in rows} == {"Renamed"}


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_annotations_and_values_come_back_as_djangos(make_pupils, school_a, class_oak):
    make_pupils(4, school_a, class_oak)
    counted = (
        Pupil.objects.filter(school=school_a)
        .values_list("school_class__name")
        .annotate(n=Count("*"))
        .order_by("school_class__name")
    )
    annotated = _pupils_of(school_a).annotate(class_name=F("school_class__name"))
    ids = Pupil.objects.filter(school=school_a).order_by("pk").values_list("pk", flat=True)

    for _ in range(2):  # compiled, then kept
        assert statements.rows(counted, key=("counted", school_a.pk)) == [(class_oak.name, 4)]
        assert [p.class_name for p in statements.rows(annotated, key=("annotated", school_a.pk))] == [
            class_oak.name
        ] * 4
        assert statements.rows(ids, key=("ids", school_a.pk)) == list(ids)
        assert statements.first(_pupils_of(school_a), key=("first", school_a.pk)) == _pupils_of(school_a).first()
    assert statements.first(_pupils_of(school_a).none(), key=("none",)) is None


def test_a_key_that_misses_an_input_fails_under_the_check(make_pupils, school_a, school_b, class_oak):
    make_pupils(2, school_a, class_oak)
    make_pupils(3, school_b)
    statements.rows(_pupils_of(school_a), key=("pupils of a school",))

    with pytest.raises(StatementKeyError):
        statements.rows(_pupils_of(school_b), key=("pupils of a school",))
    # Without the check (production), the kept SQL would answer with the first school's pupils: the reason
    # every input goes in the key, and the suite runs with the check on.
    with override_settings(SEND_MIS_STATEMENT_CHECK=False):
        wrong = statements.rows(_pupils_of(school_b), key=("pupils of a school",))
    assert {pupil.school_id for pupil in wrong} == {school_a.pk}


def test_the_same_key_with_the_same_inputs_passes_the_check(make_pupils, school_a, class_oak):
    make_pupils(2, school_a, class_oak)
    for _ in range(3):
        assert len(statements.rows(_pupils_of(school_a), key=("pupils of", school_a.pk))) == 2


def test_a_queryset_known_to_be_empty_is_evaluated_and_not_kept(db):
    with CaptureQueriesContext(connection) as captured:
        assert statements.rows(Pupil.objects.filter(pk__in=[]), key=("nobody",)) == []
    assert len(captured) == 0
    assert statements._kept == {}


def test_sql_for_raw_statements_is_kept_and_checked(school_a, school_b):
    on_roll = Pupil.objects.filter(school=school_a).values("school_class")
    text, params = statements.sql(on_roll, key=("roll", school_a.pk))
    assert (text, params) == (lambda q: (q[0], tuple(q[1])))(on_roll.query.sql_with_params())
    with override_settings(SEND_MIS_STATEMENT_CHECK=False), _compiles() as compiled:
        assert statements.sql(on_roll, key=("roll", school_a.pk)) == (text, params)
    assert compiled.call_count == 0
    with pytest.raises(StatementKeyError):
        statements.sql(Pupil.objects.filter(school=school_b).values("school_class"), key=("roll", school_a.pk))


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_the_least_recently_used_key_goes_first(monkeypatch, school_a):
    monkeypatch.setattr(statements, "MAX_KEPT", 2)
    entries = RegisterEntry.objects.filter(school=school_a).order_by("pk")
    statements.rows(entries, key=("one",))
    statements.rows(entries, key=("two",))
    statements.rows(entries, key=("one",))  # used again: now the latest
    statements.rows(entries, key=("three",))

    kept = [full_key[-1] for full_key in statements._kept]
    assert kept == ["one", "three"]
    assert len({id(sql) for _, sql, _ in statements._kept.values()}) == 1  # one shape, one SQL string


def test_a_key_kept_for_some_rows_then_given_a_queryset_known_to_be_empty_fails_under_the_check(school_a):
    statements.rows(Pupil.objects.filter(pk__in=[school_a.pk]), key=("chosen pupils",))
    with pytest.raises(StatementKeyError):
        statements.rows(Pupil.objects.filter(pk__in=[]), key=("chosen pupils",))
