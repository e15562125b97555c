"""The records layer's own table: the log of records destroyed after their retention ended."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class RecordDestruction(models.Model):
    """One pupil's records destroyed: what, when, by whom and why, without the pupil's name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="+")
    pupil_ref = models.UUIDField(help_text="The destroyed pupil record's id.")
    initials = models.CharField(max_length=4)
    year_of_birth = models.PositiveSmallIntegerField()
    left_on = models.DateField()
    retained_until = models.DateField()
    reason = models.TextField()
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField()

    class Meta:
        ordering = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"Records of {self.initials} destroyed {self.destroyed_at:%-d %B %Y}"
