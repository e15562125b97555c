"""Admin of the graduated approach: a school's progress settings, subjects and assessment points are editable
(audited by auditlog's middleware); pupils' scores, flags, plans, meetings and passports change only through
provision.services, so they are read-only here."""

from __future__ import annotations

from django.contrib import admin

from send_mis.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Allocation,
    AssessmentPoint,
    Attendance,
    Cycle,
    CycleNote,
    ExportPreset,
    FlagComputation,
    Group,
    HealthcarePlan,
    HealthcarePlanReview,
    Outcome,
    ParentMeeting,
    Passport,
    PlaceCost,
    ProgressCheckTwo,
    ProgressFlag,
    ProgressScore,
    Provision,
    SchoolSettings,
    SenBudget,
    Session,
    StaffRate,
    Subject,
    Support,
    SupportPlan,
    TermlyMeeting,
)

PUPIL_SEARCH = ["pupil__upn", "pupil__legal_surname"]


@admin.register(SchoolSettings)
class SchoolSettingsAdmin(admin.ModelAdmin):
    list_display = ["school", "expected_score", "score_min", "score_max", "min_signs"]
    search_fields = ["school__name"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "ordering", "is_active"]
    list_filter = ["is_active", "school"]
    search_fields = ["name", "school__name"]


@admin.register(AssessmentPoint)
class AssessmentPointAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "season", "academic_year", "assessed_on"]
    list_filter = ["season", "academic_year", "school"]
    search_fields = ["name", "school__name"]


@admin.register(ProgressScore)
class ProgressScoreAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "subject", "point", "score", "entered_by", "entered_at"]
    list_filter = ["subject__name", "point__academic_year"]
    search_fields = PUPIL_SEARCH
    list_select_related = ["pupil", "subject", "point", "entered_by"]


@admin.register(ProgressFlag)
class ProgressFlagAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "subject", "point", "status", "computed_at"]
    list_filter = ["status"]
    search_fields = PUPIL_SEARCH
    list_select_related = ["pupil", "subject", "point"]


@admin.register(FlagComputation)
class FlagComputationAdmin(ReadOnlyAdmin):
    list_display = ["school", "requested_at", "computed_at"]
    search_fields = ["school__name"]


class CycleInline(ReadOnlyInline):
    model = Cycle
    fields = ["number", "review_on", "agreed_at", "reviewed_on"]


@admin.register(SupportPlan)
class SupportPlanAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "started_on", "ended_on", "parents_told_on"]
    search_fields = PUPIL_SEARCH
    date_hierarchy = "started_on"
    inlines = [CycleInline]


class OutcomeInline(ReadOnlyInline):
    model = Outcome


class SupportInline(ReadOnlyInline):
    model = Support


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "review_on", "agreed_at", "reviewed_on"]
    search_fields = ["plan__pupil__upn"]
    inlines = [OutcomeInline, SupportInline]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "position", "progress"]
    list_filter = ["progress"]


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "position", "description", "delivered_by", "frequency"]
    search_fields = ["description", "delivered_by"]


@admin.register(CycleNote)
class CycleNoteAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "written_on", "author"]
    search_fields = ["author__username"]


@admin.register(ParentMeeting)
class ParentMeetingAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "held_on", "shared_with_parents_on", "recorded_by"]
    search_fields = PUPIL_SEARCH
    date_hierarchy = "held_on"


@admin.register(TermlyMeeting)
class TermlyMeetingAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "academic_year", "season", "due_on", "meeting"]
    list_filter = ["academic_year", "season"]
    search_fields = PUPIL_SEARCH


@admin.register(Passport)
class PassportAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "version", "in_own_words", "created_by", "created_at"]
    search_fields = PUPIL_SEARCH


@admin.register(ProgressCheckTwo)
class ProgressCheckTwoAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "checked_on", "shared_with_parents_on", "recorded_by"]
    search_fields = PUPIL_SEARCH


# --- The provision map: the catalogue and rates change through provision.services (audited), read-only here ---


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ["name", "school", "broad_area", "wave", "measure_scale"]
    list_filter = ["broad_area", "wave", "school"]
    search_fields = ["name", "school__name"]


@admin.register(StaffRate)
class StaffRateAdmin(ReadOnlyAdmin):
    list_display = ["school", "staff_type", "hourly_rate", "on_cost"]
    list_filter = ["staff_type", "school"]
    search_fields = ["school__name"]


@admin.register(SenBudget)
class SenBudgetAdmin(ReadOnlyAdmin):
    list_display = ["school", "financial_year", "notional_budget", "top_up_funding"]
    list_filter = ["financial_year"]
    search_fields = ["school__name"]


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "provision", "weekday", "starts_on", "ends_on"]
    list_filter = ["weekday"]
    search_fields = ["name", "provision__name"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["group", "pupil", "joined_on", "left_on"]
    search_fields = [*PUPIL_SEARCH, "group__name"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["group", "held_on", "status", "minutes", "present_count"]
    list_filter = ["status"]
    search_fields = ["group__name"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "pupil", "is_present"]
    list_filter = ["is_present"]
    search_fields = PUPIL_SEARCH


@admin.register(ExportPreset)
class ExportPresetAdmin(ReadOnlyAdmin):
    list_display = ["name", "ordering"]
    search_fields = ["name"]


@admin.register(PlaceCost)
class PlaceCostAdmin(ReadOnlyAdmin):
    list_display = ["group", "pupil", "academic_year", "share"]
    list_filter = ["academic_year"]
    search_fields = [*PUPIL_SEARCH, "group__name"]


@admin.register(HealthcarePlan)
class HealthcarePlanAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "condition", "plan_on", "review_on", "held_by"]
    search_fields = [*PUPIL_SEARCH, "condition"]


@admin.register(HealthcarePlanReview)
class HealthcarePlanReviewAdmin(ReadOnlyAdmin):
    list_display = ["plan", "reviewed_on", "next_review_on"]
    search_fields = ["plan__pupil__upn", "plan__pupil__legal_surname"]
