"""Reads for the governors' report: every figure for one school and period, in a fixed number of queries.

Nothing here returns a pupil: only counts, already passed through send_mis.suppression, and the tables and
charts built from them. Register figures are counted on census days from the dated register history (an
entry counts on a day when it started on or before it and had not ended by it, so a change made on a day
counts from that day), for pupils on roll that day.

One module per part of the report: tables (the shared shapes), register, ehc, graduated, progress, provision,
safeguarding, and report (the whole). Their public names are importable from here.
"""

from ehc.kinds import ANNUAL_REVIEW

from .ehc import deadline_outcomes, ehc_figures
from .graduated import graduated_figures
from .progress import ProgressFigures, progress_figures
from .provision import provision_section
from .register import (
    TREND_TERMS,
    RegisterFigures,
    TrendPoint,
    national_figures_for,
    register_figures,
    register_trend,
)
from .report import GovernorsReport, governors_report
from .safeguarding import safeguarding_section
from .tables import REPORTED, Row, Section, Table, day_text, on_register_q, on_roll_q

__all__ = [
    "ANNUAL_REVIEW",
    "REPORTED",
    "TREND_TERMS",
    "GovernorsReport",
    "ProgressFigures",
    "RegisterFigures",
    "Row",
    "Section",
    "Table",
    "TrendPoint",
    "day_text",
    "deadline_outcomes",
    "ehc_figures",
    "governors_report",
    "graduated_figures",
    "national_figures_for",
    "on_register_q",
    "on_roll_q",
    "progress_figures",
    "provision_section",
    "register_figures",
    "register_trend",
    "safeguarding_section",
]
