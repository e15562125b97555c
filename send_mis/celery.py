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
    # Each day at 05:30, open the phase-transfer deadline (reg 18) for every pupil with an EHC plan in one of
    # the school's transfer year groups: the first run of an academic year opens the year's transfers, later
    # runs find pupils who joined or plans recorded since (repeating it changes nothing).
    "phase-transfers": {
        "task": "ehc.tasks.phase_transfers_sweep_task",
        "schedule": crontab(hour=5, minute=30),
    },
    # Each day at 05:45, open the school's own duties: telling parents that SEN provision is being made, for
    # every pupil on SEN support, and the school-level ones (the SENCO's qualification, the accessibility plan,
    # the first SEN information report) from the head's records (repeating it changes nothing).
    "school-duties": {
        "task": "deadlines.tasks.school_duties_sweep_task",
        "schedule": crontab(hour=5, minute=45),
    },
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
