"""Parent meetings of pupils on SEN support: three a year, one a term (CoP 6.65; policy section 10)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from deadlines import services as deadline_services
from deadlines.kinds import DeadlineSpec
from pupils.models import Pupil, RegisterEntry, RegisterStatus, School, Term
from pupils.services import audited

from .. import terms as term_rules
from ..kinds import PARENT_MEETING_KEY, parent_meeting_kind
from ..models import (
    ParentMeeting,
    TermlyMeeting,
)
from .plans import class_teacher

# --- Parent meetings --------------------------------------------------------------------------------------


def _term_dates(school_id) -> list[tuple[date, date]]:
    return list(Term.objects.filter(school_id=school_id).values_list("starts_on", "ends_on"))


def _termly_meeting_open(pupil: Pupil, term: term_rules.SchoolTerm) -> TermlyMeeting:
    termly, _ = TermlyMeeting.objects.get_or_create(
        pupil=pupil, academic_year=term.academic_year, season=term.season, defaults={"due_on": term.ends_on}
    )
    deadline_services.deadlines_sync(
        source=termly,
        pupil=pupil,
        specs=[
            DeadlineSpec(kind=parent_meeting_kind(term.season), due_on=term.ends_on, responsible=class_teacher(pupil))
        ],
    )
    return termly


def _on_sen_support(pupil: Pupil, on: date) -> bool:
    return RegisterEntry.objects.filter(
        pupil=pupil, ended_on__isnull=True, status=RegisterStatus.SEN_SUPPORT, started_on__lte=on
    ).exists()


def parent_meetings_schedule(*, school: School, today: date) -> int:
    """Open this term's parent-meeting deadline for every pupil on SEN support (run daily; repeating it
    changes nothing). A meeting already held this term closes the deadline at once. Returns pupils seen."""
    term = term_rules.term_containing(_term_dates(school.pk), today)
    pupils = (
        Pupil.objects.filter(school=school)
        .on_roll(today)
        .filter(register_entries__ended_on__isnull=True, register_entries__status=RegisterStatus.SEN_SUPPORT)
        .select_related("school_class")
    )
    count = 0
    for pupil in pupils:
        with transaction.atomic():
            termly = _termly_meeting_open(pupil, term)
            if termly.meeting_id is None:
                held = (
                    ParentMeeting.objects.filter(pupil=pupil, held_on__gte=term.starts_on, held_on__lte=term.ends_on)
                    .order_by("held_on")
                    .first()
                )
                if held is not None:
                    termly.meeting = held
                    termly.save(update_fields=["meeting"])
                    deadline_services.deadline_close(source=termly, kind=PARENT_MEETING_KEY, met_on=held.held_on)
        count += 1
    return count


def parent_meeting_record(
    *,
    pupil: Pupil,
    held_on: date,
    attendees: str,
    outcomes: str,
    actions_agreed: str = "",
    shared_with_parents_on: date | None = None,
    actor: User,
) -> ParentMeeting:
    """Record a meeting with parents; for a pupil on SEN support it meets that term's meeting deadline."""
    if shared_with_parents_on and shared_with_parents_on < held_on:
        raise ValidationError({"shared_with_parents_on": "The notes cannot be shared before the meeting."})
    with audited(actor):
        meeting = ParentMeeting(
            pupil=pupil,
            held_on=held_on,
            attendees=attendees.strip(),
            outcomes=outcomes.strip(),
            actions_agreed=actions_agreed.strip(),
            shared_with_parents_on=shared_with_parents_on,
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        if _on_sen_support(pupil, held_on):
            term = term_rules.term_containing(_term_dates(pupil.school_id), held_on)
            termly = _termly_meeting_open(pupil, term)
            if termly.meeting_id is None:
                termly.meeting = meeting
                termly.save(update_fields=["meeting"])
            deadline_services.deadline_close(source=termly, kind=PARENT_MEETING_KEY, met_on=held_on)
    return meeting
