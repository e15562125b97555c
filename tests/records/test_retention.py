"""Records past retention: the head's list, destruction with a reason (refused before retention ends), the
destruction logged without a name, and the pupil's records and audit rows gone."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline
from pupils.models import Pupil, RegisterEntry, SenConcern
from records import leavers, retention
from records.models import RecordDestruction
from tests.factories import PupilFactory

TODAY = date(2026, 11, 28)


@pytest.fixture
def old_leaver(school_a, class_oak, senco_a, needs):
    """A pupil born in 1990 who left in 2008: their file's retention ended on 5 June 2021."""
    from pupils import services

    pupil = PupilFactory(
        school=school_a,
        school_class=class_oak,
        legal_surname="Oldfield",
        date_of_birth=date(1990, 6, 5),
        admitted_on=date(1995, 9, 1),
        year_group=3,
    )
    services.register_entry_add(
        pupil=pupil,
        status="K",
        primary_need=needs["MLD"],
        started_on=date(2000, 1, 10),
        start_reason="Reading",
        actor=senco_a,
    )
    services.concern_raise(pupil=pupil, description="Reading", actor=senco_a)
    leavers.leaver_record(
        pupil=pupil, left_on=date(2008, 7, 18), destination_school="", destination_urn="", actor=senco_a
    )
    return pupil


def test_the_list_shows_leavers_past_retention_only(old_leaver, pupil_oak, senco_a):
    leavers.leaver_record(
        pupil=pupil_oak, left_on=date(2026, 3, 4), destination_school="", destination_urn="", actor=senco_a
    )

    assert retention.pupils_past_retention(old_leaver.school, today=TODAY) == [old_leaver]


def test_destroying_removes_every_record_and_logs_it_without_a_name(old_leaver, head_a, login):
    pupil_id = str(old_leaver.pk)

    response = login(head_a).post(
        reverse("records:records-destroy", args=[old_leaver.pk]),
        {"reason": "IRMS: date of birth + 31 years"},
        follow=True,
    )

    assert response.status_code == 200
    assert not Pupil.objects.filter(pk=pupil_id).exists()
    assert not RegisterEntry.objects.filter(pupil_id=pupil_id).exists()
    assert not SenConcern.objects.filter(pupil_id=pupil_id).exists()
    assert not Deadline.objects.filter(pupil_id=pupil_id).exists()
    assert not LogEntry.objects.filter(object_pk=pupil_id).exists()
    assert not LogEntry.objects.filter(additional_data__pupil_id=pupil_id).exists()
    logged = RecordDestruction.objects.get()
    assert (logged.initials, logged.year_of_birth, logged.destroyed_by) == (old_leaver.initials, 1990, head_a)
    assert logged.retained_until == date(2021, 6, 5)
    content = response.content.decode()
    assert "IRMS: date of birth + 31 years" in content and "Oldfield" not in content


def test_records_within_retention_cannot_be_destroyed(pupil_oak, senco_a, head_a):
    leavers.leaver_record(
        pupil=pupil_oak, left_on=date(2026, 3, 4), destination_school="", destination_urn="", actor=senco_a
    )

    with pytest.raises(ValidationError, match="must be kept until 3 November 2048"):
        retention.pupil_records_destroy(pupil=pupil_oak, reason="x", today=TODAY, now=timezone.now(), actor=head_a)
    assert Pupil.objects.filter(pk=pupil_oak.pk).exists()


def test_a_pupil_on_roll_cannot_be_destroyed(pupil_oak, head_a):
    with pytest.raises(ValidationError, match="Only a leaver"):
        retention.pupil_records_destroy(pupil=pupil_oak, reason="x", today=TODAY, now=timezone.now(), actor=head_a)


def test_destruction_needs_a_reason(old_leaver, head_a, login):
    response = login(head_a).post(
        reverse("records:records-destroy", args=[old_leaver.pk]), {"reason": " "}, follow=True
    )

    assert "This field is required." in response.content.decode()
    assert Pupil.objects.filter(pk=old_leaver.pk).exists()


@pytest.mark.parametrize(
    ("role", "list_status", "destroy_status"),
    [
        ("head_a", 200, 302),
        ("senco_a", 403, 403),
        ("teacher_a", 403, 403),
        ("teacher_b", 403, 404),
        ("governor_a", 403, 404),
        ("dsl_a", 403, 403),
        ("senco_b", 403, 404),
    ],
)
def test_only_the_head_sees_and_destroys_records_past_retention(
    request, login, old_leaver, role, list_status, destroy_status, teacher_b, governor_a, dsl_a, senco_b, head_a
):
    client = login(request.getfixturevalue(role))

    assert client.get(reverse("records:retention")).status_code == list_status
    assert (
        client.post(reverse("records:records-destroy", args=[old_leaver.pk]), {"reason": "r"}).status_code
        == destroy_status
    )


def test_anonymous_is_sent_to_sign_in(login, old_leaver):
    assert login(None).get(reverse("records:retention")).status_code == 302
    assert login(None).post(reverse("records:records-destroy", args=[old_leaver.pk])).status_code == 302
