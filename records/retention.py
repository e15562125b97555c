"""Records past retention and their destruction, logged. A leaver's SEND file is kept until their date of birth
+ 31 years (pupils.retention); after that the head may destroy it with a reason. Destruction deletes the
pupil's records in every area and the audit rows that copy their content, and keeps one `RecordDestruction`
row that says what was destroyed, when, by whom and why, without a name."""

from __future__ import annotations

from datetime import date, datetime

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q

from deadlines.models import Deadline
from ehc.models import (
    AnnualReview,
    Disagreement,
    DraftPlanConsultation,
    EhcAssessment,
    EhcPlan,
    EhcPlanVersion,
    ReassessmentRequest,
)
from provision.models import (
    ParentMeeting,
    Passport,
    ProgressCheckTwo,
    ProgressFlag,
    ProgressScore,
    SupportPlan,
    TermlyMeeting,
)
from pupils import access
from pupils.models import Contact, Pupil, PupilAccessGrant, RegisterEntry, School, SenConcern
from pupils.retention import RETENTION_YEARS, is_past_retention, send_file_retained_until
from pupils.services import audited

from .models import RecordDestruction


def pupils_past_retention(school: School, *, today: date) -> list[Pupil]:
    """The school's leavers whose SEND file's retention has ended (date of birth + 31 years before today)."""
    try:
        cutoff = today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        cutoff = date(today.year - RETENTION_YEARS, 3, 1)
    candidates = Pupil.objects.filter(school=school, left_on__isnull=False, date_of_birth__lte=cutoff)
    return [p for p in candidates.order_by("date_of_birth") if is_past_retention(p.date_of_birth, today=today)]


# Children before parents, so nothing protected is deleted before what points at it.
def _records_of(pupil: Pupil) -> list:
    return [
        Deadline.objects.filter(pupil=pupil),
        AnnualReview.objects.filter(plan__pupil=pupil),
        ReassessmentRequest.objects.filter(pupil=pupil),
        DraftPlanConsultation.objects.filter(pupil=pupil),
        EhcPlanVersion.objects.filter(plan__pupil=pupil),
        EhcPlan.objects.filter(pupil=pupil),
        EhcAssessment.objects.filter(pupil=pupil),
        Disagreement.objects.filter(pupil=pupil),
        TermlyMeeting.objects.filter(pupil=pupil),
        ParentMeeting.objects.filter(pupil=pupil),
        SupportPlan.objects.filter(pupil=pupil),
        Passport.objects.filter(pupil=pupil),
        ProgressCheckTwo.objects.filter(pupil=pupil),
        ProgressFlag.objects.filter(pupil=pupil),
        ProgressScore.objects.filter(pupil=pupil),
        SenConcern.objects.filter(pupil=pupil),
        RegisterEntry.objects.filter(pupil=pupil),
        Contact.objects.filter(pupil=pupil),
    ]


def pupil_records_destroy(
    *, pupil: Pupil, reason: str, today: date, now: datetime, actor: AbstractBaseUser
) -> RecordDestruction:
    """Destroy a leaver's records once their retention has ended, with the reason; the destruction itself is
    logged (RecordDestruction: the pupil's id, initials, year of birth, dates, who, when and why)."""
    errors = {}
    if not pupil.has_left:
        errors["reason"] = "Only a leaver's records can be destroyed."
    elif not is_past_retention(pupil.date_of_birth, today=today):
        kept = send_file_retained_until(pupil.date_of_birth)
        errors["reason"] = f"These records must be kept until {kept:%-d %B %Y}."
    if not reason.strip():
        errors["reason"] = "Say why the records are being destroyed (the retention schedule it follows)."
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        record = RecordDestruction.objects.create(
            school=pupil.school,
            pupil_ref=pupil.pk,
            initials=pupil.initials,
            year_of_birth=pupil.date_of_birth.year,
            left_on=pupil.left_on,
            retained_until=send_file_retained_until(pupil.date_of_birth),
            reason=reason.strip(),
            destroyed_by=actor,
            destroyed_at=now,
        )
        for grant in PupilAccessGrant.objects.filter(pupil=pupil).select_related("user"):
            access.revoke_pupil_access(user=grant.user, pupil=pupil)
            grant.delete()
        for records in _records_of(pupil):
            records.delete()
        pupil_id = str(pupil.pk)
        pupil.delete()
        # The audit trail copied the record's content (names, old and new values): it goes with it.
        LogEntry.objects.filter(Q(object_pk=pupil_id) | Q(additional_data__pupil_id=pupil_id)).delete()
    return record
