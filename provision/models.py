"""The graduated approach: progress data and its flags, support plans (assess, plan, do, review), parent
meetings, pupil passports and the progress check at age two.

Progress data lives here rather than in pupils because models belong to an app's models module; pupils keeps
the pure identification functions (pupils/identification.py) that the flag service calls.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pupils.identification import Thresholds
from pupils.models import BroadArea, Pupil, School


def _pupil_data(pupil: Pupil) -> dict:
    return {"school_id": str(pupil.school_id), "pupil_id": str(pupil.pk)}


# --- School settings ------------------------------------------------------------------------------------


class SchoolSettings(models.Model):
    """The school's documented settings for progress data and the identification of slow progress.

    The threshold fields feed pupils.identification.Thresholds; their help texts say what each means, so the
    SENCO editing them reads the same explanation the code follows (policy section 4; CoP 6.17)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="provision_settings")
    expected_score = models.DecimalField(
        "age-expected score",
        max_digits=6,
        decimal_places=1,
        default=Decimal("100"),
        help_text="The score that means age-expected on the school's scale (100 on a standardised score).",
    )
    score_min = models.DecimalField(
        "lowest possible score",
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        help_text="Scores below this are refused as typing mistakes.",
    )
    score_max = models.DecimalField(
        "highest possible score",
        max_digits=6,
        decimal_places=1,
        default=Decimal("200"),
        help_text="Scores above this are refused as typing mistakes.",
    )
    baseline_band_width = models.DecimalField(
        "baseline band width",
        max_digits=5,
        decimal_places=1,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Peers 'starting from the same baseline' scored in the same band of this many points last time.",
    )
    slower_than_peers_margin = models.DecimalField(
        "slower than peers by more than",
        max_digits=5,
        decimal_places=1,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Points below the median gain of same-baseline peers before 'slower than peers' is flagged. "
        "3 is about the measurement error of a standardised test.",
    )
    min_peers = models.PositiveSmallIntegerField(
        "fewest peers to compare with",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="With fewer peers than this, the comparisons with peers are not made.",
    )
    previous_rate_margin = models.DecimalField(
        "below own previous rate by more than",
        max_digits=5,
        decimal_places=1,
        default=Decimal("6"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Points below the pupil's own previous gain before 'not keeping up with own rate' is flagged. "
        "0 flags any gain smaller than last time. Comparing two gains carries the error of three tests, so 6 "
        "(twice the margin for peers) ignores most test noise.",
    )
    gap_margin = models.DecimalField(
        "gap margin",
        max_digits=5,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="A gap to the year-group median must close by at least this to count as closing, and grow by "
        "more than this to count as widening.",
    )
    min_signs = models.PositiveSmallIntegerField(
        "pieces of evidence needed to flag",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="A pupil is flagged only with at least this many of: slower than peers, below own rate, and a gap "
        "with peers that is not closing or is widening (those two count as one, as they rest on the same gap). "
        "1 flags on any single sign, which test noise alone triggers for about 2 pupils in 5; 2 flags about "
        "1 pupil in 5 per subject; 3 about 1 in 14, but never a pupil with only two scores.",
    )

    class Meta:
        verbose_name = "school settings"
        verbose_name_plural = "school settings"

    def __str__(self) -> str:
        return f"Progress settings for {self.school}"

    def thresholds(self) -> Thresholds:
        return Thresholds(
            baseline_band_width=float(self.baseline_band_width),
            slower_than_peers_margin=float(self.slower_than_peers_margin),
            min_peers=int(self.min_peers),
            previous_rate_margin=float(self.previous_rate_margin),
            gap_margin=float(self.gap_margin),
            min_signs=int(self.min_signs),
        )

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


# --- Progress data --------------------------------------------------------------------------------------


class Subject(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(max_length=60)
    ordering = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordering", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="subject_name_unique_in_school")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class Season(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"
    OTHER = "other", "School's own"


class AssessmentPoint(models.Model):
    """A moment when the school assesses progress: autumn, spring and summer each year, and its own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessment_points")
    name = models.CharField(max_length=60)
    season = models.CharField(max_length=10, choices=Season.choices, default=Season.OTHER)
    academic_year = models.PositiveSmallIntegerField(help_text="The calendar year the academic year starts in.")
    assessed_on = models.DateField()

    class Meta:
        ordering = ["assessed_on", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="point_name_unique_in_school")]
        indexes = [models.Index(fields=["school", "assessed_on"])]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class ProgressScore(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="progress_scores")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="scores")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(max_digits=6, decimal_places=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "subject", "point"], name="one_score_per_pupil_subject_point")
        ]
        indexes = [models.Index(fields=["point", "subject"])]

    def __str__(self) -> str:
        return f"{self.subject} at {self.point}: {self.score}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.point.school_id), "pupil_id": str(self.pupil_id)}


class FlagComputation(models.Model):
    """A school's flag computation: whether one is waiting for the worker (the flags page then says
    "updating") and, per cohort (subject and year group), a signature of the scores the last one judged, so a
    repeat judges only the cohorts whose scores changed."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, primary_key=True, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    # When the last computation read the scores: a request after that is still waiting.
    computed_at = models.DateTimeField(null=True, blank=True)
    signatures = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Flag computation ({'updating' if self.pending else 'up to date'})"

    @property
    def pending(self) -> bool:
        return self.requested_at is not None and (self.computed_at is None or self.requested_at > self.computed_at)


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Dismissed"
    CONCERN_RAISED = "concern_raised", "SEN concern raised"
    PLAN_STARTED = "plan_started", "Support plan started"


class ProgressFlag(models.Model):
    """Signs of less than expected progress (CoP 6.17) for one pupil, subject and point: a prompt for a
    conversation, never a place on the register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="progress_flags")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="flags")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.CASCADE, related_name="flags")
    signs = models.JSONField(default=list)
    evidence = models.JSONField(default=list)
    figures = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    dismissed_reason = models.TextField(blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actioned_at = models.DateTimeField(null=True, blank=True)
    concern = models.ForeignKey(
        "pupils.SenConcern", on_delete=models.SET_NULL, null=True, blank=True, related_name="progress_flags"
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "subject", "point"], name="one_flag_per_pupil_subject_point"),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""), name="dismissed_flag_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["point", "subject", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Progress flag: {self.subject} at {self.point}"

    @property
    def sign_labels(self) -> list[str]:
        from pupils.identification import Sign

        return [Sign(s).label for s in self.signs]

    @property
    def sign_evidence(self) -> list[tuple[str, str]]:
        return list(zip(self.sign_labels, self.evidence, strict=False))

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


# --- Support plans: assess, plan, do, review -------------------------------------------------------------


class SupportPlan(models.Model):
    """SEN support for one pupil, run as assess-plan-do-review cycles (CoP 6.44 to 6.56; policy s.6)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="support_plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    flag = models.ForeignKey(ProgressFlag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    parents_told_on = models.DateField("parents told on", null=True, blank=True)
    parents_told_how = models.CharField("how parents were told", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ended_on__isnull=True), name="one_open_support_plan_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(parents_told_on__isnull=True) | ~Q(parents_told_how=""), name="parents_told_says_how"
            ),
        ]

    def __str__(self) -> str:
        return f"Support plan from {self.started_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class Cycle(models.Model):
    """One assess-plan-do-review cycle of a support plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    # Assess
    needs_communication = models.TextField("communication and interaction", blank=True)
    needs_cognition = models.TextField("cognition and learning", blank=True)
    needs_semh = models.TextField("social, emotional and mental health", blank=True)
    needs_sensory = models.TextField("sensory and/or physical", blank=True)
    assessment_evidence = models.TextField("evidence", blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    # Plan
    adjustments = models.TextField("adjustments in class", blank=True)
    expected_impact = models.TextField("expected impact", blank=True)
    review_on = models.DateField("review date", null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # Review
    reviewed_on = models.DateField(null=True, blank=True)
    impact = models.TextField("impact of the support", blank=True)
    review_pupil_views = models.TextField("the pupil's views", blank=True)
    review_parent_views = models.TextField("the parents' views", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="cycle_number_unique_in_plan")]
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"Cycle {self.number}"

    NEED_FIELDS = (
        (BroadArea.COMMUNICATION, "needs_communication"),
        (BroadArea.COGNITION, "needs_cognition"),
        (BroadArea.SEMH, "needs_semh"),
        (BroadArea.SENSORY_PHYSICAL, "needs_sensory"),
    )

    @property
    def needs(self) -> list[tuple[str, str]]:
        return [(area.label, getattr(self, field)) for area, field in self.NEED_FIELDS if getattr(self, field)]

    @property
    def is_assessed(self) -> bool:
        return bool(self.needs)

    @property
    def is_planned(self) -> bool:
        return self.review_on is not None

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    @property
    def stage(self) -> str:
        if self.is_reviewed:
            return "Reviewed"
        if self.is_planned:
            return "Do (support under way)"
        if self.is_assessed:
            return "Plan"
        return "Assess"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.plan.pupil)


class OutcomeProgress(models.TextChoices):
    NOT_YET = "not_yet", "Not yet achieved"
    PARTLY = "partly", "Partly achieved"
    ACHIEVED = "achieved", "Achieved"


class Outcome(models.Model):
    """An outcome sought, specific and measurable: what success looks like and how it will be measured."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField("outcome sought")
    success_measure = models.TextField("how we will know (measure of success)")
    progress = models.CharField(max_length=10, choices=OutcomeProgress.choices, blank=True)
    progress_evidence = models.TextField("evidence of progress", blank=True)

    class Meta:
        ordering = ["cycle", "position"]

    def __str__(self) -> str:
        return self.description[:60]

    def get_additional_data(self) -> dict:
        return _pupil_data(self.cycle.plan.pupil)


