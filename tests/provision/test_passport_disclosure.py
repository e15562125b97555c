"""A passport PDF downloaded is written to the pupil's disclosure log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from provision import pdf
from pupils.models import Disclosure

pytestmark = pytest.mark.django_db


def test_a_passport_download_is_logged(login, teacher_a, pupil_oak, provision_passport, monkeypatch):
    monkeypatch.setattr(pdf, "passport_pdf", lambda **kwargs: b"%PDF-1.7 test")

    response = login(teacher_a).get(reverse("provision:passport-pdf", args=[pupil_oak.pk]))

    assert response.status_code == 200
    disclosure = Disclosure.objects.get()
    assert (disclosure.document, disclosure.disclosed_by, disclosure.pupil) == ("passport", teacher_a, pupil_oak)
