"""Meetings with the parents of pupils on SEN support, and the termly meetings owed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from pupils.models import Pupil

from .audit import _pupil_data
from .progress import Season


class ParentMeeting(models.Model):
    """A meeting with parents of a pupil on SEN support: at least one a term (CoP 6.65; policy s.10)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="parent_meetings")
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("who attended")
    outcomes = models.TextField("outcomes")
    actions_agreed = models.TextField("actions agreed", blank=True)
    shared_with_parents_on = models.DateField("shared with parents on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["pupil", "held_on"])]

    def __str__(self) -> str:
        return f"Parent meeting on {self.held_on:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)


class TermlyMeeting(models.Model):
    """The termly parent meeting owed for one pupil on SEN support: the source of its deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="termly_meetings")
    academic_year = models.PositiveSmallIntegerField()
    season = models.CharField(max_length=10, choices=Season.choices)
    due_on = models.DateField()
    meeting = models.ForeignKey(ParentMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "academic_year", "season"], name="one_termly_meeting_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} term meeting {self.academic_year}"

    def get_additional_data(self) -> dict:
        return _pupil_data(self.pupil)
