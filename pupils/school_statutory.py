"""The school's own statutory calendar: pure date rules for the SENCO's qualification, the accessibility plan
and the SEN information report. Dates in, dates out: no Django, no clock.

Counting (STATUTORY.md s.1): "N months" or "N years" land on the same day number later, or on the last day of
that month where the day does not exist (``add_months``); where a reading is ambiguous, the earlier date.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Final

from send_mis.dates import add_months


class SencoAward(enum.StrEnum):
    """The awards a SENCO may hold (SEND Regulations 2014 reg 49(1)(c), as amended by SI 2024/535)."""

    NPQ = "npq_senco"  # the National Professional Qualification for SENCOs
    NASENCO = "nasenco"  # the National Award for SEN Co-ordination: only on the transitional terms below


SENCO_QUALIFICATION_MONTHS: Final = 36
# The NASENCO still counts only if begun before 1 September 2024 and completed before 1 September 2027
# (SI 2024/535 transitional provision).
NASENCO_BEGUN_BEFORE: Final = date(2024, 9, 1)
NASENCO_COMPLETED_BEFORE: Final = date(2027, 9, 1)
ACCESSIBILITY_PLAN_MONTHS: Final = 36
INFORMATION_REPORT_MONTHS: Final = 12

SENCO_QUALIFICATION_RULE: Final = (
    "The SENCO holds the NPQ for SENCOs (or a NASENCO begun before 1 September 2024 and completed before "
    "1 September 2027) by the third anniversary of taking up the post (SEND Regulations 2014 reg 49, as "
    "amended by SI 2024/535)"
)
ACCESSIBILITY_PLAN_RULE: Final = (
    "An accessibility plan covers 3 years: the next one is due by the last day of the current plan's period "
    "(Equality Act 2010 Sch 10 para 3; read second-hand)"
)
INFORMATION_REPORT_RULE: Final = (
    "The SEN information report is published every year: within 12 months of the last publication, and as "
    "soon as possible after a change (SEND Regulations 2014 reg 51; CoP 6.79; school policy s.18)"
)


def senco_qualification_due(took_up_on: date) -> date:
    """Last day for a SENCO to hold a qualifying award: the third anniversary of taking up the post.

    Rule: reg 49 SEND Regulations 2014 as amended by SI 2024/535 ("within 3 years of" taking up the post).
    Counting: ``add_months(took_up_on, 36)``: 1 September 2025 gives 1 September 2028; 29 February 2024
    gives 28 February 2027 (no 29 February), the earlier day.
    """
    return add_months(took_up_on, SENCO_QUALIFICATION_MONTHS)


def award_problem(award: str, *, begun_on: date | None, completed_on: date | None) -> str | None:
    """Why a recorded award does not meet reg 49, or None when it does.

    The NPQ for SENCOs counts once completed. The NASENCO counts only if begun before 1 September 2024 and
    completed before 1 September 2027 (SI 2024/535). An award without a completion date is under way: it
    meets nothing yet (that is not a problem to report, so it returns None; see ``qualified_on``).
    """
    if begun_on is not None and completed_on is not None and completed_on < begun_on:
        return "The award cannot be completed before it was begun."
    if award == SencoAward.NASENCO:
        if begun_on is None:
            return "Give the day the NASENCO was begun: it counts only if begun before 1 September 2024."
        if begun_on >= NASENCO_BEGUN_BEFORE:
            return "A NASENCO begun on or after 1 September 2024 does not count: the SENCO needs the NPQ for SENCOs."
        if completed_on is not None and completed_on >= NASENCO_COMPLETED_BEFORE:
            return "A NASENCO completed on or after 1 September 2027 does not count: the SENCO needs the NPQ."
    return None


def qualified_on(award: str, *, begun_on: date | None, completed_on: date | None) -> date | None:
    """The day the SENCO's duty was met: the completion day of a qualifying award, else None (no award yet,
    an award under way, or one that does not count)."""
    if award not in (SencoAward.NPQ, SencoAward.NASENCO) or completed_on is None:
        return None
    if award_problem(award, begun_on=begun_on, completed_on=completed_on) is not None:
        return None
    return completed_on


def accessibility_plan_due(plan_on: date) -> date:
    """Last day of an accessibility plan's 3-year period: the next plan is due by then.

    Rule: Equality Act 2010 Sch 10 para 3 (a plan for each prescribed period of 3 years; read second-hand).
    The period begins with the plan's date, so, as with the annual review, its last day is the day before
    the third anniversary (the earlier reading, STATUTORY.md s.1): 1 September 2025 gives 31 August 2028;
    29 February 2024 gives 28 February 2027 - 1 day = 27 February 2027.
    """
    return add_months(plan_on, ACCESSIBILITY_PLAN_MONTHS) - timedelta(days=1)


def information_report_due(published_on: date) -> date:
    """Last day to publish the next SEN information report: 12 months after the last publication.

    Rule: reg 51 SEND Regulations 2014 and CoP 6.79 (updated annually); school policy s.18; STATUTORY.md s.2
    "+ 12 months". Counting: ``add_months``: 14 March 2026 gives 14 March 2027; 29 February 2028 gives
    28 February 2029; 31 January 2027 gives 31 January 2028.
    """
    return add_months(published_on, INFORMATION_REPORT_MONTHS)
