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
from django.utils import timezone

from .kinds import Party
from .rules import ReminderKind

__all__ = [
    "DUE_SOON_DAYS",
    "CalendarFeedToken",
    "Deadline",
    "DeadlineState",
    "DeadlineStatus",
    "DigestSent",
    "Party",
    "Reminder",
]

DUE_SOON_DAYS = 14


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
    # None for the school's own duties (the SEN information report, the accessibility plan, the SENCO's
    # qualification): a school-level deadline belongs to the school alone.
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines")
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
        return f"{self.title} (due {self.due_on:%-d %B %Y})"

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

    @property
    def is_school_level(self) -> bool:
        """A duty of the school itself, with no pupil."""
        return self.pupil_id is None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id), "pupil_id": str(self.pupil_id) if self.pupil_id else None}


# Reminders, digests and calendar feeds. A reminder or digest is a unique row claimed before it is
# sent, so a retried task, a second worker or two beat processes never send the same email twice.


class Reminder(models.Model):
    """One reminder email: a unique row per (deadline, kind, for_date, recipient).

    Recorded by the sweep (deadlines.services.reminders_record), then claimed by a conditional update before
    it is sent: `claimed_at` marks a send in progress (a lease: deadlines.services.CLAIM_LEASE), `sent_at` a
    send done, `cancelled_at` a reminder dropped because the deadline closed or the recipient has no email
    address.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (deadline, kind, for_date, recipient) below leads with it, and every row the
    # sweep inserts would otherwise update one more index.
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    for_date = models.DateField(help_text="The day this reminder is for (the day overdue, or the nominal day).")
    # No index either: nothing looks reminders up by recipient but the rare deletion of a user.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # Set by the sweep from the time it was given (not auto_now_add), so its own clock judges what is lost.
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "for_date", "recipient"], name="one_reminder_per_kind_day_recipient"
            ),
        ]
        indexes = [
            # The sweep re-queues reminders whose task was lost (recorded, never claimed).
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, claimed_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_unsent_idx",
            ),
            # ... and releases claims held past their lease (a worker died mid-send).
            models.Index(
                fields=["claimed_at"],
                condition=Q(sent_at__isnull=True, claimed_at__isnull=False, cancelled_at__isnull=True),
                name="reminder_claimed_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.for_date:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        deadline = self.deadline
        return {
            "school_id": str(deadline.school_id),
            "pupil_id": str(deadline.pupil_id) if deadline.pupil_id else None,
        }


class DigestSent(models.Model):
    """The daily digest for one person on one day: created, then claimed before sending, exactly once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    for_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "digest sent"
        verbose_name_plural = "digests sent"
        ordering = ["-for_date"]
        constraints = [models.UniqueConstraint(fields=["user", "for_date"], name="one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"Digest for {self.for_date:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return {"school_id": None, "pupil_id": None, "user_id": self.user_id}


class CalendarFeedToken(models.Model):
    """A private, revocable iCalendar feed of one person's deadlines: the random token is the credential.

    Regenerating revokes the live token and issues a new one; revoked rows are kept so the change is audited.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_token_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed issued {self.created_at:%-d %B %Y}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    def get_additional_data(self) -> dict:
        return {"school_id": None, "pupil_id": None, "user_id": self.user_id}
