"""Pupils, the queryset of those on roll, and their contacts."""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q

from .school import School, SchoolClass, YearGroup


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


def on_roll_q(on: date, via: str = "") -> Q:
    """On roll on a day, as a condition on a pupil reached through `via` (e.g. "pupil__"): for a query over a
    pupil's rows that joins the pupil anyway, so the pupils are read once, not again in an `IN` subquery."""
    return (Q(**{f"{via}left_on__isnull": True}) | Q(**{f"{via}left_on__gt": on})) & Q(**{f"{via}admitted_on__lte": on})


class PupilQuerySet(models.QuerySet):
    def on_roll(self, on: date) -> "PupilQuerySet":
        return self.filter(on_roll_q(on))


# A manager built from the queryset, so `Pupil.objects.filter(...).on_roll(day)` is typed end to end.
PupilManager = models.Manager.from_queryset(PupilQuerySet)


class Pupil(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, unique=True)
    legal_forename = models.CharField(max_length=100)
    legal_surname = models.CharField(max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    preferred_surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.IntegerField(choices=YearGroup.choices)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", verbose_name="class"
    )
    is_eal = models.BooleanField("EAL", default=False)
    first_language = models.CharField(max_length=60, blank=True, default="English")
    is_looked_after = models.BooleanField("looked after (LAC)", default=False)
    is_pupil_premium = models.BooleanField("pupil premium", default=False)
    admitted_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    destination_school = models.CharField("school the pupil moved to", max_length=200, blank=True)
    destination_urn = models.CharField("URN of the school the pupil moved to", max_length=6, blank=True)

    objects = PupilManager()

    class Meta:
        ordering = ["legal_surname", "legal_forename"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("admitted_on")),
                name="pupil_left_after_admitted",
            ),
            # What a row copying the pupil's school refers to (a register entry's pupil and school together).
            models.UniqueConstraint(fields=["id", "school"], name="pupil_with_school"),
        ]
        indexes = [
            models.Index(fields=["school", "legal_surname", "legal_forename"]),
            # By year group then name, as the pupil list sorted by year and the dashboard's pupils without a
            # plan read them: a first page stops after its rows instead of sorting a whole year group.
            models.Index(fields=["school", "year_group", "legal_surname", "legal_forename"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def forename(self) -> str:
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def display_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def initials(self) -> str:
        return f"{self.forename[:1]}{self.surname[:1]}".upper()

    @property
    def has_left(self) -> bool:
        """Leaving has been recorded: the record is read-only from then on (it goes with the pupil)."""
        return self.left_on is not None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    has_parental_responsibility = models.BooleanField(default=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}
