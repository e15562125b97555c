"""The demo school's disclosure log: what a term of downloads looks like. An annual review report kept in
school and the same report sent to the next school's headteacher (a purpose reg 17 of the SEND Regulations 2014
allows), an advice cover sheet, a passport printed by the class teacher, a costed provision map and the
whole-school map, the SEND file, and one subject access export the head made at a parent's request."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ehc.models import AnnualReview, EhcAssessment, EhcPlan, PlanStatus
from provision.models import Passport
from provision.models_maps import Allocation
from pupils.models import DisclosedDocument, Disclosure, DisclosurePurpose, School
from pupils.services import disclosure_record, disclosures_record_many


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def build(*, school: School, users: dict, today: date) -> int:
    """Write the demo's disclosures; returns how many rows the log holds for the school."""
    senco, head, teacher = users["senco"], users["head"], users["teacher"]
    review = AnnualReview.objects.filter(plan__pupil__school=school).select_related("plan__pupil").first()
    if review is not None:
        pupil = review.plan.pupil
        common = {"pupil": pupil, "document": DisclosedDocument.EHC_REVIEW_REPORT, "document_id": review.pk}
        disclosure_record(**common, actor=senco, now=_at(today - timedelta(days=21), 9))
        disclosure_record(
            **common,
            actor=senco,
            now=_at(today - timedelta(days=20), 14),
            recipient="Headteacher, Bulwell Academy (the school named for Year 7)",
            purpose=DisclosurePurpose.NEXT_SETTING,
        )
        disclosure_record(
            pupil=pupil,
            document=DisclosedDocument.PROVISION_MAP,
            actor=head,
            now=_at(today - timedelta(days=12), 11),
        )
        disclosure_record(
            pupil=pupil,
            document=DisclosedDocument.SUBJECT_ACCESS,
            actor=head,
            now=_at(today - timedelta(days=5), 16),
            recipient="The pupil's mother (her written request)",
            purpose=DisclosurePurpose.CONSENT,
        )
    assessment = EhcAssessment.objects.filter(pupil__school=school, advice_received_on__isnull=False).first()
    if assessment is not None:
        disclosure_record(
            pupil=assessment.pupil,
            document=DisclosedDocument.EHC_ADVICE,
            document_id=assessment.pk,
            actor=senco,
            now=_at(today - timedelta(days=9), 10),
        )
    passport = Passport.objects.filter(pupil__school=school, pupil__school_class__teachers=teacher).first()
    if passport is not None:
        disclosure_record(
            pupil=passport.pupil,
            document=DisclosedDocument.PASSPORT,
            document_id=passport.pk,
            actor=teacher,
            now=_at(today - timedelta(days=3), 8),
        )
    on_map = [a.pupil for a in Allocation.objects.filter(pupil__school=school).select_related("pupil")]
    disclosures_record_many(
        pupils=on_map,
        document=DisclosedDocument.SCHOOL_PROVISION_MAP,
        actor=senco,
        now=_at(today - timedelta(days=14), 15),
    )
    plan = EhcPlan.objects.filter(pupil__school=school, status=PlanStatus.ACTIVE).first()
    if plan is not None:
        disclosure_record(
            pupil=plan.pupil,
            document=DisclosedDocument.SEND_FILE,
            actor=senco,
            now=_at(today - timedelta(days=30), 13),
        )
    return Disclosure.objects.filter(pupil__school=school).count()
