"""Who may do what with EHC needs assessments, plans, annual reviews, re-assessments and disagreements.

DESIGN.md s.2: the SENCO views and changes; the head and DSL view all; a teacher reads only the plan summary
(needs, outcomes, provision) of their own pupils and confirms they have read it; governors see nothing EHC.
Pupil-scoped pages answer 404 where the pupil is out of sight, 403 where it is in sight but the page is not for
this role. Grant holders (a TA, a visiting professional) get nothing EHC. Built from pupils.access."""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from pupils.access import (
    WHOLE_SCHOOL_ROLES,
    Action,
    can_in_school,
    get_pupil_for_user,
    register_school_actions,
    roles_of,
    teaches,
    unless_left,
)
from pupils.models import Pupil, Role

from .models import EhcPlan, PlanStatus

# EHC (ehc app): EHC needs assessments, plans, annual reviews, re-assessments, disagreements.
# DESIGN.md s.2: the SENCO views and changes; the head and DSL view all; a teacher reads only the plan
# summary (needs, outcomes, provision) of their own pupils and confirms they have read it; governors see
# nothing EHC. Pupil-scoped pages answer 404 where the pupil is out of sight, 403 where it is in sight but
# the page is not for this role. Grant holders (a TA, a visiting professional) get nothing EHC.

if TYPE_CHECKING:
    from pupils.access import User


class EhcAction(enum.StrEnum):
    VIEW = "ehc.view"  # the whole EHC record: overview, full plan (A to K), reviews, documents
    CHANGE = "ehc.change"  # record any step of the workflow
    PLAN_SUMMARY = "ehc.plan_summary"  # the current plan's sections B, E and F
    CONFIRM_READ = "ehc.confirm_read"  # a teacher of the pupil confirms they have read the summary
    CEASE = "ehc.cease"  # record that the LA ceased the plan: the SENCO alone


_EHC_ACTIONS: dict[str, frozenset[EhcAction]] = {
    Role.SENCO: frozenset({EhcAction.VIEW, EhcAction.CHANGE, EhcAction.PLAN_SUMMARY, EhcAction.CEASE}),
    Role.HEAD: frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}),
    Role.DSL: frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}),
    Role.TEACHER: frozenset({EhcAction.PLAN_SUMMARY, EhcAction.CONFIRM_READ}),
    Role.GOVERNOR: frozenset(),
}


class EhcSchoolAction(enum.StrEnum):
    INDEX = "ehc.index"  # the school's EHC caseload
    LA_TIMELINESS = "ehc.la_timeliness"  # the LA's decisions and final plans on time, late, outstanding


_EHC_SCHOOL_ACTIONS: dict[EhcSchoolAction, frozenset[str]] = {
    EhcSchoolAction.INDEX: frozenset({Role.SENCO, Role.HEAD, Role.DSL}),
    EhcSchoolAction.LA_TIMELINESS: frozenset({Role.SENCO, Role.HEAD}),
}
register_school_actions(EhcSchoolAction, _EHC_SCHOOL_ACTIONS)


def ehc_actions(user: User, pupil: Pupil) -> frozenset[EhcAction]:
    """What the user may do with a pupil's EHC record (the caller has already checked the pupil is visible)."""
    held = roles_of(user).in_school(pupil.school_id)
    allowed: set[EhcAction] = set()
    for role in held & WHOLE_SCHOOL_ROLES:
        allowed |= _EHC_ACTIONS[role]
    if Role.TEACHER in held and teaches(user, pupil):
        allowed |= _EHC_ACTIONS[Role.TEACHER]
    return unless_left(pupil, frozenset(allowed), frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}))


def get_pupil_for_ehc(user: User, pupil_id: uuid.UUID | str, *, action: EhcAction) -> Pupil:
    """The pupil whose EHC record is asked for: 404 if the user may not see the pupil, 403 if they may but
    not take this EHC action. Child records (plans, reviews...) resolve their pupil and call this."""
    pupil = get_pupil_for_user(user, pupil_id, action=Action.VIEW)
    if action not in ehc_actions(user, pupil):
        raise PermissionDenied
    return pupil


def ehc_can(user: User, pupil: Pupil) -> dict[str, bool]:
    """EHC entries of the `can` mapping; `ehc_plan_summary_link` also needs a current plan to link to."""
    actions = ehc_actions(user, pupil)
    can = {"ehc_" + action.name.lower(): action in actions for action in EhcAction}
    can["ehc_plan_summary_link"] = False
    if EhcAction.PLAN_SUMMARY in actions and EhcAction.VIEW not in actions:
        can["ehc_plan_summary_link"] = EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).exists()
    return can


def ehc_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """Navigation flags for the EHC screens in the current school."""
    return {action.name.lower(): can_in_school(user, school_id, action) for action in EhcSchoolAction}
