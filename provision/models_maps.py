"""The provision map: the catalogue of what the school provides, staff rates, the SEN budget, groups and the
pupils allocated to them, sessions delivered with attendance, and the column presets of LA exports.

Costs are worked out by provision.costs (pure) from the sessions actually delivered; a session keeps the cost
of its staff time at the rate in force on its date, so a new rate never re-prices the past.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from pupils.models import BroadArea, Pupil, School


class Wave(models.IntegerChoices):
    ONE = 1, "Wave 1: quality-first teaching"
    TWO = 2, "Wave 2: targeted small group"
    THREE = 3, "Wave 3: individual or specialist"


class StaffType(models.TextChoices):
    TA2 = "ta2", "Teaching assistant (level 2)"
    TA3 = "ta3", "Teaching assistant (level 3)"
    HLTA = "hlta", "Higher level teaching assistant"
    TEACHER = "teacher", "Teacher"
    EXTERNAL = "external", "External specialist"


class CostCategory(models.TextChoices):
    TA = "ta", "Teaching assistant"
    TEACHER = "teacher", "Additional teacher"
    SUPERVISORY = "supervisory", "Supervisory (lunch and break)"
    EXTERNAL = "external", "External services"
    EQUIPMENT = "equipment", "Equipment and resources"


class Scale(models.TextChoices):
    STANDARDISED = "standardised", "Standardised score"
    READING_AGE = "age_months", "Reading or spelling age (months)"
    RATING = "rating", "Rating from 0 to 10"


SCALE_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    Scale.STANDARDISED: (Decimal("40"), Decimal("160")),
    Scale.READING_AGE: (Decimal("0"), Decimal("240")),
    Scale.RATING: (Decimal("0"), Decimal("10")),
}


def _school_data(school_id) -> dict:
    return {"school_id": str(school_id)}


class Provision(models.Model):
    """A provision the school offers: what it is for, how it runs and what its entry and exit measure is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="provisions")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    broad_area = models.CharField("area of need", max_length=10, choices=BroadArea.choices)
    wave = models.PositiveSmallIntegerField(choices=Wave.choices, default=Wave.TWO)
    intended_outcome = models.TextField("intended outcome")
    evidence_base = models.TextField("evidence base", blank=True)
    measure_name = models.CharField(
        "entry and exit measure", max_length=120, help_text="The assessment used, e.g. 'Salford reading test'."
    )
    measure_scale = models.CharField("scale of the measure", max_length=20, choices=Scale.choices)
    subject = models.ForeignKey(
        "provision.Subject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A progress subject whose termly scores give comparison pupils for the effect size.",
    )
    staff_type = models.CharField("delivered by", max_length=10, choices=StaffType.choices)
    cost_category = models.CharField("category of cost", max_length=12, choices=CostCategory.choices)
    group_size = models.PositiveSmallIntegerField(default=4, validators=[MinValueValidator(1), MaxValueValidator(40)])
    session_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(480)])
    sessions_per_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    weeks = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(39)], help_text="Weeks in one run."
    )
    non_hour_cost = models.DecimalField(
        "non-hour costs per group",
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Licences, equipment, an external service's charge: pounds per group run.",
    )
    funding_source = models.CharField(max_length=60, default="Notional SEN budget (element 2)")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="provision_name_unique_in_school")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return _school_data(self.school_id)


