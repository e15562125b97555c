"""National comparison figures (entered as data) and the SEN information report's versions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class NationalMeasure(models.TextChoices):
    SEN_SUPPORT = "sen_support", "Pupils on SEN support (% of pupils)"
    EHC_PLAN = "ehc_plan", "Pupils with an EHC plan (% of pupils)"


class NationalFigure(models.Model):
    """A published national percentage (England, all schools) from the DfE's January census, with its year, so
    the governors' report compares like with like. The head enters each year's figures as they are published."""

    census_year = models.PositiveSmallIntegerField(help_text="The year of the January census, e.g. 2025.")
    measure = models.CharField(max_length=20, choices=NationalMeasure.choices)
    percent = models.DecimalField(max_digits=4, decimal_places=1)
    source = models.CharField(max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-census_year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["census_year", "measure"], name="one_national_figure_per_year"),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="national_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}, January {self.census_year}: {self.percent}%"


class InformationReportVersion(models.Model):
    """One saved version of a school's SEN information report for an academic year (SEND Regulations 2014
    reg 51 and Schedule 1; CFA 2014 s.69(3)). Versions are never edited: each save writes a new one, and a
    governor's approval marks one version approved, which is the version the public page shows.

    `sections` is a list of {"key", "facts", "text"}: `facts` is drafted from the school's records when the
    version is saved; `text` is the school's own words, carried over from the previous version for editing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="information_reports")
    academic_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    sections = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-academic_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year", "number"], name="one_report_version_number"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_on__isnull=True)
                | Q(approved_by__isnull=False, approved_on__isnull=False),
                name="report_approval_has_approver_and_date",
            ),
        ]
        indexes = [models.Index(fields=["school", "approved_on"])]

    def __str__(self) -> str:
        return f"SEN information report {self.academic_year} to {self.academic_year + 1}, version {self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}
