"""Admin of deadlines and their reminders: read-only, since a deadline opens, moves and closes only through
deadlines.services with its source record (the admin would put the two out of step)."""

from __future__ import annotations

from django.contrib import admin

from send_mis.admin import ReadOnlyAdmin

from .models import CalendarFeedToken, Deadline, DigestSent, Reminder


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "party", "status", "due_on", "met_on", "school", "responsible"]
    list_filter = ["status", "party", "kind", "school"]
    search_fields = ["title", "kind", "pupil__upn", "responsible__username"]
    list_select_related = ["school", "responsible"]
    date_hierarchy = "due_on"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "kind", "for_date", "recipient", "sent_at", "cancelled_at", "attempts"]
    list_filter = ["kind", "for_date"]
    search_fields = ["recipient__username", "recipient__email"]
    list_select_related = ["deadline", "recipient"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["user", "for_date", "sent_at", "cancelled_at", "attempts"]
    list_filter = ["for_date"]
    search_fields = ["user__username", "user__email"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    search_fields = ["user__username"]
    exclude = ["token"]  # the token is the feed's password
