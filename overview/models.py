"""The top layer's own records: an EHC plan's section F as structured lines, each linked to the provisions of
the provision map that deliver it. Here, above both areas, because the EHC and provision areas never import each
other; the lines point at both."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class SectionFLine(models.Model):
    """One piece of special educational provision specified in section F: what, how much a week, by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey("ehc.EhcPlan", on_delete=models.CASCADE, related_name="section_f_lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField("provision specified", max_length=300)
    minutes_per_week = models.PositiveSmallIntegerField(
        "minutes a week", validators=[MinValueValidator(1), MaxValueValidator(2400)]
    )
    delivered_by = models.CharField("delivered by", max_length=120)
    provisions = models.ManyToManyField(
        "provision.Provision",
        related_name="+",
        blank=True,
        help_text="The provisions of the school's map that deliver this line.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "position", "created_at"]

    def __str__(self) -> str:
        return self.description

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.plan.pupil.school_id), "pupil_id": str(self.plan.pupil_id)}
