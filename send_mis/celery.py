"""The Celery application. Every periodic schedule of send-mis is declared here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")

app = Celery("send_mis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Look at every open deadline and record the reminders that have come due (14, 7 and 2 days before,
    # on the day, each day overdue) and escalations to the head after 3 days overdue.
    "deadline-reminder-sweep": {
        "task": "ehc.tasks.deadline_reminder_sweep_task",
        "schedule": crontab(minute="*/15"),
    },
    # One digest email per person each morning, listing their deadlines.
    "daily-deadline-digest": {
        "task": "ehc.tasks.daily_digest_sweep_task",
        "schedule": crontab(hour=7, minute=0),
    },
}
