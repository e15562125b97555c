"""The score import's limits: a file over 5 MB is refused from its recorded size without being read, and a
file of many bad rows gives a short page (the first 100 rows and the count of the rest)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from provision import imports
from provision.models import ProgressScore

pytestmark = pytest.mark.django_db

URL = "provision:score-import"


@pytest.fixture
def senco(login, senco_a, provision_points, provision_subjects):
    return login(senco_a)


def test_a_file_over_five_megabytes_is_refused_before_it_is_read(senco, monkeypatch):
    def never(raw):
        raise AssertionError("the file was read")

    monkeypatch.setattr(imports, "decode", never)
    raw = b"UPN,subject,point,score\n" + b"x" * (imports.MAX_BYTES + 1)

    response = senco.post(reverse(URL), {"file": SimpleUploadedFile("big.csv", raw, content_type="text/csv")})

    assert response.status_code == 200
    assert "larger than 5 MB" in str(response.context["form"].errors["file"])
    assert not ProgressScore.objects.exists()


def test_many_bad_rows_are_listed_up_to_a_hundred_with_the_count_of_the_rest(senco):
    text = "UPN,subject,point,score\n" + "Z999999999999,Reading,Autumn test,98\n" * 250

    response = senco.post(reverse(URL), {"file": SimpleUploadedFile("bad.csv", text.encode(), content_type="text/csv")})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("Unknown UPN") == 100
    assert "250 with problems" in content
    assert "The first 100 rows with problems are listed; 150 more are not." in content
