"""The password-reset email goes by a task; every email is marked Auto-Submitted; a calendar feed stops working
when its owner loses every role or is deactivated."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from deadlines.services import calendar_feed_token_issue
from pupils.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def resettable(senco_a, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://send-mis.example.org"
    senco_a.set_password("an old but long passphrase")
    senco_a.save()
    return senco_a


def test_the_reset_email_is_queued_not_sent_in_the_request(resettable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = Client().post(reverse("password_reset"), {"email": resettable.email})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_the_queued_reset_email_carries_a_working_link(resettable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": resettable.email})

    (message,) = mail.outbox
    assert message.to == [resettable.email] and message.subject == "Reset your send-mis password"
    link = re.search(r"https://send-mis\.example\.org(/accounts/reset/\S+/)", message.body).group(1)
    page = Client().get(link, follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(resettable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_every_email_is_marked_auto_submitted(resettable, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "send_mis.mail.AutoSubmittedBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": resettable.email})
    mail.EmailMessage("Subject", "Body", to=["a@example.org"], headers={"X-Other": "kept"}).send()

    assert [m.extra_headers.get("Auto-Submitted") for m in mail.outbox] == ["auto-generated", "auto-generated"]
    assert mail.outbox[1].extra_headers["X-Other"] == "kept"
    assert "Auto-Submitted: auto-generated" in mail.outbox[0].message().as_string()


def test_the_deadline_digest_is_marked_auto_submitted(senco_a, settings):
    from deadlines.emails import digest_message

    settings.EMAIL_BACKEND = "send_mis.mail.AutoSubmittedBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.utils import timezone

    digest_message(senco_a, [], today=timezone.localdate()).send()

    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def _feed(user):
    token = calendar_feed_token_issue(user=user, actor=user)
    return reverse("deadlines:feed", args=[token.token])


def test_a_feed_works_while_its_owner_holds_a_role(teacher_a):
    assert Client().get(_feed(teacher_a)).status_code == 200


def test_a_feed_stops_when_its_owner_loses_every_role(teacher_a):
    url = _feed(teacher_a)

    Membership.objects.filter(user=teacher_a).delete()

    assert Client().get(url).status_code == 404


def test_a_feed_stops_when_its_owner_is_left_with_no_role_that_has_deadlines(teacher_a, school_a):
    url = _feed(teacher_a)
    Membership.objects.create(user=teacher_a, school=school_a, role=Role.GOVERNOR)

    Membership.objects.filter(user=teacher_a, role=Role.TEACHER).delete()

    assert Client().get(url).status_code == 404


def test_a_feed_stops_when_its_owner_is_deactivated(teacher_a):
    url = _feed(teacher_a)

    teacher_a.is_active = False
    teacher_a.save()

    assert Client().get(url).status_code == 404
