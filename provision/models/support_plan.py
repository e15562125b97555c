"""Support plans for SEN support, run as assess-plan-do-review cycles with their outcomes, support and notes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from pupils.models import BroadArea, Pupil

from .audit import _pupil_data
from .progress import ProgressFlag


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
