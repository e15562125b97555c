"""Uploads of pupils from the school's MIS, checked before a person has them imported."""

import uuid

from django.conf import settings
from django.db import models

from .school import School


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    CHECKED = "checked", "Checked: ready to import"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class PupilImport(models.Model):
    """One upload of pupils from the school's MIS: checked first (every bad row with its reasons), imported
    when a person says so. The file's text is cleared once it is imported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupil_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    csv_text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    is_errors_allowed = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Pupil import {self.uploaded_at:%-d %B %Y, %H:%M}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}
