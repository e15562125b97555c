"""Admin of EHC assessments, plans, reviews and disagreements: read-only, since each step opens or closes
statutory deadlines through ehc.services."""

from __future__ import annotations

from django.contrib import admin

from send_mis.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AnnualReview,
    Disagreement,
    DraftPlanConsultation,
    EhcAssessment,
    EhcPlan,
    EhcPlanVersion,
    PhaseTransfer,
    PlanReadConfirmation,
    ReassessmentRequest,
    ReviewAdvice,
    ReviewInvitee,
    ReviewOutcomeProgress,
    ReviewRoleNotApplicable,
)

PUPIL_SEARCH = ["pupil__upn", "pupil__legal_surname"]


@admin.register(EhcAssessment)
class EhcAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "la_name", "requested_on", "la_decision", "outcome", "outcome_on"]
    list_filter = ["la_decision", "outcome", "la_name"]
    search_fields = PUPIL_SEARCH
    date_hierarchy = "requested_on"


@admin.register(ReassessmentRequest)
class ReassessmentRequestAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "requested_on", "la_decision", "la_decision_on"]
    list_filter = ["la_decision"]
    search_fields = PUPIL_SEARCH


@admin.register(DraftPlanConsultation)
class DraftPlanConsultationAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "received_on", "submitted_on"]
    search_fields = PUPIL_SEARCH


class VersionInline(ReadOnlyInline):
    model = EhcPlanVersion
    fields = ["number", "reason", "issued_on"]


@admin.register(EhcPlan)
class EhcPlanAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "la_name", "issued_on", "status", "names_school", "ceased_on"]
    list_filter = ["status", "la_name"]
    search_fields = PUPIL_SEARCH
    inlines = [VersionInline]


@admin.register(EhcPlanVersion)
class EhcPlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "reason", "issued_on"]
    search_fields = ["plan__pupil__upn"]


@admin.register(PlanReadConfirmation)
class PlanReadConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["version", "teacher", "requested_at", "confirmed_at"]
    search_fields = ["teacher__username"]


class InviteeInline(ReadOnlyInline):
    model = ReviewInvitee


class AdviceInline(ReadOnlyInline):
    model = ReviewAdvice


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReadOnlyAdmin):
    list_display = ["plan", "meeting_on", "held_on", "recommendation", "report_sent_on", "la_decision"]
    list_filter = ["recommendation", "la_decision", "is_combined_with_pep"]
    search_fields = ["plan__pupil__upn"]
    inlines = [InviteeInline, AdviceInline]


@admin.register(ReviewInvitee)
class ReviewInviteeAdmin(ReadOnlyAdmin):
    list_display = ["review", "role", "name", "invited_on"]
    list_filter = ["role"]
    search_fields = ["name", "email"]


@admin.register(ReviewAdvice)
class ReviewAdviceAdmin(ReadOnlyAdmin):
    list_display = ["review", "source", "requested_on", "received_on"]
    list_filter = ["source"]


@admin.register(ReviewOutcomeProgress)
class ReviewOutcomeProgressAdmin(ReadOnlyAdmin):
    list_display = ["review", "position"]


@admin.register(Disagreement)
class DisagreementAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "raised_on", "la_contacted_on", "mediation_on", "tribunal_on", "resolved_on"]
    search_fields = PUPIL_SEARCH


@admin.register(PhaseTransfer)
class PhaseTransferAdmin(ReadOnlyAdmin):
    list_display = ["plan", "transfer_year", "from_year_group", "is_post16", "due_on", "review_by"]
    list_filter = ["transfer_year", "is_post16"]
    search_fields = ["plan__pupil__upn", "plan__pupil__legal_surname"]


@admin.register(ReviewRoleNotApplicable)
class ReviewRoleNotApplicableAdmin(ReadOnlyAdmin):
    list_display = ["review", "role", "recorded_at"]
    list_filter = ["role"]
    search_fields = ["review__plan__pupil__upn", "review__plan__pupil__legal_surname"]
