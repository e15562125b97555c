"""EHC needs assessments, draft-plan consultations, EHC plans (sections A to K, versioned), annual reviews,
re-assessment requests and disagreements. Due dates live in deadlines.Deadline, opened by ehc.services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from send_mis.text import mid_sentence


class _PupilRecord(models.Model):
    """Fields and audit data shared by every EHC record that hangs off a pupil."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _audit_pupil(self):
        return self.pupil  # type: ignore[attr-defined]

    def get_additional_data(self) -> dict:
        pupil = self._audit_pupil()
        return {"school_id": str(pupil.school_id), "pupil_id": str(pupil.pk)}


# --- EHC needs assessment ----------------------------------------------------------------------


class RequestedBy(models.TextChoices):
    PARENT = "parent", "Parent or young person"
    SCHOOL = "school", "School"
    OTHER = "other", "Someone else"


class AssessmentDecision(models.TextChoices):
    ASSESS = "assess", "The LA will carry out an EHC needs assessment"
    NOT_ASSESS = "not_assess", "The LA will not carry out an assessment"


class AssessmentOutcome(models.TextChoices):
    PLAN = "plan", "The LA issued an EHC plan"
    NO_PLAN = "no_plan", "The LA will not issue an EHC plan"


class EhcAssessment(_PupilRecord):
    """A request for an EHC needs assessment, the LA's decisions, and the school's advice to the LA."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ehc_assessments")
    la_name = models.CharField("local authority", max_length=100)
    requested_by = models.CharField(max_length=10, choices=RequestedBy.choices)
    requested_on = models.DateField("request made on")
    la_decision = models.CharField("LA's decision", max_length=12, choices=AssessmentDecision.choices, blank=True)
    la_decision_on = models.DateField("LA decided on", null=True, blank=True)
    advice_received_on = models.DateField("LA's request for advice received on", null=True, blank=True)
    advice = models.TextField("the school's advice and information", blank=True)
    advice_submitted_on = models.DateField("advice sent to the LA on", null=True, blank=True)
    outcome = models.CharField("LA's outcome", max_length=10, choices=AssessmentOutcome.choices, blank=True)
    outcome_on = models.DateField("outcome notified on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_decision_on__isnull=True) | Q(la_decision_on__gte=F("requested_on")),
                name="ehc_assessment_decision_after_request",
            ),
            models.CheckConstraint(
                condition=Q(advice_submitted_on__isnull=True)
                | Q(advice_received_on__isnull=False, advice_submitted_on__gte=F("advice_received_on")),
                name="ehc_assessment_advice_after_request",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "requested_on"])]

    def __str__(self) -> str:
        return f"EHC needs assessment requested {self.requested_on:%-d %B %Y}"


class ReassessmentRequest(_PupilRecord):
    """A request that the LA re-assess a pupil who has a plan (reg 24, 25)."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ehc_reassessments")
    plan = models.ForeignKey("ehc.EhcPlan", on_delete=models.PROTECT, related_name="reassessments")
    requested_by = models.CharField(max_length=10, choices=RequestedBy.choices)
    requested_on = models.DateField("request made on")
    reason = models.TextField(blank=True)
    la_decision = models.CharField("LA's decision", max_length=12, choices=AssessmentDecision.choices, blank=True)
    la_decision_on = models.DateField("LA decided on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_decision_on__isnull=True) | Q(la_decision_on__gte=F("requested_on")),
                name="ehc_reassessment_decision_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-assessment requested {self.requested_on:%-d %B %Y}"


class DraftPlanConsultation(_PupilRecord):
    """A draft EHC plan (or draft amended plan) sent to the school for its views within 15 days."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ehc_drafts")
    assessment = models.ForeignKey(
        EhcAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="drafts"
    )
    plan = models.ForeignKey(
        "ehc.EhcPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="For a draft amended plan.",
    )
    received_on = models.DateField("draft received on")
    response = models.TextField("the school's views", blank=True)
    submitted_on = models.DateField("views sent to the LA on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__gte=F("received_on")),
                name="ehc_draft_views_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft plan received {self.received_on:%-d %B %Y}"


# --- EHC plan ----------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class VersionReason(models.TextChoices):
    ISSUED = "issued", "Issued"
    AMENDED = "amended", "Amended"


# reg 12(1); CoP 9.62 (STATUTORY.md s.4): (field, letter, label). One place, so every page uses the same words.
PLAN_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("section_a", "A", "The views, interests and aspirations of the child or young person and their parents"),
    ("section_b", "B", "Special educational needs"),
    ("section_c", "C", "Health care needs related to their SEN"),
    ("section_d", "D", "Social care needs related to their SEN or disability"),
    ("section_e", "E", "Outcomes"),
    ("section_f", "F", "Special educational provision"),
    ("section_g", "G", "Health provision"),
    (
        "section_h1",
        "H1",
        "Social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970",
    ),
    ("section_h2", "H2", "Other social care provision"),
    ("section_i", "I", "Placement: the name and type of the school or other institution"),
    ("section_j", "J", "Personal budget, including direct payments"),
    ("section_k", "K", "Advice and information gathered during the assessment (appendices)"),
)
SUMMARY_SECTIONS = ("section_b", "section_e", "section_f")  # what a teacher reads: needs, outcomes, provision


class EhcPlan(_PupilRecord):
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ehc_plans")
    assessment = models.ForeignKey(EhcAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    la_name = models.CharField("local authority", max_length=100)
    issued_on = models.DateField("first issued on")
    names_school = models.BooleanField("the plan names this school", default=True)
    named_school = models.CharField("school or institution named in section I", max_length=200, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="12 by law; the Code recommends 3 to 6 months for a child under five (CoP 9.178)."
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    ceased_on = models.DateField(null=True, blank=True)
    ceased_reason = models.TextField(blank=True)
    # reg 15: a plan maintained by another LA that became this LA's when the family moved.
    transferred_in_on = models.DateField("transferred from another LA on", null=True, blank=True)
    previous_la_name = models.CharField("previous local authority", max_length=100, blank=True)
    transfer_notice_on = models.DateField("new LA told the family on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(status="active"), name="ehc_one_active_plan_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=3, review_interval_months__lte=12),
                name="ehc_plan_review_interval_3_to_12",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan ({self.la_name}) issued {self.issued_on:%-d %B %Y}"


class PhaseTransfer(_PupilRecord):
    """A pupil with a plan moving to the next phase in September of `transfer_year` (reg 18): the plan must be
    reviewed and amended, naming the next school, by `due_on`. One per plan per transfer; the source of the
    phase-transfer deadline. Met when the amended plan naming the next school is issued (`met_on`)."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.PROTECT, related_name="phase_transfers")
    transfer_year = models.PositiveSmallIntegerField("September of transfer")
    from_year_group = models.IntegerField()
    is_post16 = models.BooleanField(default=False)
    due_on = models.DateField("plan amended by")
    review_by = models.DateField("hold the transition review by")
    next_school = models.CharField("school or institution named for the transfer", max_length=200, blank=True)
    met_on = models.DateField("amended plan naming the next school issued on", null=True, blank=True)

    class Meta:
        ordering = ["-transfer_year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "transfer_year"], name="ehc_one_phase_transfer_per_year"),
        ]

    def __str__(self) -> str:
        return f"Phase transfer in September {self.transfer_year}"

    def _audit_pupil(self):
        return self.plan.pupil


class EhcPlanVersion(models.Model):
    """One issue of a plan: the first, then each amendment. The plan's current version is the latest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(EhcPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=10, choices=VersionReason.choices)
    issued_on = models.DateField("issued on")
    section_a = models.TextField("A", blank=True)
    section_b = models.TextField("B", blank=True)
    section_c = models.TextField("C", blank=True)
    section_d = models.TextField("D", blank=True)
    section_e = models.TextField("E", blank=True)
    section_f = models.TextField("F", blank=True)
    section_g = models.TextField("G", blank=True)
    section_h1 = models.TextField("H1", blank=True)
    section_h2 = models.TextField("H2", blank=True)
    section_i = models.TextField("I", blank=True)
    section_j = models.TextField("J", blank=True)
    section_k = models.TextField("K", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="ehc_plan_version_number_unique")]

    def __str__(self) -> str:
        return f"Version {self.number} ({mid_sentence(self.get_reason_display())} {self.issued_on:%-d %B %Y})"

    def sections(self) -> list[dict]:
        """Sections A to K in order, each with its letter, label and text."""
        return [
            {"field": field, "letter": letter, "label": label, "text": getattr(self, field)}
            for field, letter, label in PLAN_SECTIONS
        ]

    def summary_sections(self) -> list[dict]:
        return [s for s in self.sections() if s["field"] in SUMMARY_SECTIONS]

    def outcomes(self) -> list[str]:
        """Section E split into its outcomes: one per non-blank line (bullets stripped)."""
        return [line.strip().lstrip("-*•").strip() for line in self.section_e.splitlines() if line.strip()]

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.plan.pupil.school_id), "pupil_id": str(self.plan.pupil_id)}


class PlanReadConfirmation(models.Model):
    """A teacher of the pupil confirms they have read the plan summary (policy: all who teach know the needs)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(EhcPlanVersion, on_delete=models.CASCADE, related_name="read_confirmations")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "teacher"], name="ehc_one_read_confirmation_per_teacher"),
        ]

    def __str__(self) -> str:
        return f"Read confirmation for {self.version}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.version.plan.pupil.school_id), "pupil_id": str(self.version.plan.pupil_id)}


