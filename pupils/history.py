"""The SEND history's shape, and the core's own events: one `HistoryEvent` per dated thing on a pupil's record.

Each layer lists its own events with the same shape (pupils here; deadlines, ehc and provision in their
selectors' `history_events`), and the top layer (overview.selectors.send_history) merges them in date order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from send_mis import statements

from .models import Pupil


@dataclass(frozen=True)
class HistoryEvent:
    on: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def day_of(value: date | datetime) -> date:
    """The local day of a date or an aware datetime (a timestamp recorded in UTC shows the school's day)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def history_events(pupil: Pupil) -> list[HistoryEvent]:
    """The register entries (start and end) and SEN concerns of one pupil."""
    events: list[HistoryEvent] = []
    entries = pupil.register_entries.select_related("primary_need")
    for entry in statements.rows(entries, key=("pupils.history.entries", pupil.pk)):
        need = f" ({entry.primary_need.name})" if entry.primary_need else ""
        events.append(
            HistoryEvent(
                entry.started_on, "Register", f"{entry.get_status_display()} from this date{need}", entry.start_reason
            )
        )
        if entry.ended_on:
            events.append(
                HistoryEvent(entry.ended_on, "Register", f"{entry.get_status_display()} ended", entry.end_reason)
            )
    for concern in statements.rows(pupil.sen_concerns.all(), key=("pupils.history.concerns", pupil.pk)):
        events.append(
            HistoryEvent(
                day_of(concern.raised_at),
                "SEN concern",
                f"Concern raised: {concern.get_status_display()}",
                concern.description,
            )
        )
    return events
