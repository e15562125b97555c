"""The school's own statutory calendar: records the head keeps (their deadlines live in deadlines)."""

import uuid

from django.conf import settings
from django.db import models

from .school import School


class SencoAwardChoice(models.TextChoices):
    """What the SENCO holds (SEND Regulations 2014 reg 49, as amended by SI 2024/535); values match
    pupils.school_statutory.SencoAward."""

    NONE = "", "None yet"
    NPQ = "npq_senco", "NPQ for SENCOs"
    NASENCO = "nasenco", "NASENCO (National Award for SEN Co-ordination)"


class SencoQualification(models.Model):
    """One SENCO's start in the post and their award: the school's duty is that the SENCO holds a qualifying
    award by the third anniversary of taking up the post (pupils.school_statutory)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="senco_qualifications")
    senco = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    took_up_on = models.DateField("took up the SENCO post on")
    award = models.CharField(max_length=20, choices=SencoAwardChoice.choices, blank=True)
    begun_on = models.DateField("award begun on", null=True, blank=True)
    completed_on = models.DateField("award completed on", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["took_up_on"]
        constraints = [models.UniqueConstraint(fields=["school", "senco"], name="one_qualification_per_senco")]

    def __str__(self) -> str:
        return f"SENCO qualification (took up the post {self.took_up_on:%d %b %Y})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class AccessibilityPlan(models.Model):
    """The school's accessibility plan for a 3-year period (Equality Act 2010 Sch 10 para 3): its date, who
    holds it and where it is published. Each new plan is a new row; the latest one sets the next due date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="accessibility_plans")
    plan_on = models.DateField("date of the plan")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="who holds it",
    )
    published_at = models.CharField(
        "where it is published", max_length=300, help_text="A web address or where a copy can be read."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-plan_on"]
        constraints = [models.UniqueConstraint(fields=["school", "plan_on"], name="one_accessibility_plan_per_day")]

    def __str__(self) -> str:
        return f"Accessibility plan of {self.plan_on:%d %b %Y}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}
