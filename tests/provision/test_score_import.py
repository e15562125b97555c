"""The SENCO's CSV import: every bad row reported with its line and reason; nothing imported from a file with
errors unless the user asks for only the good rows; whole-file problems refused without a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from provision.models import ProgressFlag, ProgressScore

pytestmark = pytest.mark.django_db

URL = "provision:score-import"


@pytest.fixture
def senco(login, senco_a, provision_points, provision_subjects):
    return login(senco_a)


def _check(client, text: str | bytes, name: str = "scores.csv"):
    raw = text.encode() if isinstance(text, str) else text
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def _import(client, good_rows_only: bool = False):
    data = {"good_rows_only": "on"} if good_rows_only else {}
    return client.post(reverse(URL), data)


def test_a_good_file_is_checked_then_imported(senco, pupil_oak, pupil_ash):
    text = (
        "UPN,subject,point,score\n"
        f"{pupil_oak.upn},Reading,Autumn test,98\n"
        f"{pupil_oak.upn},maths,spring test,101.5\n"
        f"{pupil_ash.upn},Writing,Summer test,104\n"
    )
    response = _check(senco, text)
    assert response.status_code == 200
    assert b"3 good" in response.content
    assert not ProgressScore.objects.exists()  # checking imports nothing
    response = _import(senco)
    assert response.status_code == 302
    scores = {
        (s.pupil_id, s.subject.name, s.point.name): s.score
        for s in ProgressScore.objects.select_related("subject", "point")
    }
    assert scores == {
        (pupil_oak.pk, "Reading", "Autumn test"): 98,
        (pupil_oak.pk, "Maths", "Spring test"): 101.5,
        (pupil_ash.pk, "Writing", "Summer test"): 104,
    }


BAD_FILE = (
    "UPN,subject,point,score\n"
    "{oak},Reading,Autumn test,98\n"  # line 2: good
    "Z999999999999,Reading,Autumn test,98\n"  # line 3: unknown UPN
    "{oak},Science,Autumn test,98\n"  # line 4: unknown subject
    "{oak},Reading,Easter test,98\n"  # line 5: unknown point
    "{oak},Writing,Autumn test,ninety\n"  # line 6: non-numeric score
    "{oak},Reading,Autumn test,99\n"  # line 7: duplicate of line 2
    "{oak},Maths,Autumn test\n"  # line 8: missing a value
    "{b},Reading,Autumn test,98\n"  # line 9: another school's pupil
    "{oak},Maths,Autumn test,999\n"  # line 10: outside the scale
)


def test_each_kind_of_bad_row_is_reported_with_its_line_and_reason(senco, pupil_oak, pupil_b):
    response = _check(senco, BAD_FILE.format(oak=pupil_oak.upn, b=pupil_b.upn))
    errors = dict(response.context["check"].errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Unknown UPN" in errors[3]
    assert "Unknown subject 'Science'" in errors[4]
    assert "Unknown assessment point 'Easter test'" in errors[5]
    assert "'ninety' is not a number" in errors[6]
    assert "Duplicate row: line 2" in errors[7]
    assert "Expected 4 values" in errors[8]
    assert "Unknown UPN" in errors[9]
    assert "outside the school's range" in errors[10]
    assert b"Line" in response.content and b"Duplicate row" in response.content


def test_nothing_is_imported_from_a_file_with_errors_by_default(senco, pupil_oak, pupil_b):
    _check(senco, BAD_FILE.format(oak=pupil_oak.upn, b=pupil_b.upn))
    response = _import(senco)
    assert response.status_code == 200
    assert b"Nothing was imported" in response.content
    assert not ProgressScore.objects.exists()


def test_only_the_good_rows_are_imported_when_the_user_chooses(senco, pupil_oak, pupil_b):
    _check(senco, BAD_FILE.format(oak=pupil_oak.upn, b=pupil_b.upn))
    response = _import(senco, good_rows_only=True)
    assert response.status_code == 302
    assert list(ProgressScore.objects.values_list("pupil_id", "score")) == [(pupil_oak.pk, 98)]


def test_a_wrong_header_refuses_the_whole_file(senco, pupil_oak):
    response = _check(senco, f"pupil,subject,term,mark\n{pupil_oak.upn},Reading,Autumn test,98\n")
    assert response.status_code == 200
    assert "The first line must be the header" in str(response.context["form"].errors["file"])
    assert response.context["check"] is None


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "The file is empty"),
        (b"   \n\n", "The file is empty"),
        ("UPN,subject,point,score\nB801200005001,Lecture,Autumn test,98\n".encode("utf-16"), "not UTF-8"),
        ("UPN,subject,point,score\nB801200005001,Écriture,Autumn test,98\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_an_empty_or_non_utf8_file_is_explained_not_a_500(senco, raw, message):
    response = _check(senco, raw)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert not ProgressScore.objects.exists()


def test_a_bom_from_excel_is_accepted(senco, pupil_oak):
    _check(senco, f"\ufeffUPN,Subject,Point,Score\r\n{pupil_oak.upn},Reading,Autumn test,98\r\n".encode())
    _import(senco)
    assert ProgressScore.objects.count() == 1


def test_import_without_a_checked_file_asks_for_one(senco):
    response = _import(senco)
    assert response.status_code == 200
    assert "Choose a CSV file" in str(response.context["form"].errors)


def test_importing_scores_recomputes_the_flags(senco, provision_oak_cohort, pupil_oak):
    # pupil_oak's summer reading score goes back up in line with peers: the flag is removed by the import.
    from django.utils import timezone

    from provision import services

    services.flags_compute(school=pupil_oak.school, today=timezone.localdate())
    assert ProgressFlag.objects.filter(pupil=pupil_oak).exists()
    _check(senco, f"UPN,subject,point,score\n{pupil_oak.upn},Reading,Summer test,106\n")
    _import(senco)
    assert not ProgressFlag.objects.filter(pupil=pupil_oak).exists()
