"""One deadline mechanism for the whole product: a row per duty, computed from the event that starts it.

The EHC workflow (advice, draft views, annual reviews, the LA's decisions) and the graduated approach (support
plan reviews, termly parent meetings) all open, recompute and close their deadlines through deadlines.services.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

DUE_SOON_DAYS = 14


class Party(models.TextChoices):
    SCHOOL = "school", "School"  # ours: drives reminders and escalation
    LA = "la", "LA"  # theirs: to chase, and to report on the LA's timeliness


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    EXCUSED = "excused", "Excused"


class DeadlineState(models.TextChoices):
    """What a person sees: derived from the stored status, the due date and today."""

    UPCOMING = "upcoming", "Upcoming"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    EXCUSED = "excused", "Excused"


class Deadline(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="deadlines")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200, help_text="What is due; never the pupil's name.")
    rule = models.CharField(max_length=300, help_text="The rule text shown next to the due date.")
    party = models.CharField(max_length=10, choices=Party.choices, default=Party.SCHOOL)
    due_on = models.DateField()
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.CharField(max_length=64)
    source = GenericForeignKey("source_type", "source_id")
    status = models.CharField(max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    met_on = models.DateField(null=True, blank=True)
    excused_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "kind"], name="one_deadline_per_duty"),
            models.CheckConstraint(
                condition=Q(status="met", met_on__isnull=False) | ~Q(status="met"), name="met_deadline_has_date"
            ),
        ]
        indexes = [
            # The sweep and the dashboards look at open deadlines by date.
            models.Index(fields=["due_on"], condition=Q(status="open"), name="deadline_open_due_idx"),
            models.Index(fields=["school", "status", "due_on"]),
            models.Index(fields=["pupil", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on:%d %b %Y})"

    def state(self, today: date) -> DeadlineState:
        if self.status == DeadlineStatus.EXCUSED:
            return DeadlineState.EXCUSED
        if self.status == DeadlineStatus.MET:
            return DeadlineState.MET_LATE if self.met_on and self.met_on > self.due_on else DeadlineState.MET
        if today > self.due_on:
            return DeadlineState.OVERDUE
        if self.due_on - today <= timedelta(days=DUE_SOON_DAYS):
            return DeadlineState.DUE_SOON
        return DeadlineState.UPCOMING

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id), "pupil_id": str(self.pupil_id)}
