"""Reminder and digest emails: both bodies, initials and year group with a link, never a pupil's name in a
subject (nor in the body: initials only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from deadlines import services
from deadlines.models import Party, Reminder
from pupils.models import Pupil
from tests.fixtures.deadlines import SCHOOL_DAY_NOON

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(pupil_oak, pupil_ash, senco_a, head_a, make_deadline, django_capture_on_commit_callbacks):
    """Every kind of email: reminders before, on the day, overdue, an escalation, an LA chase, and digests."""
    now = SCHOOL_DAY_NOON
    today = timezone.localdate(now)
    make_deadline(pupil_oak, today + timedelta(days=7), title="Views on the draft EHC plan")
    make_deadline(pupil_oak, today, title="Advice for the EHC needs assessment")
    make_deadline(pupil_ash, today - timedelta(days=3), title="Annual review report")
    make_deadline(pupil_ash, today - timedelta(days=1), title="LA decision on assessment", party=Party.LA)
    # Sent with the sweep's clock (the queued tasks would read the real one, and the bodies say "due today").
    with django_capture_on_commit_callbacks(execute=False):
        reminder_ids = services.reminders_record(now=now)
        digest_ids = services.digests_record(now=now)
    for reminder_id in reminder_ids:
        services.reminder_send(reminder_id=reminder_id, now=now)
    for digest_id in digest_ids:
        services.digest_send(digest_id=digest_id, now=now)
    return mail.outbox


def test_every_email_has_a_text_and_an_html_body(sent):
    assert len(sent) == 6  # 4 reminders to the SENCO, 1 escalation to the head, the SENCO's digest
    for message in sent:
        assert message.body.strip()
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html" and html.lstrip().startswith("<!doctype html>")


def test_no_subject_names_a_pupil(sent):
    names = set(Pupil.objects.values_list("legal_surname", flat=True)) | set(
        Pupil.objects.values_list("legal_forename", flat=True)
    )
    for message in sent:
        assert "\n" not in message.subject
        for name in names:
            assert name not in message.subject, message.subject


def test_bodies_name_a_pupil_by_initials_and_year_group_with_a_link(sent, pupil_oak, pupil_ash):
    link = settings.SITE_URL + reverse("overview:pupil", args=[pupil_oak.pk])
    reminder = next(
        m for m in sent if "Advice for the EHC needs assessment" in m.body and "X-Send-MIS-Reminder" in m.extra_headers
    )
    html = reminder.alternatives[0][0]
    for body in (reminder.body, html):
        assert "AT, Year 3" in body and link in body
        assert pupil_oak.legal_surname not in body and pupil_oak.legal_forename not in body
    assert "due today" in reminder.body and "Rule: Within 6 weeks" in reminder.body


def test_the_escalation_goes_to_the_head_and_says_why(sent, head_a, pupil_ash):
    [escalation] = [m for m in sent if m.to == [head_a.email]]
    assert escalation.subject.startswith("Escalation: a school deadline is 3 days overdue")
    assert "as head teacher" in escalation.body and "JP, Year 4" in escalation.body


def test_an_la_reminder_asks_the_senco_to_chase(sent):
    [chase] = [m for m in sent if m.subject.startswith("Chase the LA")]
    assert "Please chase the LA" in chase.body and "Please chase the LA" in chase.alternatives[0][0]


def test_the_digest_lists_overdue_first_then_due_soon_in_both_bodies(sent, senco_a):
    [digest] = [m for m in sent if m.to == [senco_a.email] and "X-Send-MIS-Digest" in m.extra_headers]
    assert (
        digest.subject.startswith("Your SEND deadlines for ")
        and "2 overdue, 2 due in the next 14 days" in digest.subject
    )
    for body in (digest.body, digest.alternatives[0][0]):
        assert (
            body.index("Overdue (2)") < body.index("Annual review report") < body.index("Due in the next 14 days (2)")
        )
        assert body.index("Due in the next 14 days (2)") < body.index("Views on the draft EHC plan")


def test_each_reminder_email_carries_its_reminder_id(sent):
    ids = {m.extra_headers["X-Send-MIS-Reminder"] for m in sent if "X-Send-MIS-Reminder" in m.extra_headers}
    assert ids == {str(pk) for pk in Reminder.objects.values_list("pk", flat=True)}
