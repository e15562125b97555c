"""Reads that span areas: the SEND history merges each layer's own events.

Also an EHC plan's section F, specified against the provision delivered this term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum

from deadlines import selectors as deadline_selectors
from ehc import selectors as ehc_selectors
from ehc.models import EhcPlan
from provision import selectors as provision_selectors
from provision.models import Attendance, SessionStatus
from provision.terms import SchoolTerm, term_containing
from pupils import history
from pupils.history import HistoryEvent
from pupils.models import Pupil, Term

from . import section_f
from .models import SectionFLine


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


@dataclass
class LineDelivery:
    line: SectionFLine
    delivery: section_f.Delivery


def specified_vs_delivered(plan: EhcPlan, *, today: date) -> tuple[SchoolTerm, list[LineDelivery]]:
    """Each section F line of the plan with the minutes owed so far this term and the minutes of sessions the
    pupil attended in the provisions linked to it. Three queries, whatever the number of lines or sessions."""
    terms = list(Term.objects.filter(school_id=plan.pupil.school_id).values_list("starts_on", "ends_on"))
    term = term_containing(terms, today)
    up_to = min(today, term.ends_on)
    weeks = section_f.school_weeks(terms or [(term.starts_on, term.ends_on)], term.starts_on, up_to)
    lines = list(plan.section_f_lines.prefetch_related("provisions"))
    attended = {
        (row["session__group__provision_id"]): row["minutes"]
        for row in Attendance.objects.filter(
            pupil_id=plan.pupil_id,
            is_present=True,
            session__status=SessionStatus.DELIVERED,
            session__held_on__range=(term.starts_on, up_to),
        )
        .values("session__group__provision_id")
        .annotate(minutes=Sum("session__minutes", filter=Q(is_present=True)))
    }
    rows = []
    for line in lines:
        delivered = sum(attended.get(p.pk, 0) for p in line.provisions.all())
        rows.append(
            LineDelivery(
                line,
                section_f.compare(minutes_per_week=line.minutes_per_week, weeks=weeks, delivered_minutes=delivered),
            )
        )
    return term, rows
