"""EHC figures for governors: plans held, needs assessments, annual reviews on time and the LA's timeliness."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q

from deadlines.models import Deadline, DeadlineStatus
from ehc import selectors as ehc_selectors
from ehc.kinds import ANNUAL_REVIEW
from ehc.models import AssessmentDecision, EhcAssessment, EhcPlan
from pupils.models import School
from send_mis.suppression import percent, suppress_alone, suppress_list

from ..periods import Period
from .tables import Row, Table
from .tables import day_text as _day


def deadline_outcomes(school: School, kind: str, period: Period, *, today: date) -> dict[str, int]:
    """Deadlines of one kind falling due in the period (and by today): met on time, met late, and still open
    past their date. Excused ones are left out: the duty fell away."""
    end = min(period.ends_on, today)
    due = Deadline.objects.filter(school=school, kind=kind, due_on__gte=period.starts_on, due_on__lte=end)
    return due.aggregate(
        on_time=Count("pk", filter=Q(status=DeadlineStatus.MET, met_on__lte=F("due_on"))),
        late=Count("pk", filter=Q(status=DeadlineStatus.MET, met_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(status=DeadlineStatus.OPEN, due_on__lt=today)),
    )


def outcome_table(key: str, caption: str, labels: list[str], outcomes: dict[str, int], what: str) -> Table:
    values = [outcomes["on_time"], outcomes["late"], outcomes["overdue"]]
    cells, total = suppress_list(values)
    rows = [Row(label, [cell.text]) for label, cell in zip(labels, cells, strict=True)]
    rows.append(Row("Held on time, % of those due", [percent(cells[0], total)]))
    return Table(key, caption, [what, "Number"], rows, Row("All due", [total.text]))


def ehc_figures(school: School, period: Period, *, today: date) -> tuple[list[Table], dict[str, str]]:
    """EHC plans held on the snapshot day, needs assessments requested and agreed in the period, annual
    reviews held on time, and the LA's timeliness (ehc.selectors.la_timeliness)."""
    day = period.last_term(today).snapshot_day(today)
    plans_held = (
        EhcPlan.objects.filter(pupil__school=school, issued_on__lte=day)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=day))
        .count()
    )
    end = min(period.ends_on, today)
    assessments = EhcAssessment.objects.filter(pupil__school=school).aggregate(
        requested=Count("pk", filter=Q(requested_on__range=(period.starts_on, end))),
        agreed=Count(
            "pk",
            filter=Q(la_decision=AssessmentDecision.ASSESS, la_decision_on__range=(period.starts_on, end)),
        ),
        refused=Count(
            "pk",
            filter=Q(la_decision=AssessmentDecision.NOT_ASSESS, la_decision_on__range=(period.starts_on, end)),
        ),
    )
    plans_issued = EhcPlan.objects.filter(pupil__school=school, issued_on__range=(period.starts_on, end)).count()
    activity = Table(
        "ehc-activity",
        f"EHC plans and needs assessments, {period.label}",
        ["Measure", "Number"],
        [
            Row(f"EHC plans held on {_day(day)}", [suppress_alone(plans_held).text]),
            Row("Needs assessments requested", [suppress_alone(assessments["requested"]).text]),
            Row("LA agreed to assess", [suppress_alone(assessments["agreed"]).text]),
            Row("LA refused to assess", [suppress_alone(assessments["refused"]).text]),
            Row("New EHC plans issued", [suppress_alone(plans_issued).text]),
        ],
        note="Each figure stands alone (they are not parts of one total), so only numbers from 1 to 4 are hidden.",
    )
    reviews = outcome_table(
        "ehc-annual-reviews",
        f"Annual reviews due in the period, {period.label}",
        ["Held on time", "Held late", "Overdue, not yet held"],
        deadline_outcomes(school, ANNUAL_REVIEW.key, period, today=today),
        "Annual reviews",
    )
    la_rows = []
    for row in ehc_selectors.la_timeliness(school, today=today):
        la_rows.append(
            Row(
                row.la_name,
                [
                    suppress_alone(row.decisions.on_time).text,
                    suppress_alone(row.decisions.late).text,
                    suppress_alone(row.decisions.outstanding).text,
                    suppress_alone(row.plans.on_time).text,
                    suppress_alone(row.plans.late).text,
                    suppress_alone(row.plans.outstanding).text,
                ],
            )
        )
    la_table = Table(
        "ehc-la-timeliness",
        "The local authority's timeliness (all the school's EHC records to date)",
        [
            "Local authority",
            "Decisions on time",
            "Decisions late",
            "Decisions awaited",
            "Final plans on time",
            "Final plans late",
            "Final plans awaited",
        ],
        la_rows,
        note="" if la_rows else "No LA decisions or plans are recorded yet.",
    )
    return [activity, reviews, la_table], {"plans_held": suppress_alone(plans_held).text}
