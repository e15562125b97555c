"""Rendering of deadline emails only: text and HTML bodies and a subject from templates/emails/.

No pupil name ever goes in a subject (subjects travel through mail logs and lock screens); bodies name a pupil
by initials and year group only, with a link to the record in the app, where access is checked.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Deadline, Reminder
from .rules import days_phrase
from .selectors import with_warnings_across_schools


def _pupil_url(deadline: Deadline) -> str:
    """The pupil's record, or the deadline list for a school-level deadline (no pupil)."""
    if deadline.pupil_id is None:
        return settings.SITE_URL + reverse("deadlines:deadline-list")
    return settings.SITE_URL + reverse("overview:pupil", args=[deadline.pupil_id])


def _item(deadline: Deadline, today: date) -> dict:
    pupil = deadline.pupil
    return {
        "deadline": deadline,
        "is_school_level": pupil is None,
        "initials": pupil.initials if pupil else "",
        "year_group": pupil.get_year_group_display() if pupil else "",
        "pupil_url": _pupil_url(deadline),
        "when": days_phrase(deadline.due_on, today),
        "is_overdue": deadline.due_on < today,
        "is_la": deadline.party == "la",
        "warnings": getattr(deadline, "warnings", []),
    }


def message_id(kind: str, pk) -> str:
    """A stable Message-ID for the email about one row (a reminder or a digest): the same on every attempt, so
    the rare duplicate after a crash between the mail server's acceptance and our commit is recognisable."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "send-mis.localhost"
    return f"<{kind}.{pk}@{domain}>"


def _message(name: str, context: dict, to: str, headers: dict) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}_body.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"emails/{name}_body.html", context), "text/html")
    return message


def _owner(deadline: Deadline) -> str:
    """Whose deadline it is, for an escalation: the person named as responsible, else the school's SENCOs."""
    person = deadline.responsible
    if person is None:
        return "nobody is named as responsible, so it falls to the school's SENCOs"
    return person.get_full_name() or person.get_username()


def reminder_message(reminder: Reminder, *, today: date) -> EmailMultiAlternatives:
    """One reminder (or an escalation to a head) about one deadline."""
    deadline = with_warnings_across_schools([reminder.deadline], today=today)[0]
    context = {
        "reminder": reminder,
        "recipient": reminder.recipient,
        "is_escalation": reminder.kind == "escalation",
        "owner": _owner(deadline),
        "item": _item(deadline, today),
        "deadlines_url": settings.SITE_URL + reverse("deadlines:deadline-list"),
        "site_url": settings.SITE_URL,
    }
    headers = {"X-Send-MIS-Reminder": str(reminder.pk), "Message-ID": message_id("reminder", reminder.pk)}
    return _message("deadline_reminder", context, reminder.recipient.email, headers)


def digest_message(user, deadlines: list[Deadline], *, today: date, digest_id=None) -> EmailMultiAlternatives:
    """One person's daily digest: their open deadlines, overdue first, then those due within 14 days."""
    rows = with_warnings_across_schools(deadlines, today=today)
    items = [_item(deadline, today) for deadline in rows]
    overdue = [item for item in items if item["is_overdue"]]
    due_soon = [item for item in items if not item["is_overdue"]]
    context = {
        "recipient": user,
        "today": today,
        "overdue": overdue,
        "due_soon": due_soon,
        "deadlines_url": settings.SITE_URL + reverse("deadlines:deadline-list"),
        "site_url": settings.SITE_URL,
    }
    headers = {"X-Send-MIS-Digest": f"{user.pk}:{today.isoformat()}"}
    if digest_id is not None:
        headers["Message-ID"] = message_id("digest", digest_id)
    return _message("deadline_digest", context, user.email, headers)
