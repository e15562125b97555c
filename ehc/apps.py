from django.apps import AppConfig


class EhcConfig(AppConfig):
    name = "ehc"
    verbose_name = "EHC assessments, plans and annual reviews"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every change to an EHC record is logged with its actor, old and new values, and the school and
        # pupil (get_additional_data) so the head's audit log shows it.
        for model in (
            models.EhcAssessment,
            models.ReassessmentRequest,
            models.DraftPlanConsultation,
            models.EhcPlan,
            models.EhcPlanVersion,
            models.PlanReadConfirmation,
            models.AnnualReview,
            models.ReviewInvitee,
            models.ReviewRoleNotApplicable,
            models.ReviewAdvice,
            models.PhaseTransfer,
            models.ReviewOutcomeProgress,
            models.Disagreement,
        ):
            auditlog.register(model)
