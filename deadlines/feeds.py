"""Rendering of a person's private iCalendar feed only. Pupils appear by initials and year group, never by name:
calendar entries sync to phones and shared Outlook calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from .rules import days_phrase


def summary(deadline) -> str:
    """ "<what> – <initials>, <year group>"; "<what> – the school" for a school-level deadline."""
    if deadline.pupil_id is None:
        return f"{deadline.title} – the school"
    return f"{deadline.title} – {deadline.pupil.initials}, {deadline.pupil.get_year_group_display()}"


def _url(deadline) -> str:
    """The pupil's record, or the deadline list for a school-level deadline."""
    if deadline.pupil_id is None:
        return settings.SITE_URL + reverse("deadlines:deadline-list")
    return settings.SITE_URL + reverse("overview:pupil", args=[deadline.pupil_id])


def deadlines_calendar(deadlines, *, today: date) -> bytes:
    """An iCalendar document with one all-day VEVENT per deadline (DTSTART the due date as a DATE)."""
    cal = Calendar()
    cal.add("prodid", "-//send-mis//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "send-mis deadlines")
    cal.add("x-published-ttl", "PT1H")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@send-mis")
        event.add("dtstamp", (deadline.updated_at or datetime.now(UTC)).astimezone(UTC))
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + timedelta(days=1))
        event.add("summary", summary(deadline))
        lines = [
            f"Due {deadline.due_on:%-d %B %Y} ({days_phrase(deadline.due_on, today)}).",
            f"Rule: {deadline.rule}",
            "The LA's duty: chase the LA." if deadline.party == "la" else "The school's duty.",
            *(f"Warning: the due date {warning}." for warning in getattr(deadline, "warnings", [])),
            _url(deadline),
        ]
        event.add("description", "\n".join(lines))
        event.add("url", _url(deadline))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
