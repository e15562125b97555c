"""Who has a pupil's record: the SENCO's grants of access, and the log of documents downloaded or sent out."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .pupil import Pupil


class PupilAccessGrant(models.Model):
    """The SENCO's explicit grant of one pupil's record to a named member of staff (held in guardian too)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pupil_grants")
    reason = models.CharField(max_length=200)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "user"], condition=Q(revoked_at__isnull=True), name="one_live_grant_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Access for {self.user} ({self.reason})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


class DisclosedDocument(models.TextChoices):
    """The documents whose every download is logged (policy section 17)."""

    EHC_PLAN = "ehc_plan", "EHC plan"
    EHC_REVIEW_REPORT = "ehc_review_report", "EHC annual review report"
    EHC_REVIEW_INVITATION = "ehc_review_invitation", "EHC annual review invitation"
    EHC_ADVICE = "ehc_advice", "EHC needs assessment advice"
    PASSPORT = "passport", "Pupil passport"
    PROVISION_MAP = "provision_map", "Provision map"
    SCHOOL_PROVISION_MAP = "school_provision_map", "Whole-school provision map"
    SEND_FILE = "send_file", "SEND file"
    CTF = "ctf", "Common transfer file"
    SUBJECT_ACCESS = "subject_access", "Subject access export"


class DisclosurePurpose(models.TextChoices):
    """Why a document left the school: the consent of the child's parent or the young person, or one of the
    purposes for which reg 17(1) of the Special Educational Needs and Disability Regulations 2014 (SI 2014/1530,
    "Restriction on disclosure of EHC plans") allows an EHC plan to be disclosed without it; the school's policy
    section 17 repeats the list."""

    CONSENT = "consent", "With the consent of the parent or the young person"
    INTERESTS = "interests", "To someone the LA considers should have it in the child's interests (reg 17(1)(a))"
    TRIBUNAL = "tribunal", "SEND Tribunal appeal, or the Secretary of State (Education Act 1996)"
    RESEARCH = "research", "Educational research the LA approves, published only without identifying anyone"
    COURT = "court", "Order of a court for criminal proceedings"
    MALADMINISTRATION = "maladministration", "Investigation of maladministration (Local Government Act 1974)"
    WELFARE = "welfare", "Duties under the Disabled Persons Act 1986 or the Children Act 1989 (welfare, safeguarding)"
    OFSTED = "ofsted", "Ofsted inspection of the school or the local authority"
    DSA = "dsa", "Application for disabled students' allowance before higher education"
    NEXT_SETTING = "next_setting", "Headteacher of the setting the pupil is to start next"


class Disclosure(models.Model):
    """One download of a pupil's document (who, what, when), or one document sent outside the school, with the
    recipient and the purpose. A row with no recipient stayed within the school."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="disclosures")
    document = models.CharField(max_length=30, choices=DisclosedDocument.choices)
    document_id = models.UUIDField(null=True, blank=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    recipient = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=30, choices=DisclosurePurpose.choices, blank=True)

    class Meta:
        ordering = ["-disclosed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient="") & Q(purpose="")) | (~Q(recipient="") & ~Q(purpose="")),
                name="disclosure_outside_needs_recipient_and_purpose",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "disclosed_at"])]

    def __str__(self) -> str:
        return (
            f"{self.get_document_display()} {'sent' if self.recipient else 'downloaded'} {self.disclosed_at:%-d %B %Y}"
        )

    @property
    def left_the_school(self) -> bool:
        return bool(self.recipient)

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}
