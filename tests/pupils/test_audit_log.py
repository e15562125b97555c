"""The head's audit log: a count, pages of 50, and filters by person, pupil (by id), action and date range, so
that "who opened this pupil's record last week?" is one question; labels in sentence case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pupils import services
from pupils.models import Pupil
from send_mis.text import mid_sentence, sentence_case

URL = "/audit/"


def _read(pupil, actor, *, days_ago: int) -> LogEntry:
    services.pupil_record_viewed(pupil=pupil, actor=actor)
    entry = LogEntry.objects.filter(object_pk=str(pupil.pk), actor=actor).latest("pk")
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(days=days_ago))
    return entry


def _listed(client, **query) -> list[int]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return [entry.pk for entry in response.context["page"].object_list]


def test_the_url_is_the_audit_log():
    assert reverse("pupils:audit-log") == URL


def test_who_opened_this_pupils_record_last_week(login, head_a, dsl_a, senco_a, pupil_oak, pupil_ash):
    today = timezone.localdate()
    last_week = _read(pupil_oak, dsl_a, days_ago=6)
    _read(pupil_oak, dsl_a, days_ago=20)  # too long ago
    _read(pupil_ash, dsl_a, days_ago=5)  # another pupil
    senco_read = _read(pupil_oak, senco_a, days_ago=3)
    client = login(head_a)
    week = {"since": (today - timedelta(days=7)).isoformat(), "until": today.isoformat()}

    assert _listed(client, pupil=str(pupil_oak.pk), action=LogEntry.Action.ACCESS, **week) == [
        senco_read.pk,
        last_week.pk,
    ]
    assert _listed(client, pupil=str(pupil_oak.pk), person=str(dsl_a.pk), **week) == [last_week.pk]


def test_the_pupil_filter_finds_rows_of_the_pupils_other_records_too(login, head_a, teacher_a, pupil_oak, pupil_ash):
    concern = services.concern_raise(pupil=pupil_oak, description="Finds reading hard.", actor=teacher_a)
    other = services.concern_raise(pupil=pupil_ash, description="Finds counting hard.", actor=teacher_a)

    rows = login(head_a).get(URL, {"pupil": str(pupil_oak.pk)}).context["page"].object_list

    shown = {(row.content_type.model, row.object_pk) for row in rows}
    assert ("senconcern", str(concern.pk)) in shown
    assert ("senconcern", str(other.pk)) not in shown
    assert {pk for model, pk in shown if model == "pupil"} == {str(pupil_oak.pk)}


def test_the_filters_carry_the_pupils_id_and_never_a_name(login, head_a, dsl_a, pupil_oak, make_pupils, school_a):
    make_pupils(60, school_a)
    LogEntry.objects.filter(object_pk=str(pupil_oak.pk)).delete()  # the fixture's own "create" row
    for days in range(55):
        _read(pupil_oak, dsl_a, days_ago=days)

    page = login(head_a).get(URL, {"pupil": str(pupil_oak.pk)}).content.decode()

    assert f'<option value="{pupil_oak.pk}" selected>' in page
    next_link = page[page.index('rel="next"') - 200 : page.index('rel="next"')]
    assert f"pupil={pupil_oak.pk}" in next_link and "page=2" in next_link
    assert pupil_oak.legal_surname not in next_link
    assert "55 entries match; page 1 of 2." in page


def test_pupils_who_share_a_name_are_told_apart_in_the_filter(login, head_a, pupil_oak, class_ash):
    from tests.factories import PupilFactory

    twin = PupilFactory(
        school=pupil_oak.school,
        school_class=class_ash,
        legal_forename=pupil_oak.legal_forename,
        legal_surname=pupil_oak.legal_surname,
    )
    labels = dict(login(head_a).get(URL).context["form"].fields["pupil"].choices)

    assert labels[str(pupil_oak.pk)] != labels[str(twin.pk)]
    assert class_ash.name in labels[str(twin.pk)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2026-03-10", "until": "2026-03-01"}, "The end of the range must be on or after its start."),
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"pupil": "not-an-id"}, "Select a valid choice."),
        ({"person": "99999"}, "Select a valid choice."),
        ({"action": "7"}, "Select a valid choice."),
    ],
)
def test_a_bad_filter_says_why_keeps_the_others_and_never_fails(login, head_a, dsl_a, pupil_oak, query, message):
    entry = _read(pupil_oak, dsl_a, days_ago=1)

    response = login(head_a).get(URL, {**query, "person": query.get("person", str(dsl_a.pk))})

    assert response.status_code == 200
    assert message in response.content.decode()
    if "person" not in query:
        assert [row.pk for row in response.context["page"].object_list] == [entry.pk]


def test_labels_are_in_sentence_case_with_abbreviations_in_capitals(login, head_a, teacher_a, pupil_oak):
    services.concern_raise(pupil=pupil_oak, description="Finds reading hard.", actor=teacher_a)

    page = login(head_a).get(URL).content.decode()

    assert "SEN concern: " in page
    assert "Sen concern" not in page
    assert ">Create<" in page


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ehc plan", "EHC plan"),
        ("first issued on", "First issued on"),
        ("sen concern", "SEN concern"),
        ("la_decision_on", "LA decision on"),
        ("review advice", "Review advice"),
        ("send history", "Send history"),  # "send" is more often the verb: left alone
    ],
)
def test_sentence_case(raw, shown):
    assert sentence_case(raw) == shown


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("The LA will carry out an EHC needs assessment", "the LA will carry out an EHC needs assessment"),
        ("LA decided to maintain the plan", "LA decided to maintain the plan"),
        ("EHC plan issued", "EHC plan issued"),
        ("Amended after review", "amended after review"),
    ],
)
def test_mid_sentence_lowers_only_the_first_letter_and_never_an_abbreviation(label, shown):
    assert mid_sentence(label) == shown


# The audit log as the head, whatever the number of pupils:
#   1-4. session, user, memberships, current school     5. the school's staff, for "Who"
#   6. the school's pupils, for "Pupil" (one query, with class)
#   7. COUNT of matching entries (paginator)   8. the page of entries, with actor and content type
# (Pupil's content type comes from Django's per-process cache, warmed first.)
AUDIT_LOG = 8


def test_the_audit_log_runs_the_same_queries_for_50_and_500_pupils(login, head_a, dsl_a, school_a, make_pupils):
    client = login(head_a)
    pupils = make_pupils(50, school_a)
    query = {"pupil": str(pupils[0].pk), "since": "2020-01-01"}
    for pupil in pupils[:3]:
        _read(pupil, dsl_a, days_ago=1)
    ContentType.objects.get_for_model(Pupil)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        return len(captured)

    small = count()
    for pupil in make_pupils(450, school_a)[:60]:
        _read(pupil, dsl_a, days_ago=1)
    large = count()

    assert small == large == AUDIT_LOG