class Support(models.Model):
    """An intervention or support in the plan: what, who delivers it, how often, from when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="supports")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField("intervention or support", max_length=300)
    delivered_by = models.CharField("who", max_length=200)
    frequency = models.CharField("how often", max_length=200)
    starts_on = models.DateField("from")

    class Meta:
        ordering = ["cycle", "position"]

    def __str__(self) -> str:
        return self.description

    def get_additional_data(self) -> dict:
        return _pupil_data(self.cycle.plan.pupil)


class CycleNote(models.Model):
    """Do: a dated note by a teacher or member of support staff delivering the plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-created_at"]

    def __str__(self) -> str:
        return f"Note of {self.written_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.cycle.plan.pupil)


# --- Parent meetings ------------------------------------------------------------------------------------


class ParentMeeting(models.Model):
    """A meeting with parents of a pupil on SEN support: at least one a term (CoP 6.65; policy s.10)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="parent_meetings")
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("who attended")
    outcomes = models.TextField("outcomes")
    actions_agreed = models.TextField("actions agreed", blank=True)
    shared_with_parents_on = models.DateField("shared with parents on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["pupil", "held_on"])]

    def __str__(self) -> str:
        return f"Parent meeting on {self.held_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class TermlyMeeting(models.Model):
    """The termly parent meeting owed for one pupil on SEN support: the source of its deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="termly_meetings")
    academic_year = models.PositiveSmallIntegerField()
    season = models.CharField(max_length=10, choices=Season.choices)
    due_on = models.DateField()
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "academic_year", "season"], name="one_termly_meeting_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} term meeting {self.academic_year}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


