"""Statutory date arithmetic for EHC needs assessments, plans and reviews.

Pure functions: ``datetime.date`` in, ``datetime.date`` out. No Django, no ORM and no clock; a caller
that needs "today" reads it at the edge (a view, task or command) and passes it in.

How periods are counted (docs STATUTORY.md s.1):

* Every period is in calendar days, weeks or months. Nothing moves for weekends, bank holidays or
  school holidays; ``send_mis.dates.date_warnings`` only warns about such days.
* "within N weeks of X" is X + 7N days; X itself is not counted.
* "N months" lands on the same day number N months later, or on the last day of that month where the
  day does not exist (see ``add_months``).
* "in the period of 12 months starting with" a date includes that first day, so its last day is the day
  before the (clamped) anniversary.
* "before 15 February" / "before 31 March": the last compliant day is 14 February / 30 March.
* Where a counting is ambiguous, the earlier date is used for the school's own duties: a compliance
  tool must never tell a school it has more time than it has.
* Exceptions in the Regulations excuse a missed limit; they never move a date. ``closure_exception_applies``
  only says whether the school-closure exception may apply.

"reg" is the Special Educational Needs and Disability Regulations 2014 (SI 2014/1530), "CFA" the
Children and Families Act 2014 and "CoP" the SEND Code of Practice 0 to 25 (2015). Rules marked
"second-hand" were not read in the primary text; check them before relying on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Final

from send_mis.dates import add_months

Closure = tuple[date, date]
"""A school closure as ``(first_closed_day, reopening_day)``; the reopening day is open."""

# Rule data: each period lives here once, so one edit changes it everywhere.
ADVICE_PERIOD: Final = timedelta(weeks=6)
DRAFT_VIEWS_PERIOD: Final = timedelta(days=15 - 1)  # 15 days beginning with (counting) the day of receipt
ANNUAL_REVIEW_MONTHS: Final = 12
REVIEW_NOTICE_PERIOD: Final = timedelta(weeks=2)
REVIEW_REPORT_PERIOD: Final = timedelta(weeks=2)
PHASE_TRANSFER_LAST_DAY: Final = (2, 14)  # (month, day): "before 15 February"
PHASE_TRANSFER_POST16_LAST_DAY: Final = (3, 30)  # (month, day): "before 31 March"
REASSESSMENT_MONTHS: Final = 6
LA_ASSESSMENT_DECISION_PERIOD: Final = timedelta(weeks=6)
LA_NO_PLAN_NOTICE_PERIOD: Final = timedelta(weeks=16)
LA_FINAL_PLAN_PERIOD: Final = timedelta(weeks=20)
LA_REVIEW_DECISION_PERIOD: Final = timedelta(weeks=4)
LA_AMENDED_PLAN_PERIOD: Final = timedelta(weeks=8)
LA_REASSESSMENT_DECISION_PERIOD: Final = timedelta(days=15)
LA_REASSESSMENT_FINAL_PLAN_PERIOD: Final = timedelta(weeks=14)
LA_TRANSFER_NOTICE_PERIOD: Final = timedelta(weeks=6)
TRANSFER_REVIEW_MONTHS: Final = 3
POSTAL_DELIVERY: Final = timedelta(days=2)  # notice counts from delivery: allow two days in the post
CLOSURE_MINIMUM: Final = timedelta(weeks=4)
CLOSURE_WINDOW_LEAD: Final = timedelta(weeks=1)

RULES: Final[dict[str, str]] = {
    "advice": ("Within 6 weeks of the LA's request for advice and information (reg 8(1) SEND Regulations 2014)"),
    "draft_views": (
        "Within 15 days beginning with the day the draft plan is received "
        "(reg 13(1)(a) SEND Regulations 2014; school policy s.12)"
    ),
    "annual_review": (
        "In the 12 months starting with the day the plan was made, then each previous review: "
        "by the day before the anniversary (CFA 2014 s.44(1); CoP 9.166)"
    ),
    "invitations": (
        "At least 2 weeks before the review meeting, to the parent or young person, the head or provider, an LA "
        "SEN officer, a health care professional and an LA social care officer (reg 20(2), (3) SEND Regulations 2014)"
    ),
    "advice_circulation": (
        "Advice circulated to all invitees at least 2 weeks before the review meeting "
        "(reg 20(4) SEND Regulations 2014; school policy s.13)"
    ),
    "review_report": ("Within 2 weeks of the review meeting (reg 20 SEND Regulations 2014; school policy s.13)"),
    "phase_transfer": (
        "Plan reviewed and amended, naming the next school, before 15 February in the year of transfer, or "
        "before 31 March for secondary school to post-16 (reg 18(1) SEND Regulations 2014)"
    ),
    "reassessment_earliest": (
        "The LA may refuse a re-assessment within 6 months of the last one "
        "(reg 24 SEND Regulations 2014; CFA 2014 s.44)"
    ),
    "la_assessment_decision": (
        "LA decides whether to assess within 6 weeks of the request (reg 5(1) SEND Regulations 2014)"
    ),
    "la_no_plan_notice": (
        "LA tells the family it will not issue a plan within 16 weeks of the request (reg 10(1) SEND Regulations 2014)"
    ),
    "la_final_plan": ("LA issues the final EHC plan within 20 weeks of the request (reg 13(2) SEND Regulations 2014)"),
    "la_review_decision": (
        "LA decides to maintain, amend or cease the plan within 4 weeks of the review meeting "
        "(reg 20 SEND Regulations 2014)"
    ),
    "la_amended_plan": (
        "LA issues the final amended plan within 8 weeks of the amendment notice (reg 22(3) SEND Regulations 2014)"
    ),
    "la_reassessment_decision": (
        "LA decides on a request to re-assess within 15 days of the request (reg 25(1) SEND Regulations 2014)"
    ),
    "la_reassessment_final_plan": (
        "LA issues the final plan within 14 weeks of telling the family it will re-assess "
        "(reg 27(2) SEND Regulations 2014)"
    ),
    "la_transfer_notice": (
        "The new LA tells the family within 6 weeks of the plan's transfer that it holds the plan, whether it "
        "will make an EHC needs assessment and when it will review the plan (reg 15(4) SEND Regulations 2014)"
    ),
    "transfer_review": (
        "After a transfer between LAs, the review falls due at the later of the usual date and the last day of "
        "the 3 months beginning with the transfer (reg 15(5) SEND Regulations 2014)"
    ),
    "closure_exception": (
        "LA limits need not be met for a request made from 1 week before a closure of at least "
        "4 weeks until 1 week before reopening; the date does not move "
        "(regs 5(4)(a), 10(4)(a), 13(3), 27(3) SEND Regulations 2014)"
    ),
}


def _require_date(value: date, name: str) -> None:
    # A datetime is a date subclass; letting one in invites the UTC-midnight trap and makes
    # ``timedelta`` sums return datetimes. Callers convert with ``timezone.localdate()`` at the edge.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


# --- The school's own duties -------------------------------------------------------------------


def advice_due(received_on: date) -> date:
    """Last day for the school to give advice and information for an EHC needs assessment.

    Rule: reg 8(1) SEND Regulations 2014 (school policy s.12): within 6 weeks of the LA's request.
    Counting: received_on + 42 calendar days; the day of receipt is not counted. Reg 8(2)
    exceptions excuse lateness but never move this date.
    """
    _require_date(received_on, "received_on")
    return received_on + ADVICE_PERIOD


def draft_views_due(received_on: date) -> date:
    """Last day for the school's views on a draft EHC plan that names, or may name, it.

    Rule: reg 13(1)(a) SEND Regulations 2014 (at least 15 days, beginning with the day the draft is
    served); school policy s.12 ("within 15 days"). Counting: the day of receipt is day 1 of 15, so
    the last day is received_on + 14 calendar days. The school's own period is read with the LA's
    15-day counting, the earlier of the two readings.
    """
    _require_date(received_on, "received_on")
    return received_on + DRAFT_VIEWS_PERIOD


def annual_review_due(last_on: date) -> date:
    """Last day for the next EHC plan annual review meeting.

    Rule: CFA 2014 s.44(1): the LA must review the plan "in the period of 12 months starting with" the
    date it was made, then with the date of each previous review (CoP 9.166). ``last_on`` is the date the
    plan was issued or the last review meeting was held. Counting: the period includes ``last_on`` itself,
    so its last day is the day before the 12-month anniversary, the anniversary first clamped to the end
    of its month where the day does not exist (``add_months``): 14 March 2025 gives 13 March 2026;
    29 February 2028 gives 28 February 2029 - 1 day = 27 February 2029. This is the earlier of the two
    common readings ("within 12 months" would give the anniversary itself).
    """
    _require_date(last_on, "last_on")
    return add_months(last_on, ANNUAL_REVIEW_MONTHS) - timedelta(days=1)


def invitations_latest(meeting_on: date) -> date:
    """Last day to send invitations to an annual review meeting.

    Rule: reg 20(3) SEND Regulations 2014: at least two weeks' notice of the meeting.
    Counting: meeting_on - 14 calendar days; sending on that day gives exactly two weeks' notice.
    """
    _require_date(meeting_on, "meeting_on")
    return meeting_on - REVIEW_NOTICE_PERIOD


def advice_circulation_latest(meeting_on: date) -> date:
    """Last day to circulate the gathered advice and information to everyone invited.

    Rule: reg 20(4) SEND Regulations 2014 (school policy s.13): at least two weeks in advance of the
    meeting. Counting: meeting_on - 14 calendar days.
    """
    _require_date(meeting_on, "meeting_on")
    return meeting_on - REVIEW_NOTICE_PERIOD


def review_report_due(meeting_on: date) -> date:
    """Last day to send the annual review report to everyone invited.

    Rule: reg 20 SEND Regulations 2014 (report within two weeks of the meeting; read second-hand);
    school policy s.13. Counting: meeting_on + 14 calendar days; the meeting day is not counted.
    """
    _require_date(meeting_on, "meeting_on")
    return meeting_on + REVIEW_REPORT_PERIOD


def phase_transfer_deadline(transfer_year: int, *, post16: bool = False) -> date:
    """Last compliant day for the plan to be reviewed and amended before a phase transfer.

    ``transfer_year`` is the calendar year of the September transfer. The school's review must come
    early enough for the LA to finish the amendment by this day.

    Rule, ordinary transfers (early years to school, infant to junior, primary to middle or
    secondary, middle to secondary): reg 18(1)(b) SEND Regulations 2014, read as "before
    15 February" in the calendar year of transfer, so the last compliant day is 14 February.

    Rule, ``post16=True`` (secondary school to a post-16 institution): reg 18(1)(a), "before 31 March"
    in the calendar year of transfer, so the last compliant day is 30 March.
    """
    if isinstance(transfer_year, bool) or not isinstance(transfer_year, int):
        raise TypeError(f"transfer_year must be an int, not {type(transfer_year).__name__}")
    month, day = PHASE_TRANSFER_POST16_LAST_DAY if post16 else PHASE_TRANSFER_LAST_DAY
    return date(transfer_year, month, day)


def transition_review_by(transfer_year: int, *, month: int = 11, day: int = 1) -> date:
    """The school's planning date for a transition review: hold it by this day of the autumn before the
    September transfer.

    Rule: none in law. The LA must amend the plan by the phase-transfer day (reg 18), after deciding within
    4 weeks of the meeting (reg 20) and consulting for at least 15 days on the draft (reg 22): IPSEA plans
    on early November. A school setting (default 1 November) of the autumn term in the calendar year before
    ``transfer_year``: a Year 6 moving in September 2027 has its review by 1 November 2026.
    """
    if isinstance(transfer_year, bool) or not isinstance(transfer_year, int):
        raise TypeError(f"transfer_year must be an int, not {type(transfer_year).__name__}")
    return date(transfer_year - 1, month, day)


def review_due_capped(usual_due: date, transfer_due: date | None) -> date:
    """The next annual review day, no later than the phase-transfer day.

    Rule: reg 18 SEND Regulations 2014: before a phase transfer the plan must be reviewed and amended by
    14 February (30 March into post-16), so a review due later than that is due by then. ``None`` means
    no transfer is pending: the usual day stands.
    """
    _require_date(usual_due, "usual_due")
    return usual_due if transfer_due is None else min(usual_due, transfer_due)


def invitations_posted_late(sent_on: date, meeting_on: date) -> bool:
    """Whether invitations sent by post on ``sent_on`` may arrive with less than two weeks' notice.

    Rule: reg 20(3) SEND Regulations 2014: at least two weeks' notice; notice counts from delivery, so a
    letter posted within two days of the last day (meeting - 14 days) may arrive late. True when
    sent_on + 2 days is after the last day: meeting 16 March 2026, last day 2 March, posted 28 February
    arrives 2 March (in time, False); posted 1 March arrives 3 March (True).
    """
    _require_date(sent_on, "sent_on")
    return sent_on + POSTAL_DELIVERY > invitations_latest(meeting_on)


# --- The LA's duties the school tracks ---------------------------------------------------------


def reassessment_earliest(last_assessment_on: date) -> date:
    """Earliest date from which the LA cannot refuse a re-assessment on timing alone.

    Rule: reg 24 SEND Regulations 2014; CFA 2014 s.44 (read second-hand): the LA may refuse a request
    made within 6 months of the last EHC needs assessment or re-assessment: ``last_assessment_on`` is
    the latest of them, never the first. Counting: the same day number 6 months
    later, or the last day of that month where it does not exist (``add_months``):
    31 August 2025 gives 28 February 2026.
    """
    _require_date(last_assessment_on, "last_assessment_on")
    return add_months(last_assessment_on, REASSESSMENT_MONTHS)


def la_assessment_decision_due(request_on: date) -> date:
    """Last day for the LA to decide whether to carry out an EHC needs assessment.

    Rule: reg 5(1) SEND Regulations 2014: within 6 weeks of the request. Counting: request_on + 42
    calendar days. Reg 5(4) exceptions (including the school-closure one, see
    ``closure_exception_applies``) excuse lateness but never move this date.
    """
    _require_date(request_on, "request_on")
    return request_on + LA_ASSESSMENT_DECISION_PERIOD


def la_no_plan_notice_due(request_on: date) -> date:
    """Last day for the LA to tell the family it will not issue an EHC plan.

    Rule: reg 10(1) SEND Regulations 2014: within 16 weeks of the request. Counting: request_on +
    112 calendar days. Reg 10(4) exceptions never move this date.
    """
    _require_date(request_on, "request_on")
    return request_on + LA_NO_PLAN_NOTICE_PERIOD


def la_final_plan_due(request_on: date) -> date:
    """Last day for the LA to issue the final EHC plan.

    Rule: reg 13(2) SEND Regulations 2014: within 20 weeks of the request for an assessment.
    Counting: request_on + 140 calendar days. Reg 13(3) exceptions never move this date.
    """
    _require_date(request_on, "request_on")
    return request_on + LA_FINAL_PLAN_PERIOD


def la_review_decision_due(meeting_on: date) -> date:
    """Last day for the LA to decide, after an annual review, to maintain, amend or cease the plan.

    Rule: reg 20 SEND Regulations 2014 (read second-hand): within 4 weeks of the review meeting.
    Counting: meeting_on + 28 calendar days.
    """
    _require_date(meeting_on, "meeting_on")
    return meeting_on + LA_REVIEW_DECISION_PERIOD


def la_amended_plan_due(notice_on: date) -> date:
    """Last day for the LA to issue the final amended EHC plan.

    Rule: reg 22(3) SEND Regulations 2014: within 8 weeks of the amendment notice being sent.
    Counting: notice_on + 56 calendar days.
    """
    _require_date(notice_on, "notice_on")
    return notice_on + LA_AMENDED_PLAN_PERIOD


def la_reassessment_decision_due(request_on: date) -> date:
    """Last day for the LA to decide on a request to re-assess.

    Rule: reg 25(1) SEND Regulations 2014 (read second-hand): within 15 days of the request.
    Counting: request_on + 15 calendar days; the day of the request is not counted.
    """
    _require_date(request_on, "request_on")
    return request_on + LA_REASSESSMENT_DECISION_PERIOD


def la_reassessment_final_plan_due(notice_on: date) -> date:
    """Last day for the LA to issue the final plan after agreeing to re-assess.

    Rule: reg 27(2) SEND Regulations 2014: within 14 weeks of the notice under reg 25(1) that it will
    re-assess. Counting: notice_on + 98 calendar days. Reg 27(3) exceptions never move this date.
    """
    _require_date(notice_on, "notice_on")
    return notice_on + LA_REASSESSMENT_FINAL_PLAN_PERIOD


def la_transfer_notice_due(transferred_on: date) -> date:
    """Last day for the new LA to tell the family, after a plan transferred to it, what it will do.

    Rule: reg 15(4) SEND Regulations 2014: within 6 weeks of the transfer, whether it will re-assess and
    whether it proposes to amend the plan. Counting: transferred_on + 42 calendar days.
    """
    _require_date(transferred_on, "transferred_on")
    return transferred_on + LA_TRANSFER_NOTICE_PERIOD


def transferred_review_due(usual_due: date, transferred_on: date) -> date:
    """The annual review day of a plan transferred from another LA.

    Rule: reg 15(5) SEND Regulations 2014: the new LA must review the plan before the expiry of the later of
    the period of 12 months beginning with the day the plan was made or last reviewed (the usual day,
    ``annual_review_due``) and the 3 months beginning with the day of the transfer. A period beginning with
    a day includes it, so its last day is the day before the 3-month anniversary (the anniversary clamped to
    the month end first, ``add_months``): transferred 15 January 2027 gives 14 April 2027; transferred
    30 November 2026 gives 28 February 2027 (no 30 February) - 1 day = 27 February 2027.
    """
    _require_date(usual_due, "usual_due")
    _require_date(transferred_on, "transferred_on")
    return max(usual_due, add_months(transferred_on, TRANSFER_REVIEW_MONTHS) - timedelta(days=1))


def closure_exception_applies(requested_on: date, closures: Iterable[Closure]) -> bool:
    """Whether the school-closure exception to the LA's time limits may apply to a request.

    Rule: regs 5(4)(a), 10(4)(a), 13(3) and 27(3) SEND Regulations 2014: the LA's limits need not be
    met where it asked the head teacher for advice during a period beginning one week before a day
    from which the school was closed for at least 4 continuous weeks, and ending one week before the
    day it reopens.

    ``closures`` are ``(first_closed_day, reopening_day)`` pairs. Closures that touch or overlap
    (one reopening on the day the next begins) are one continuous closure. A closure counts only
    where reopening_day - first_closed_day is at least 28 days. The window runs from
    first_closed_day - 7 days to reopening_day - 7 days, both inclusive: closed from 20 July 2026,
    reopening 1 September 2026, gives 13 July to 25 August 2026.

    The exception never moves a due date; a True answer only means staff may record it, with the
    reason. Raises ValueError for a pair whose reopening_day is not after its first_closed_day.
    """
    _require_date(requested_on, "requested_on")
    for first_closed_on, reopening_on in _merge_closures(closures):
        if reopening_on - first_closed_on < CLOSURE_MINIMUM:
            continue
        if first_closed_on - CLOSURE_WINDOW_LEAD <= requested_on <= reopening_on - CLOSURE_WINDOW_LEAD:
            return True
    return False


def _merge_closures(closures: Iterable[Closure]) -> list[Closure]:
    # Term data may split one holiday into pieces (a holiday, then INSET days); "4 continuous weeks"
    # is about the school being shut, not how the calendar was typed in.
    pairs: list[Closure] = []
    for first_closed_on, reopening_on in closures:
        _require_date(first_closed_on, "first_closed_day")
        _require_date(reopening_on, "reopening_day")
        if reopening_on <= first_closed_on:
            raise ValueError(
                f"closure reopening on {reopening_on.isoformat()} is not after its first closed day "
                f"{first_closed_on.isoformat()}"
            )
        pairs.append((first_closed_on, reopening_on))
    merged: list[Closure] = []
    for first_closed_on, reopening_on in sorted(pairs):
        if merged and first_closed_on <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], reopening_on))
        else:
            merged.append((first_closed_on, reopening_on))
    return merged
