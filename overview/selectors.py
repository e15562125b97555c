"""Reads that span areas: the SEND history merges each layer's own events."""

from __future__ import annotations

from datetime import date

from deadlines import selectors as deadline_selectors
from ehc import selectors as ehc_selectors
from provision import selectors as provision_selectors
from pupils import history
from pupils.history import HistoryEvent
from pupils.models import Pupil


def send_history(pupil: Pupil, *, today: date) -> list[HistoryEvent]:
    """Everything on the pupil's SEND record in date order, oldest first: register entries and concerns,
    flags, support plans and their cycles, parent meetings, checks at two, passports, EHC events (worded as the
    EHC timeline) and deadlines with their state today. The evidence the policy (s.17) asks the school to keep
    of the support given over the pupil's time in the school and its impact."""
    events = [
        *history.history_events(pupil),
        *provision_selectors.history_events(pupil),
        *ehc_selectors.history_events(pupil),
        *deadline_selectors.history_events(pupil, today=today),
    ]
    return sorted(events, key=lambda event: (event.on, event.kind))
