"""Individual healthcare plans for pupils with medical conditions, and their reviews."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from pupils.models import Pupil

from .audit import _pupil_data


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