# --- Annual review -----------------------------------------------------------------------------


class Recommendation(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan unchanged"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class AnnualReview(_PupilRecord):
    plan = models.ForeignKey(EhcPlan, on_delete=models.PROTECT, related_name="reviews")
    meeting_on = models.DateField("meeting date")
    # What the invitation letter tells everyone: when and where (the school, unless held elsewhere).
    meeting_time = models.TimeField("meeting time", null=True, blank=True)
    meeting_place = models.CharField(
        "meeting place",
        max_length=200,
        blank=True,
        help_text="For example: the school's meeting room. Blank: the school.",
    )
    invited_meeting_on = models.DateField(
        "meeting date the invitations gave",
        null=True,
        blank=True,
        help_text="Set when the meeting was held on another day after invitations went out: those letters are "
        "superseded.",
    )
    is_combined_with_pep = models.BooleanField("combined with the personal education plan (PEP) review", default=False)
    held_on = models.DateField("meeting held on", null=True, blank=True)
    circulated_on = models.DateField("advice circulated to invitees on", null=True, blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    has_advocate = models.BooleanField("an advocate supported the pupil or parents", default=False)
    advocate_name = models.CharField("advocate's name", max_length=200, blank=True)
    # What the report must contain (reg 20(7), (8); CoP 9.176): the amendments recommended, where those
    # present disagreed, and from Year 9 the preparation for adulthood and independent living.
    recommended_amendments = models.TextField("amendments to the plan recommended", blank=True)
    differences_of_view = models.TextField("differences of view between those present", blank=True)
    preparation_for_adulthood = models.TextField(
        "preparation for adulthood and independent living (from Year 9)", blank=True
    )
    report_sent_on = models.DateField("review report sent on", null=True, blank=True)
    la_decision = models.CharField("LA's decision", max_length=10, choices=Recommendation.choices, blank=True)
    la_decision_on = models.DateField("LA decided on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-meeting_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_sent_on__isnull=True) | Q(held_on__isnull=False, report_sent_on__gte=F("held_on")),
                name="ehc_review_report_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(has_advocate=True) | Q(advocate_name=""), name="ehc_review_advocate_name_needs_advocate"
            ),
        ]
        indexes = [models.Index(fields=["plan", "meeting_on"])]

    def __str__(self) -> str:
        return f"Annual review on {self.meeting_on:%-d %B %Y}"

    def _audit_pupil(self):
        return self.plan.pupil

    @property
    def pupil(self):
        return self.plan.pupil


class InviteeRole(models.TextChoices):
    PARENT = "parent", "Parent or carer (or the young person)"
    HEAD = "head", "Head teacher or provider"
    LA_SEN_OFFICER = "la_sen", "LA SEN officer"
    HEALTH = "health", "Health care professional"
    SOCIAL_CARE = "social_care", "LA social care officer"
    OTHER = "other", "Other"


# How each role reads in a letter's address block and the report's list of those invited.
INVITEE_ROLE_WORDS: dict[str, str] = {
    InviteeRole.PARENT: "Parent or carer",
    InviteeRole.HEAD: "Headteacher",
    InviteeRole.LA_SEN_OFFICER: "SEN officer, local authority",
    InviteeRole.HEALTH: "Health professional",
    InviteeRole.SOCIAL_CARE: "Social worker, local authority",
    InviteeRole.OTHER: "",
}

# reg 20(2): the five who must be invited to every annual review meeting.
REQUIRED_INVITEE_ROLES: tuple[str, ...] = (
    InviteeRole.PARENT,
    InviteeRole.HEAD,
    InviteeRole.LA_SEN_OFFICER,
    InviteeRole.HEALTH,
    InviteeRole.SOCIAL_CARE,
)


class ReviewInvitee(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="invitees")
    role = models.CharField(max_length=12, choices=InviteeRole.choices)
    name = models.CharField(max_length=200)
    title = models.CharField(
        "their role, as they would say it",
        max_length=100,
        blank=True,
        help_text="For example: Educational psychologist. It goes under their name on the letter.",
    )
    email = models.EmailField(blank=True)
    invited_on = models.DateField("invitation sent on", null=True, blank=True)
    is_by_post = models.BooleanField("sent by post", default=False)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role_label})"

    @property
    def role_label(self) -> str:
        """Their role as people say it: the title given, else the usual words for the reg 20(2) role."""
        return self.title or INVITEE_ROLE_WORDS.get(self.role, self.get_role_display())

    def get_additional_data(self) -> dict:
        return self.review.get_additional_data()


