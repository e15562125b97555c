"""Which reminders a deadline calls for on a given day, and to whom: pure functions, dates in, no clock.

The sweep (deadlines.services.reminders_record) finds candidate deadlines by the partial index on open ones,
then asks these functions what is due. A reminder is keyed by (deadline, kind, for_date, recipient), so the
same answer on a second sweep, a retried task or a second beat process records nothing new.

Reminders (DESIGN.md "deadlines"):
- 14, 7 and 2 days before the due date, and on the day;
- each day overdue (for_date is that day, so one reminder a day);
- for the school's own duties only, an escalation to every head once the deadline is 3 days overdue.
  The LA's duties remind the responsible person to chase the LA and never escalate.

Reminders go out on school days only (not weekends, England bank holidays or the school's closures; see
school_day_rule). A warning whose day falls on a non-school day (14, 7 or 2 days before, on the day) is sent on
the previous school day, so it still comes before the date; an overdue reminder goes on school days only (the
first school day after a closure sends one, not one per closed day); an escalation goes on the first school day
at or after 3 days overdue, never earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import TextChoices

from send_mis.dates import Closure, bank_holidays_england

SCHOOL_PARTY = "school"
ESCALATE_AFTER_DAYS = 3


class ReminderKind(TextChoices):
    BEFORE_14 = "before_14", "14 days before"
    BEFORE_7 = "before_7", "7 days before"
    BEFORE_2 = "before_2", "2 days before"
    DUE = "due", "On the day"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalated to the head"


# Nearest first: a deadline is in the window of the nearest "before" reminder whose day has come.
BEFORE_KINDS: tuple[tuple[ReminderKind, int], ...] = (
    (ReminderKind.BEFORE_2, 2),
    (ReminderKind.BEFORE_7, 7),
    (ReminderKind.BEFORE_14, 14),
)
LOOKAHEAD_DAYS = max(days for _kind, days in BEFORE_KINDS)
# A "before" reminder keeps its nominal day through its window, so the oldest for_date reminders_due can give
# (escalations aside) is the longest window less a day: 14 days before is due until 8 days before.
_WINDOWS = [a - b for (_k1, a), (_k2, b) in zip(BEFORE_KINDS[1:], BEFORE_KINDS, strict=False)] + [BEFORE_KINDS[0][1]]
OLDEST_FOR_DATE_LAG = max(_WINDOWS) - 1


# The longest run of non-school days a search for a school day looks across (a summer holiday is ~6 weeks).
_SCHOOL_DAY_SEARCH = 366

SchoolDayRule = Callable[[date], bool]


def school_day_rule(*, closures: Iterable[Closure] = ()) -> SchoolDayRule:
    """The school-day test for one school: a day is a school day unless it is a Saturday or Sunday, an England
    and Wales bank holiday (send_mis.dates, from the holidays library), or inside one of the school's
    closures ((first closed day, reopening day) pairs, the gaps between its terms). Answers are cached."""
    closures = tuple(closures)
    holidays_by_year: dict[int, frozenset[date]] = {}
    answers: dict[date, bool] = {}

    def is_school_day(day: date) -> bool:
        answer = answers.get(day)
        if answer is None:
            if day.year not in holidays_by_year:
                holidays_by_year[day.year] = bank_holidays_england([day.year])
            answer = (
                day.weekday() < 5
                and day not in holidays_by_year[day.year]
                and not any(first <= day < reopening for first, reopening in closures)
            )
            answers[day] = answer
        return answer

    return is_school_day


def every_day(day: date) -> bool:
    """The school-day rule that counts every day (where no calendar applies)."""
    return True


def previous_school_day(day: date, is_school_day: SchoolDayRule) -> date:
    """`day` if it is a school day, else the nearest school day before it (`day` itself if none within a
    year)."""
    candidate = day
    for _ in range(_SCHOOL_DAY_SEARCH):
        if is_school_day(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return day


def next_school_day(day: date, is_school_day: SchoolDayRule) -> date:
    """`day` if it is a school day, else the nearest school day after it (`day` itself if none within a
    year)."""
    candidate = day
    for _ in range(_SCHOOL_DAY_SEARCH):
        if is_school_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    return day


def lookahead_horizon(today: date, is_school_day: SchoolDayRule = every_day) -> date:
    """The latest due date that can call for a reminder today: 14 days beyond the last non-school day before
    the next school day (before a holiday, the 14-day reminders of the days in it go out today)."""
    return (
        next_school_day(today + timedelta(days=1), is_school_day) - timedelta(days=1) + timedelta(days=LOOKAHEAD_DAYS)
    )


@dataclass(frozen=True)
class DueReminder:
    kind: ReminderKind
    for_date: date


def reminders_due(
    *,
    due_on: date,
    today: date,
    party: str,
    is_open: bool = True,
    is_school_day: SchoolDayRule = every_day,
) -> list[DueReminder]:
    """The reminders a deadline due on `due_on` calls for on `today`; empty for a met or excused deadline, and
    on a day that is not a school day.

    Before the due date the answer is the nearest reminder whose sending day has come: on the day (if the due
    date is not a school day, its reminder goes on the previous school day), else 2, 7 or 14 days before,
    each keyed by its nominal day (due_on - 2, - 7 or - 14) and sent on that day or, if it is not a school day,
    the previous school day. A sweep that missed the day (a deadline opened 10 days out, a worker down
    overnight) still sends it once, and the next window's reminder is a different row. On the due date: the
    on-the-day reminder. After it: one overdue reminder per school day (keyed by `today`), plus, for the
    school's duties only, one escalation keyed by due_on + 3 days, sent on the first school day at or after
    that day.
    """
    if not is_open or not is_school_day(today):
        return []
    if today < due_on:
        if previous_school_day(due_on, is_school_day) <= today:
            return [DueReminder(ReminderKind.DUE, due_on)]
        for kind, days in BEFORE_KINDS:
            nominal = due_on - timedelta(days=days)
            if previous_school_day(nominal, is_school_day) <= today:
                return [DueReminder(kind, nominal)]
        return []
    if today == due_on:
        return [DueReminder(ReminderKind.DUE, due_on)]
    due = [DueReminder(ReminderKind.OVERDUE, today)]
    if party == SCHOOL_PARTY and (today - due_on).days >= ESCALATE_AFTER_DAYS:
        due.append(DueReminder(ReminderKind.ESCALATION, due_on + timedelta(days=ESCALATE_AFTER_DAYS)))
    return due


def oldest_for_date(today: date) -> date:
    """Every reminder key reminders_due gives on `today` has a for_date on or after this day, except an
    escalation (keyed by due_on + 3 days, however long ago that was)."""
    return today - timedelta(days=OLDEST_FOR_DATE_LAG)


class RecipientGroup(TextChoices):
    RESPONSIBLE = "responsible", "The person responsible"
    SENCOS = "sencos", "Every SENCO of the school"
    HEADS = "heads", "Every head of the school"


def recipient_group(kind: str, *, has_responsible: bool) -> RecipientGroup:
    """Whom a reminder of `kind` goes to: the escalation to every head; any other kind to the person
    responsible, else (nobody named) to every SENCO of the school."""
    if kind == ReminderKind.ESCALATION:
        return RecipientGroup.HEADS
    return RecipientGroup.RESPONSIBLE if has_responsible else RecipientGroup.SENCOS


def reminder_recipients(
    kind: str, *, responsible_id: int | None, senco_ids: Iterable[int], head_ids: Iterable[int]
) -> list[int]:
    """The user ids a reminder goes to (recipient_group, resolved), de-duplicated, in a stable order."""
    group = recipient_group(kind, has_responsible=responsible_id is not None)
    chosen: Iterable[int]
    if group == RecipientGroup.HEADS:
        chosen = head_ids
    elif group == RecipientGroup.RESPONSIBLE:
        chosen = [responsible_id]  # type: ignore[list-item]
    else:
        chosen = senco_ids
    return sorted(set(chosen))


def days_phrase(due_on: date, today: date) -> str:
    """ "due in 7 days", "due tomorrow", "due today", "1 day overdue", "3 days overdue"."""
    days = (due_on - today).days
    if days > 1:
        return f"due in {days} days"
    if days == 1:
        return "due tomorrow"
    if days == 0:
        return "due today"
    late = -days
    return f"{late} day overdue" if late == 1 else f"{late} days overdue"
