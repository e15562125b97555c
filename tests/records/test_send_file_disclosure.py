"""The SEND file bundle and the common transfer file downloaded are written to the pupil's disclosure log (who, what,
when)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pupils.models import Disclosure
from records import bundle

pytestmark = pytest.mark.django_db


def test_the_send_file_download_is_logged(monkeypatch, login, head_a, pupil_oak):
    monkeypatch.setattr(bundle, "html_to_pdf", lambda html, stylesheets=(): b"%PDF-1.7 test")

    response = login(head_a).get(reverse("records:send-file", args=[pupil_oak.pk]))

    assert response.status_code == 200
    disclosure = Disclosure.objects.get()
    assert (disclosure.pupil, disclosure.document, disclosure.disclosed_by) == (pupil_oak, "send_file", head_a)


def test_a_send_file_that_cannot_be_made_logs_nothing(monkeypatch, login, senco_a, pupil_oak):
    from send_mis.pdf import PdfUnavailable

    def refuse(html, stylesheets=()):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr(bundle, "html_to_pdf", refuse)

    response = login(senco_a).get(reverse("records:send-file", args=[pupil_oak.pk]))

    assert response.status_code == 503
    assert not Disclosure.objects.exists()


def test_a_teacher_refused_the_send_file_logs_nothing(login, teacher_a, pupil_oak):
    assert login(teacher_a).get(reverse("records:send-file", args=[pupil_oak.pk])).status_code == 403
    assert not Disclosure.objects.exists()


def test_the_ctf_download_is_logged(login, senco_a, pupil_oak):
    response = login(senco_a).get(reverse("records:ctf", args=[pupil_oak.pk]))

    assert response.status_code == 200
    disclosure = Disclosure.objects.get()
    assert (disclosure.pupil, disclosure.document, disclosure.disclosed_by) == (pupil_oak, "ctf", senco_a)
