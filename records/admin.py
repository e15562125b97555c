"""Admin of the records layer: the destruction log, read-only."""

from __future__ import annotations

from django.contrib import admin

from send_mis.admin import ReadOnlyAdmin

from .models import RecordDestruction


@admin.register(RecordDestruction)
class RecordDestructionAdmin(ReadOnlyAdmin):
    list_display = ["initials", "year_of_birth", "school", "left_on", "retained_until", "destroyed_at", "destroyed_by"]
    list_filter = ["school"]
    search_fields = ["initials", "reason"]
    date_hierarchy = "destroyed_at"