# --- Pupil passport and the progress check at age two ---------------------------------------------------


class Passport(models.Model):
    """One version of a pupil's one-page profile, in plain words; a new version is written, never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="passports")
    version = models.PositiveSmallIntegerField()
    important_to_me = models.TextField("what is important to me")
    like_and_admire = models.TextField("what people like and admire about me")
    how_to_support = models.TextField("how best to support me")
    in_own_words = models.BooleanField("written in the pupil's own words", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pupil", "-version"]
        constraints = [models.UniqueConstraint(fields=["pupil", "version"], name="passport_version_unique")]

    def __str__(self) -> str:
        return f"Pupil passport, version {self.version}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class ProgressCheckTwo(models.Model):
    """The progress check at age two (EYFS statutory framework) for a nursery child."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="progress_checks_two")
    checked_on = models.DateField("date of the check")
    strengths = models.TextField()
    less_than_expected = models.TextField("areas of less than expected progress", blank=True)
    concerns = models.TextField(blank=True)
    planned_response = models.TextField("planned response", blank=True)
    shared_with_parents_on = models.DateField("shared with parents on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = "progress check at age two"

    def __str__(self) -> str:
        return f"Progress check at two, {self.checked_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


# --- The provision map (its own module, re-exported so `provision.models` stays the one import) ---------

from .models_maps import (  # noqa: E402, F401
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

# --- Individual healthcare plans (supporting pupils with medical conditions, 2015) -----------------------------


class HealthcarePlan(models.Model):
    """An individual healthcare plan for a pupil with a medical condition: the condition, when the plan was
    agreed, when it is next reviewed, and who holds it. Reviewed at least yearly (the deadline runs from the
    plan, then from each review). Visible to the pupil's teachers, who need to know it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="healthcare_plans")
    condition = models.CharField("medical condition", max_length=200)
    plan_on = models.DateField("plan agreed on")
    review_on = models.DateField("next review by")
    held_by = models.CharField(
        "who holds the plan", max_length=200, help_text="For example: school office, first aid room, class."
    )
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-plan_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gte=models.F("plan_on")), name="healthcare_plan_review_after_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"Healthcare plan from {self.plan_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class HealthcarePlanReview(models.Model):
    """One review of an individual healthcare plan; it meets the review deadline and starts the next."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(HealthcarePlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    next_review_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("reviewed_on")), name="healthcare_review_next_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Healthcare plan reviewed {self.reviewed_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.plan.pupil)
