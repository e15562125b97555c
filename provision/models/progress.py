"""The school's progress settings, and progress data: subjects, assessment points, scores and their flags."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pupils.identification import Thresholds
from pupils.models import Pupil, School

from .audit import _pupil_data

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
        # The pupil carried in the index: the dashboard's "scores owed" counts a point's scores by class from the
        # index alone (an index-only scan), not from tens of thousands of rows in a large school.
        indexes = [models.Index(fields=["point", "subject"], include=["pupil"], name="score_point_subject_pupil")]

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
        indexes = [
            models.Index(fields=["point", "subject", "status"]),
            # The pupil carried in the index: the flags list counts a school's open flags from it alone.
            models.Index(fields=["status"], include=["pupil"], name="flag_status_pupil"),
        ]

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
