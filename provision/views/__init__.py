"""Thin views of the graduated approach, one module per area."""

from .flags import flag_concern, flag_dismiss, flag_list, flag_plan, flags_compute
from .healthcare import healthcare_plan_new, healthcare_plan_review, healthcare_plans
from .plans import (
    cycle_agree,
    cycle_assess,
    cycle_note,
    cycle_plan,
    cycle_review,
    plan_detail,
    plan_end,
    plan_parents_told,
    plan_start,
    pupil_provision,
)
from .progress import point_add, score_grid, score_import, scores, settings, subject_add, year_set_up
from .records import (
    check_two_add,
    class_passports,
    meeting_add,
    meetings_due,
    passport,
    passport_edit,
    passport_pdf,
)

__all__ = [
    "check_two_add",
    "class_passports",
    "cycle_agree",
    "cycle_assess",
    "cycle_note",
    "cycle_plan",
    "cycle_review",
    "flag_concern",
    "flag_dismiss",
    "flag_list",
    "flag_plan",
    "flags_compute",
    "healthcare_plan_new",
    "healthcare_plan_review",
    "healthcare_plans",
    "meeting_add",
    "meetings_due",
    "passport",
    "passport_edit",
    "passport_pdf",
    "plan_detail",
    "plan_end",
    "plan_parents_told",
    "plan_start",
    "point_add",
    "pupil_provision",
    "score_grid",
    "score_import",
    "scores",
    "settings",
    "subject_add",
    "year_set_up",
]
