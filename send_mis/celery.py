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
        "task": "deadlines.tasks.deadline_reminder_sweep_task",
        "schedule": crontab(minute="*/15"),
    },
    # One digest email per person each morning at 07:00 Europe/London (crontab runs in the app's timezone,
    # CELERY_TIMEZONE = TIME_ZONE, so it stays 07:00 across the clock changes), listing their deadlines.
    "daily-deadline-digest": {
        "task": "deadlines.tasks.daily_digest_sweep_task",
        "schedule": crontab(hour=7, minute=0, app=app),
    },
    # Each school day at 06:00, open this term's parent-meeting deadline for every pupil on SEN support
    # (one meeting a term, due the last day of term; repeating it changes nothing).
    "termly-parent-meetings": {
        "task": "provision.tasks.parent_meetings_sweep_task",
        "schedule": crontab(hour=6, minute=0),
    },
    # Each night at 01:00, take back the permission of safeguarding shares whose end date has passed (access
    # already ends on the date; this keeps guardian's table in step).
    "safeguarding-shares-expire": {
        "task": "safeguarding.tasks.shares_expire_task",
        "schedule": crontab(hour=1, minute=0),
    },
}
