"""A pupil leaves: their details and register entry (pupils), their open duties closed with the reason, and
the school's duty to send the CTF and educational record opened (deadlines). One audited transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser

from deadlines.kinds import DeadlineSpec
from deadlines.models import Deadline, DeadlineStatus
from deadlines.selectors import deadlines_for_pupil
from deadlines.services import deadline_close, deadlines_excuse_for, deadlines_sync
from pupils.leavers import pupil_leave
from pupils.models import Pupil, School
from pupils.retention import send_file_retained_until
from pupils.services import audited
from send_mis.dates import bank_holidays_england

from .kinds import CTF_TRANSFER
from .statutory import school_days_after

CTF_SCHOOL_DAYS = 15


def ctf_due_on(pupil: Pupil, left_on: date) -> date:
    """The last day to send the CTF and educational record: 15 school days after leaving, on the school's
    terms (records.statutory.school_days_after)."""
    terms = list(pupil.school.terms.values_list("starts_on", "ends_on"))
    holidays = bank_holidays_england({left_on.year, left_on.year + 1})
    return school_days_after(left_on, CTF_SCHOOL_DAYS, terms=terms, holidays=holidays)


def leaver_record(
    *,
    pupil: Pupil,
    left_on: date,
    destination_school: str,
    destination_urn: str,
    actor: AbstractBaseUser,
) -> Pupil:
    """Record that the pupil left on `left_on` for `destination_school`: every open duty about them is excused
    with that reason (the due dates stay), the record becomes read-only, and the school's duty to send the
    common transfer file and educational record within 15 school days opens (reg 9 of the 2005 Regulations)."""
    with audited(actor):
        pupil = pupil_leave(
            pupil=pupil,
            left_on=left_on,
            destination_school=destination_school,
            destination_urn=destination_urn,
            actor=actor,
        )
        open_sources = [d.source for d in deadlines_for_pupil(pupil).filter(status=DeadlineStatus.OPEN)]
        where = f" to {pupil.destination_school}" if pupil.destination_school else ""
        deadlines_excuse_for(
            sources=[s for s in open_sources if s is not None],
            reason=f"The pupil left the school on {left_on:%-d %B %Y}{where}.",
        )
        deadlines_sync(
            source=pupil,
            pupil=pupil,
            specs=[DeadlineSpec(CTF_TRANSFER, ctf_due_on(pupil, left_on), responsible=None)],
        )
    return pupil


def ctf_sent(*, pupil: Pupil, sent_on: date, actor: AbstractBaseUser) -> None:
    """The school sent the CTF and educational record: the reg 9 duty is met on `sent_on`."""
    with audited(actor):
        deadline_close(source=pupil, kind=CTF_TRANSFER, met_on=sent_on)


@dataclass(frozen=True)
class LeaverRow:
    pupil: Pupil
    ctf_deadline: Deadline | None
    retained_until: date


def leavers_of(school: School, *, today: date) -> list[LeaverRow]:
    """The school's leavers, latest first, each with the CTF duty and the day their SEND file may be destroyed.
    Two queries whatever the number of leavers."""
    pupils = list(Pupil.objects.filter(school=school, left_on__isnull=False).order_by("-left_on"))
    ctf = {d.pupil_id: d for d in deadlines_for_pupils(pupils)}
    return [LeaverRow(p, ctf.get(p.pk), send_file_retained_until(p.date_of_birth)) for p in pupils]


def deadlines_for_pupils(pupils: list[Pupil]):
    return Deadline.objects.filter(pupil__in=pupils, kind=CTF_TRANSFER.key)
