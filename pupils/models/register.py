"""The SEND register: the broad areas and census types of need, register entries and SEN concerns."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .pupil import Pupil
from .school import School


class BroadArea(models.TextChoices):
    """The four broad areas of need (CoP 6.28 to 6.35), plus 'other' for OTH and NSA."""

    COMMUNICATION = "ci", "Communication and interaction"
    COGNITION = "cl", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sp", "Sensory and/or physical"
    OTHER = "other", "Other"


class NeedType(models.Model):
    """A census type-of-need code (DfE school census), held as data so one edit can change it."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100)
    broad_area = models.CharField(max_length=10, choices=BroadArea.choices)
    sen_support_only = models.BooleanField(default=False, help_text="Valid only with SEN support (NSA).")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegisterStatus(models.TextChoices):
    """Census SEN provision codes, plus the school's own 'monitoring' status (not reported to the census)."""

    MONITORING = "M", "Monitoring"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"


class RegisterEntry(models.Model):
    """One period on the SEND register. Entries are ended, never overwritten, so history stays true."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="register_entries")
    # The pupil's school, copied onto the entry so that a school's register is read from its own index, not by
    # scanning every pupil of the school to find whose entries they are (a 20,000-pupil school's dashboard reads
    # its ten latest entries, not 3,600). Set when the entry is made (school=pupil.school); a pupil's school never
    # changes, and in PostgreSQL the pair (pupil, school) is a foreign key to the pupil's own pair (migration
    # 0014), so the copy cannot disagree with it.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=1, choices=RegisterStatus.choices)
    primary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="primary need"
    )
    secondary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="secondary need"
    )
    started_on = models.DateField()
    start_reason = models.TextField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "register entries"
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ended_on__isnull=True), name="one_open_register_entry_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="register_entry_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="M") | Q(primary_need__isnull=False),
                name="register_entry_sen_needs_primary_need",
            ),
            models.CheckConstraint(
                condition=Q(secondary_need__isnull=True) | Q(primary_need__isnull=False),
                name="register_entry_secondary_needs_primary",
            ),
            models.CheckConstraint(
                condition=Q(secondary_need__isnull=True) | ~Q(secondary_need=models.F("primary_need")),
                name="register_entry_needs_differ",
            ),
            models.CheckConstraint(
                condition=Q(status="K")
                | (~Q(primary_need="NSA") & ~Q(secondary_need="NSA"))
                | (Q(primary_need__isnull=True) & Q(secondary_need__isnull=True)),
                name="register_entry_nsa_only_with_sen_support",
            ),
        ]
        indexes = [
            models.Index(fields=["pupil", "ended_on"]),
            # The latest changes to a school's register (the dashboard), newest first.
            models.Index(fields=["school", "-created_at", "-started_on"], name="register_school_latest"),
            # A school's open SEN support entries, oldest first (parents not yet told).
            models.Index(
                fields=["school", "started_on", "id"],
                condition=Q(ended_on__isnull=True, status="K"),
                name="register_sen_support_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.started_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Awaiting SENCO"
    MONITORING = "monitoring", "Added to register: monitoring"
    SEN_SUPPORT = "sen_support", "Added to register: SEN support"
    CLOSED = "closed", "Closed"


class SenConcern(models.Model):
    """A member of staff's concern that a pupil may have SEN; the SENCO triages it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="sen_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    broad_area = models.CharField(max_length=10, choices=BroadArea.choices, blank=True)
    description = models.TextField("what you have noticed")
    actions_taken = models.TextField("what you have tried so far", blank=True)
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    outcome_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    register_entry = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "raised_at"])]

    def __str__(self) -> str:
        return f"SEN concern raised {self.raised_at:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}
