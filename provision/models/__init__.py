"""The graduated approach: progress data and its flags, support plans (assess, plan, do, review), parent
meetings, pupil passports and the progress check at age two.

Progress data lives here rather than in pupils because models belong to an app's models module; pupils keeps
the pure identification functions (pupils/identification.py) that the flag service calls.

Each part lives in a module of its own; this package re-exports them all, so `provision.models` stays the one
import. The modules are imported in the order the models were once declared in one file, so Django registers
them (and creates their content types and permissions) in that same order.
"""

# isort: off
from .progress import (
    AssessmentPoint,
    FlagComputation,
    FlagStatus,
    ProgressFlag,
    ProgressScore,
    SchoolSettings,
    Season,
    Subject,
)
from .support_plan import Cycle, CycleNote, Outcome, OutcomeProgress, Support, SupportPlan
from .parent_meeting import ParentMeeting, TermlyMeeting
from .passport import Passport, ProgressCheckTwo

# --- The provision map (its own module, re-exported so `provision.models` stays the one import) ---------
from ..models_maps import (
    SCALE_LIMITS,
    Allocation,
    Attendance,
    CostCategory,
    ExportPreset,
    Group,
    PlaceCost,
    Provision,
    Scale,
    SenBudget,
    Session,
    SessionStatus,
    StaffRate,
    StaffType,
    Wave,
    Weekday,
)

from .healthcare_plan import HealthcarePlan, HealthcarePlanReview
# isort: on

__all__ = [
    "SCALE_LIMITS",
    "Allocation",
    "AssessmentPoint",
    "Attendance",
    "CostCategory",
    "Cycle",
    "CycleNote",
    "ExportPreset",
    "FlagComputation",
    "FlagStatus",
    "Group",
    "HealthcarePlan",
    "HealthcarePlanReview",
    "Outcome",
    "OutcomeProgress",
    "ParentMeeting",
    "Passport",
    "PlaceCost",
    "ProgressCheckTwo",
    "ProgressFlag",
    "ProgressScore",
    "Provision",
    "Scale",
    "SchoolSettings",
    "Season",
    "SenBudget",
    "Session",
    "SessionStatus",
    "StaffRate",
    "StaffType",
    "Subject",
    "Support",
    "SupportPlan",
    "TermlyMeeting",
    "Wave",
    "Weekday",
]