class ReviewRoleNotApplicable(models.Model):
    """The SENCO's record of why one of the five reg 20(2) invitees does not apply to this review (for example,
    no social care involvement and the LA's social care team confirmed it need not attend)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="roles_not_applicable")
    role = models.CharField(max_length=12, choices=InviteeRole.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["review", "role"], name="ehc_one_not_applicable_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: not applicable"

    def get_additional_data(self) -> dict:
        return self.review.get_additional_data()


class ReviewAdvice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="advice")
    source = models.CharField("advice from", max_length=200)
    requested_on = models.DateField("requested on")
    received_on = models.DateField("received on", null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "source"]
        verbose_name_plural = "review advice"
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("requested_on")),
                name="ehc_review_advice_received_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Advice from {self.source}"

    def get_additional_data(self) -> dict:
        return self.review.get_additional_data()


class ReviewOutcomeProgress(models.Model):
    """Progress towards one section E outcome, recorded at the review meeting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="outcome_progress")
    position = models.PositiveSmallIntegerField()
    outcome = models.TextField()
    progress = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="ehc_one_progress_row_per_outcome"),
        ]

    def __str__(self) -> str:
        return f"Progress on outcome {self.position}"

    def get_additional_data(self) -> dict:
        return self.review.get_additional_data()


# --- Disagreements -----------------------------------------------------------------------------


class Disagreement(_PupilRecord):
    """A disagreement or complaint about EHC provision: the LA contacted (the policy says immediately),
    mediation, tribunal, outcome."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="ehc_disagreements")
    raised_on = models.DateField()
    summary = models.TextField()
    la_contacted_on = models.DateField("LA contacted on", null=True, blank=True)
    mediation_on = models.DateField("mediation on", null=True, blank=True)
    tribunal_on = models.DateField("tribunal hearing on", null=True, blank=True)
    outcome = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-raised_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_contacted_on__isnull=True) | Q(la_contacted_on__gte=F("raised_on")),
                name="ehc_disagreement_la_contact_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return f"Disagreement raised {self.raised_on:%-d %B %Y}"
