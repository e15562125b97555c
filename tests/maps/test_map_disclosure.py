"""Every download of a provision map is written to the disclosure log of each pupil it names (who, what, when):
a pupil's costed map as xlsx, CSV or PDF, and the whole-school map as xlsx (one row per pupil on it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from provision.views import maps as map_views
from pupils.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    monkeypatch.setattr(map_views, "html_to_pdf", lambda html, stylesheets=(): b"%PDF-1.7 test")


@pytest.mark.parametrize("url_name", ["maps:pupil-costed-xlsx", "maps:pupil-costed-csv", "maps:pupil-costed-pdf"])
def test_a_costed_map_download_is_logged_for_the_pupil(login, head_a, oak_session, pupil_oak, url_name):
    response = login(head_a).get(reverse(url_name, args=[pupil_oak.pk]))

    assert response.status_code == 200
    disclosure = Disclosure.objects.get()
    assert (disclosure.pupil, disclosure.document, disclosure.disclosed_by) == (pupil_oak, "provision_map", head_a)
    assert disclosure.recipient == "" and disclosure.purpose == ""


def test_the_costed_map_page_itself_is_not_a_download(login, senco_a, oak_session, pupil_oak):
    login(senco_a).get(reverse("maps:pupil-costed", args=[pupil_oak.pk]))

    assert not Disclosure.objects.exists()


def test_the_whole_school_map_is_logged_once_for_each_pupil_on_it(
    login, senco_a, oak_session, pupil_oak, reading, make_pupils, today
):
    from provision import services

    [other] = make_pupils(1, pupil_oak.school)
    services.allocation_add(group=oak_session.group, pupil=other, joined_on=today, actor=senco_a)

    login(senco_a).get(reverse("maps:map-xlsx"))

    logged = Disclosure.objects.order_by("pupil__legal_surname")
    assert sorted(d.pupil_id for d in logged) == sorted([pupil_oak.pk, other.pk])
    assert {(d.document, d.disclosed_by_id) for d in logged} == {("school_provision_map", senco_a.pk)}


def test_a_refused_download_logs_nothing(login, teacher_a, oak_session, pupil_oak):
    response = login(teacher_a).get(reverse("maps:pupil-costed-csv", args=[pupil_oak.pk]))

    assert response.status_code in (403, 404)
    assert not Disclosure.objects.exists()
