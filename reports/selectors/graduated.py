"""The graduated approach for governors: support plan reviews, termly parent meetings, progress flags."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from provision.kinds import PLAN_REVIEW
from provision.models import FlagStatus, ProgressFlag, TermlyMeeting
from pupils.models import School
from send_mis.suppression import percent, suppress_alone, suppress_list

from ..periods import Period
from .ehc import deadline_outcomes, outcome_table
from .tables import Row, Table
from .tables import day_text as _day


def graduated_figures(school: School, period: Period, *, today: date) -> list[Table]:
    """Support plan reviews held on time, termly parent meetings held against those due (three a year, CoP
    6.65), and pupils flagged for less than expected progress in the period and what happened."""
    reviews = outcome_table(
        "support-plan-reviews",
        f"Support plan reviews due, {period.label}",
        ["Reviewed on time", "Reviewed late", "Overdue, not yet reviewed"],
        deadline_outcomes(school, PLAN_REVIEW.key, period, today=today),
        "Support plan reviews",
    )
    end = min(period.ends_on, today)
    meetings = TermlyMeeting.objects.filter(
        pupil__school=school, due_on__gte=period.starts_on, due_on__lte=end
    ).aggregate(held=Count("pk", filter=Q(meeting__isnull=False)), not_held=Count("pk", filter=Q(meeting__isnull=True)))
    meeting_cells, meeting_total = suppress_list([meetings["held"], meetings["not_held"]])
    meeting_table = Table(
        "parent-meetings",
        f"Termly parent meetings due by {_day(end)} (three a year for each pupil on SEN support)",
        ["Meetings", "Number"],
        [
            Row("Held", [meeting_cells[0].text]),
            Row("Not held", [meeting_cells[1].text]),
            Row("Held, % of those due", [percent(meeting_cells[0], meeting_total)]),
        ],
        Row("Due", [meeting_total.text]),
    )
    flags = ProgressFlag.objects.filter(point__school=school, point__academic_year=period.academic_year)
    if period.season:
        flags = flags.filter(point__season=period.season)
    by_status = dict(flags.values_list("status").annotate(n=Count("pupil", distinct=True)))
    pupils_flagged = flags.values("pupil").distinct().count()
    statuses = [FlagStatus.PLAN_STARTED, FlagStatus.CONCERN_RAISED, FlagStatus.DISMISSED, FlagStatus.OPEN]
    flag_table = Table(
        "progress-flags",
        f"Pupils flagged for less than expected progress, {period.label}, and what happened",
        ["What happened", "Pupils"],
        [Row(status.label, [suppress_alone(by_status.get(status, 0)).text]) for status in statuses],
        Row("Pupils flagged", [suppress_alone(pupils_flagged).text]),
        note="A pupil flagged in several subjects is counted once under each thing that happened, so the rows "
        "can add up to more than the pupils flagged; each figure is hidden on its own when it is from 1 to 4.",
    )
    return [reviews, meeting_table, flag_table]
