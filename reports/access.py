"""Who may read and write the reports, built only from the access core (pupils.access).

Governors' report: the governors, the head and the SENCO (anonymised: no pupil named anywhere in it).
SEN information report: the head or SENCO drafts and edits; a governor approves; the approved version is
public (no sign-in). National figures: the head enters them. Census check: the SENCO and the head, since its
checklist names the pupils whose records the census would reject, so they can be put right.
"""

from __future__ import annotations

import enum

from pupils import access
from pupils.models import Role


class ReportAction(enum.StrEnum):
    GOVERNORS_REPORT = "reports.governors_report"
    INFORMATION_READ = "reports.information_read"  # drafts and every version
    INFORMATION_EDIT = "reports.information_edit"
    INFORMATION_APPROVE = "reports.information_approve"
    NATIONAL_FIGURES = "reports.national_figures"
    CENSUS = "reports.census"


access.register_school_actions(
    ReportAction,
    {
        ReportAction.GOVERNORS_REPORT: frozenset({Role.GOVERNOR, Role.HEAD, Role.SENCO}),
        ReportAction.INFORMATION_READ: frozenset({Role.GOVERNOR, Role.HEAD, Role.SENCO}),
        ReportAction.INFORMATION_EDIT: frozenset({Role.HEAD, Role.SENCO}),
        ReportAction.INFORMATION_APPROVE: frozenset({Role.GOVERNOR}),
        ReportAction.NATIONAL_FIGURES: frozenset({Role.HEAD}),
        ReportAction.CENSUS: frozenset({Role.SENCO, Role.HEAD}),
    },
)


def reports_can(user, school) -> dict[str, bool]:
    """The `can` mapping report templates use to show or hide controls."""
    return {action.name.lower(): access.can_in_school(user, school.pk, action) for action in ReportAction}