class StaffRate(models.Model):
    """An hourly rate for a staff type from a date, with its on-cost multiplier (set by the head)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_rates")
    staff_type = models.CharField(max_length=10, choices=StaffType.choices)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    on_cost = models.DecimalField(
        "on-cost multiplier",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.30"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))],
        help_text="1.30 adds 30% for employer's national insurance and pension.",
    )
    valid_from = models.DateField("from")

    class Meta:
        ordering = ["staff_type", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["school", "staff_type", "valid_from"], name="one_rate_per_type_and_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_staff_type_display()} from {self.valid_from:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _school_data(self.school_id)


class SenBudget(models.Model):
    """The school's notional SEN budget (element 2) and any high-needs top-up for one financial year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sen_budgets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts, in April.")
    notional_budget = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    top_up_funding = models.DecimalField(
        "high-needs top-up (element 3)", max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-financial_year"]
        constraints = [models.UniqueConstraint(fields=["school", "financial_year"], name="one_budget_per_year")]

    def __str__(self) -> str:
        return f"SEN budget {self.financial_year}-{(self.financial_year + 1) % 100:02d}"

    def get_additional_data(self) -> dict:
        return _school_data(self.school_id)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class Group(models.Model):
    """A running of a provision: who leads it, when it meets, from and to when. 1:1 work is a group of one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=120)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="provision_groups"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    starts_at = models.TimeField("time", null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="group_ends_after_start")]
        indexes = [models.Index(fields=["provision", "starts_on"])]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return _school_data(self.provision.school_id)


class Allocation(models.Model):
    """A pupil's place in a group, from joining to leaving, with their entry and exit scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="allocations")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="allocations")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    support = models.ForeignKey(
        "provision.Support",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocations",
        help_text="The support plan line this place delivers.",
    )
    entry_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    entry_on = models.DateField(null=True, blank=True)
    exit_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    exit_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil", "joined_on"], name="one_allocation_per_join"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="allocation_leaves_after_join"
            ),
            models.CheckConstraint(
                condition=Q(entry_score__isnull=True) | Q(entry_on__isnull=False), name="entry_score_has_date"
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True) | Q(exit_on__isnull=False), name="exit_score_has_date"
            ),
        ]
        indexes = [models.Index(fields=["pupil", "joined_on"])]

    def __str__(self) -> str:
        return f"Place in {self.group}"

    def on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


class SessionStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    WITHDRAWN = "withdrawn", "Withdrawn"  # recorded by mistake: kept, counted nowhere


class Session(models.Model):
    """One session of a group on one day: delivered (its cost at that day's rate) or cancelled with a reason. A
    session recorded by mistake is withdrawn, never deleted: it keeps what was recorded and why it was withdrawn,
    and no cost, attendance or impact figure counts it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    status = models.CharField(max_length=10, choices=SessionStatus.choices)
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(480)])
    cancel_reason = models.CharField(max_length=200, blank=True)
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="Staff cost at the rate on the day."
    )
    present_count = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    withdrawn_status = models.CharField(
        "recorded as", max_length=10, choices=SessionStatus.choices, blank=True, help_text="Before it was withdrawn."
    )
    withdrawn_reason = models.CharField("why it was withdrawn", max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on"],
                condition=~Q(status="withdrawn"),
                name="one_session_per_group_and_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="cancelled_session_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""), name="withdrawn_session_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.group} on {self.held_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return {"group_id": str(self.group_id)}


class Attendance(models.Model):
    """Whether one allocated pupil was present at one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    is_present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "pupil"], name="one_attendance_per_pupil")]
        indexes = [models.Index(fields=["pupil", "session"])]

    def __str__(self) -> str:
        return "present" if self.is_present else "absent"


class ExportPreset(models.Model):
    """The columns of an LA's costed provision map, in its order: data, so a new LA layout needs no code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)
    columns = models.JSONField(help_text="Column keys from provision.exports.COLUMNS, in order.")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class PlaceCost(models.Model):
    """A pupil's delivered staff cost in one group over one academic year: the sum of their shares of the
    sessions they attended (cost / pupils present), kept unrounded. Worked out when sessions are recorded or
    re-costed, so pages read one row per place instead of summing every attendance mark."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="place_costs")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in.")
    share = models.DecimalField(max_digits=20, decimal_places=10, default=Decimal(0))
    attended = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil", "academic_year"], name="one_place_cost_per_year")
        ]
        indexes = [models.Index(fields=["academic_year", "group"])]

    def __str__(self) -> str:
        return f"Cost of a place in {self.academic_year}"
