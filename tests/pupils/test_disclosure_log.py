"""The disclosure log (policy section 17): downloads logged with who, what and when; documents sent outside the
school with the recipient and one of the purposes reg 17 allows; read and added to per pupil by head and SENCO."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils import services
from pupils.models import DisclosedDocument, Disclosure, DisclosurePurpose

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
LOGIN = "login"
# pupil_oak's log: the SENCO and head read and add to it; the class teacher and DSL see the pupil but not the log
# (403); anyone who cannot see the pupil gets 404.
ON_PUPIL = {
    "anonymous": LOGIN,
    "senco_a": 200,
    "head_a": 200,
    "teacher_a": 403,
    "dsl_a": 403,
    "teacher_b": 404,
    "governor_a": 404,
    "senco_b": 404,
}
ACCESS = {"disclosures:pupil-log": ON_PUPIL, "disclosures:record": ON_PUPIL}


def test_every_disclosures_url_has_a_row():
    from pupils import disclosure_urls

    assert {f"disclosures:{p.name}" for p in disclosure_urls.urlpatterns} == set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(ACCESS))
def test_disclosures_url_by_role(request, login, pupil_oak, url_name, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)

    response = login(user).get(reverse(url_name, args=[pupil_oak.pk]))

    expected = ACCESS[url_name][role]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_a_download_is_logged_with_who_what_and_when(pupil_oak, senco_a):
    now = timezone.now()

    disclosure = services.disclosure_record(
        pupil=pupil_oak, document=DisclosedDocument.PASSPORT, actor=senco_a, now=now
    )

    assert (disclosure.disclosed_by, disclosure.disclosed_at, disclosure.left_the_school) == (senco_a, now, False)
    entry = LogEntry.objects.get(object_pk=str(disclosure.pk))
    assert entry.actor == senco_a and entry.additional_data["pupil_id"] == str(pupil_oak.pk)


@pytest.mark.parametrize(
    ("recipient", "purpose"), [("Head of Bulwell Academy", ""), ("", DisclosurePurpose.NEXT_SETTING), (" ", "ofsted")]
)
def test_a_document_sent_outside_needs_both_recipient_and_purpose(pupil_oak, senco_a, recipient, purpose):
    with pytest.raises(ValidationError):
        services.disclosure_record(
            pupil=pupil_oak,
            document=DisclosedDocument.EHC_PLAN,
            actor=senco_a,
            now=timezone.now(),
            recipient=recipient,
            purpose=purpose,
        )
    assert not Disclosure.objects.exists()


def test_the_senco_records_a_plan_sent_to_the_next_school_and_reads_it_in_the_log(login, senco_a, pupil_oak):
    client = login(senco_a)

    response = client.post(
        reverse("disclosures:record", args=[pupil_oak.pk]),
        {"document": "ehc_plan", "recipient": "Head of Bulwell Academy", "purpose": "next_setting"},
    )

    assert response.status_code == 302
    page = client.get(reverse("disclosures:pupil-log", args=[pupil_oak.pk])).content.decode()
    assert "Head of Bulwell Academy" in page
    assert "Headteacher of the setting the pupil is to start next" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"document": "ehc_plan", "recipient": "", "purpose": "consent"},
        {"document": "ehc_plan", "recipient": "LA", "purpose": "gossip"},
        {"document": "diary", "recipient": "LA", "purpose": "consent"},
        {"document": "ehc_plan", "recipient": "x" * 201, "purpose": "consent"},
    ],
)
def test_bad_input_is_explained_and_nothing_is_logged(login, senco_a, pupil_oak, data):
    response = login(senco_a).post(reverse("disclosures:record", args=[pupil_oak.pk]), data)

    assert response.status_code == 200 and response.context["form"].errors
    assert not Disclosure.objects.exists()
    if data.get("recipient"):
        assert response.context["form"]["recipient"].value() == data["recipient"]


def test_the_pupil_page_links_to_the_log_for_head_and_senco_only(login, senco_a, head_a, teacher_a, pupil_oak):
    url = reverse("overview:pupil", args=[pupil_oak.pk])
    link = reverse("disclosures:pupil-log", args=[pupil_oak.pk])

    assert link in login(senco_a).get(url).content.decode()
    assert link in login(head_a).get(url).content.decode()
    assert link not in login(teacher_a).get(url).content.decode()


def test_the_log_page_runs_a_fixed_number_of_queries(login, senco_a, pupil_oak, django_assert_max_num_queries):
    for _ in range(30):
        services.disclosure_record(pupil=pupil_oak, document="passport", actor=senco_a, now=timezone.now())
    client = login(senco_a)

    # session, user, roles, pupil (with grant check), the log with who did each, the school for navigation
    with django_assert_max_num_queries(9):
        client.get(reverse("disclosures:pupil-log", args=[pupil_oak.pk]))
