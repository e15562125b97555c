"""Pupil passports (one-page profiles) and the progress check at age two."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from pupils.models import Pupil

from .audit import _pupil_data


class Passport(models.Model):
    """One version of a pupil's one-page profile, in plain words; a new version is written, never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="passports")
    version = models.PositiveSmallIntegerField()
    important_to_me = models.TextField("what is important to me")
    like_and_admire = models.TextField("what people like and admire about me")
    how_to_support = models.TextField("how best to support me")
    in_own_words = models.BooleanField("written in the pupil's own words", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pupil", "-version"]
        constraints = [models.UniqueConstraint(fields=["pupil", "version"], name="passport_version_unique")]

    def __str__(self) -> str:
        return f"Pupil passport, version {self.version}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class ProgressCheckTwo(models.Model):
    """The progress check at age two (EYFS statutory framework) for a nursery child."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="progress_checks_two")
    checked_on = models.DateField("date of the check")
    strengths = models.TextField()
    less_than_expected = models.TextField("areas of less than expected progress", blank=True)
    concerns = models.TextField(blank=True)
    planned_response = models.TextField("planned response", blank=True)
    shared_with_parents_on = models.DateField("shared with parents on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = "progress check at age two"

    def __str__(self) -> str:
        return f"Progress check at two, {self.checked_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)
