"""Schools with their terms, staff roles and classes, and the phases and year groups they use."""

import itertools
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from send_mis import statements


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    HEAD = "head", "Headteacher"
    GOVERNOR = "governor", "Governor"
    DSL = "dsl", "DSL"
    # Sees and works every safeguarding file of the school, like the DSL; nothing more anywhere else.
    DEPUTY_DSL = "deputy_dsl", "Deputy DSL"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    PRIMARY_NURSERY = "primary_nursery", "Primary and nursery"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"


class YearGroup(models.IntegerChoices):
    NURSERY_1 = -2, "Nursery 1"
    NURSERY_2 = -1, "Nursery 2"
    RECEPTION = 0, "Reception"
    YEAR_1 = 1, "Year 1"
    YEAR_2 = 2, "Year 2"
    YEAR_3 = 3, "Year 3"
    YEAR_4 = 4, "Year 4"
    YEAR_5 = 5, "Year 5"
    YEAR_6 = 6, "Year 6"
    YEAR_7 = 7, "Year 7"
    YEAR_8 = 8, "Year 8"
    YEAR_9 = 9, "Year 9"
    YEAR_10 = 10, "Year 10"
    YEAR_11 = 11, "Year 11"
    YEAR_12 = 12, "Year 12"
    YEAR_13 = 13, "Year 13"


# The year groups whose pupils move to another phase next September (reg 2(1) SEND Regulations 2014: early
# years to school, infant to junior, primary to middle, primary or middle to secondary, secondary to post-16),
# by the school's phase, until the school says otherwise (School.transfer_year_groups). An all-through school
# has no transfer at Year 6; a special school may take pupils from 2 to 19, so it keeps both and can drop one.
DEFAULT_TRANSFER_YEAR_GROUPS: dict[str, frozenset[int]] = {
    Phase.NURSERY: frozenset({YearGroup.NURSERY_2}),
    Phase.PRIMARY: frozenset({YearGroup.YEAR_6}),
    Phase.PRIMARY_NURSERY: frozenset({YearGroup.YEAR_6}),
    Phase.SECONDARY: frozenset({YearGroup.YEAR_11}),
    Phase.ALL_THROUGH: frozenset({YearGroup.YEAR_11}),
    Phase.SPECIAL: frozenset({YearGroup.YEAR_6, YearGroup.YEAR_11}),
}


def _school_logo_path(school: "School", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"schools/{school.pk}/logo.{suffix}"


class School(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, unique=True)
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("LA name", max_length=100)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    # Security settings the head chooses. SENCO, head and DSL always use a second factor; this extends it to all.
    requires_two_factor_for_all = models.BooleanField("require a second factor of every member of staff", default=False)
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "sign out after this many minutes without activity",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )
    # A list of year-group numbers; JSON rather than a PostgreSQL array, so the embedded (SQLite) mode works too.
    transfer_year_groups = models.JSONField(
        null=True,
        blank=True,
        verbose_name="year groups that move to another phase next September",
        help_text="The one setting of the school's phase transfers (reg 2(1), reg 18), set in the school's "
        "details: for example Nursery 2 into Reception, Year 2 in an infant school, Year 6 in a primary, Year 11 "
        "without a sixth form. None: the usual ones for the school's phase; an empty list: no transfer at all.",
    )
    transition_review_by_month = models.PositiveSmallIntegerField(
        "hold transition reviews by (month)",
        default=11,
        validators=[MinValueValidator(9), MaxValueValidator(12)],
        help_text="Autumn term of the transfer year, early enough for the LA's 4 weeks and the 15-day consultation.",
    )
    transition_review_by_day = models.PositiveSmallIntegerField(
        "hold transition reviews by (day)", default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    parents_told_school_days = models.PositiveSmallIntegerField(
        "tell parents about SEN support within (school days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="No period in law (CFA s.68; CoP 6.48): the school's own. Counted in school days.",
    )
    information_report_first_due_on = models.DateField(
        "publish the first SEN information report by",
        null=True,
        blank=True,
        help_text="Until a report is published in send-mis: then each publication sets the next date (+ 12 months).",
    )
    year_groups = models.JSONField(default=list, blank=True, help_text="YearGroup values the school teaches.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    logo = models.ImageField(upload_to=_school_logo_path, blank=True)
    head_name = models.CharField("headteacher's name", max_length=200, blank=True)
    senco_name = models.CharField("SENCO's name", max_length=200, blank=True)
    set_up_at = models.DateTimeField(null=True, blank=True, help_text="When the first set-up was finished.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pk)}

    def phase_transfer_year_groups(self) -> frozenset[int]:
        """The year groups whose pupils change phase next September: the school's setting, else its phase's."""
        if self.transfer_year_groups is not None:
            return frozenset(self.transfer_year_groups)
        return DEFAULT_TRANSFER_YEAR_GROUPS.get(self.phase, frozenset())

    def closures(self) -> list[tuple[date, date]]:
        """Closures between consecutive terms as (first closed day, reopening day) pairs."""
        terms = statements.rows(self.terms.order_by("starts_on"), key=("pupils.terms", self.pk))
        return [
            (earlier.ends_on + timedelta(days=1), later.starts_on)
            for earlier, later in itertools.pairwise(terms)
            if later.starts_on > earlier.ends_on + timedelta(days=1)
        ]


class Term(models.Model):
    """A term (or half term) the school is open; the gaps between terms are closures."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=50)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="term_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class Membership(models.Model):
    """One role a user holds in one school; a person may hold several roles and work in several schools."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class SchoolClass(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=50)
    year_group = models.IntegerField(choices=YearGroup.choices)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught", blank=True)

    class Meta:
        verbose_name = "class"
        verbose_name_plural = "classes"
        ordering = ["year_group", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="class_name_unique_in_school")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}
