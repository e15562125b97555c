from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "provision"
    verbose_name = "The graduated approach and provision"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import access, models  # noqa: F401  (access registers the area's school-wide actions)

        # Every change is logged with its actor and old and new values. Computed flags are written in bulk
        # (no audit row per computation); what people do to a flag (dismiss, concern, plan) is audited.
        for model in (
            models.SchoolSettings,
            models.Subject,
            models.AssessmentPoint,
            models.ProgressScore,
            models.ProgressFlag,
            models.SupportPlan,
            models.Cycle,
            models.Outcome,
            models.Support,
            models.CycleNote,
            models.ParentMeeting,
            models.TermlyMeeting,
            models.Passport,
            models.ProgressCheckTwo,
            models.Provision,
            models.StaffRate,
            models.SenBudget,
            models.Group,
            models.Allocation,
            models.Session,
            models.HealthcarePlan,
            models.HealthcarePlanReview,
        ):
            auditlog.register(model)
