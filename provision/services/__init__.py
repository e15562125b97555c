"""Every write of the graduated approach: keyword-only arguments, an actor, a transaction, an audit row.

Progress data and flags, support plans run as assess-plan-do-review cycles, parent meetings, passports and the
progress check at age two, one module per noun. Review dates and termly parent meetings are deadlines, opened
and closed through deadlines.services with the kinds in provision.kinds.
"""

from .flags import (
    FlagRun,
    flag_dismiss,
    flag_raise_concern,
    flags_compute,
    flags_request,
    flags_updating,
)
from .healthcare import (
    healthcare_plan_record,
    healthcare_plan_review,
    healthcare_review_due,
)
from .maps import (
    ScoreInput,
    SessionInput,
    allocation_add,
    allocation_end,
    allocation_support_link,
    group_start,
    provision_save,
    scores_record,
    sen_budget_set,
    session_withdraw,
    sessions_record,
    staff_rate_set,
)
from .meetings import (
    parent_meeting_record,
    parent_meetings_schedule,
)
from .passports import (
    passport_write,
    progress_check_two_record,
)
from .plans import (
    ASSESS_FIELDS,
    OutcomeInput,
    OutcomeReview,
    SupportInput,
    class_teacher,
    cycle_agree,
    cycle_assess,
    cycle_note_add,
    cycle_plan,
    cycle_review,
    plan_parents_told,
    support_plan_end,
    support_plan_start,
)
from .progress import (
    DEFAULT_POINTS,
    DEFAULT_SUBJECTS,
    ImportRow,
    ScoreChanges,
    assessment_point_add,
    school_defaults_ensure,
    school_settings_save,
    scores_import,
    scores_save,
    subject_add,
)

__all__ = [
    "ASSESS_FIELDS",
    "DEFAULT_POINTS",
    "DEFAULT_SUBJECTS",
    "FlagRun",
    "ImportRow",
    "OutcomeInput",
    "OutcomeReview",
    "ScoreChanges",
    "ScoreInput",
    "SessionInput",
    "SupportInput",
    "allocation_add",
    "allocation_end",
    "allocation_support_link",
    "assessment_point_add",
    "class_teacher",
    "cycle_agree",
    "cycle_assess",
    "cycle_note_add",
    "cycle_plan",
    "cycle_review",
    "flag_dismiss",
    "flag_raise_concern",
    "flags_compute",
    "flags_request",
    "flags_updating",
    "group_start",
    "healthcare_plan_record",
    "healthcare_plan_review",
    "healthcare_review_due",
    "parent_meeting_record",
    "parent_meetings_schedule",
    "passport_write",
    "plan_parents_told",
    "progress_check_two_record",
    "provision_save",
    "school_defaults_ensure",
    "school_settings_save",
    "scores_import",
    "scores_record",
    "scores_save",
    "sen_budget_set",
    "session_withdraw",
    "sessions_record",
    "staff_rate_set",
    "subject_add",
    "support_plan_end",
    "support_plan_start",
]
