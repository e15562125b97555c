"""Schools, staff roles, classes, pupils, their contacts, the SEND register and SEN concerns."""

import itertools
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    HEAD = "head", "Headteacher"
    GOVERNOR = "governor", "Governor"
    DSL = "dsl", "DSL"
    # Sees and works every safeguarding file of the school, like the DSL; nothing more anywhere else.
    DEPUTY_DSL = "deputy_dsl", "Deputy DSL"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    PRIMARY_NURSERY = "primary_nursery", "Primary and nursery"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"


class YearGroup(models.IntegerChoices):
    NURSERY_1 = -2, "Nursery 1"
    NURSERY_2 = -1, "Nursery 2"
    RECEPTION = 0, "Reception"
    YEAR_1 = 1, "Year 1"
    YEAR_2 = 2, "Year 2"
    YEAR_3 = 3, "Year 3"
    YEAR_4 = 4, "Year 4"
    YEAR_5 = 5, "Year 5"
    YEAR_6 = 6, "Year 6"
    YEAR_7 = 7, "Year 7"
    YEAR_8 = 8, "Year 8"
    YEAR_9 = 9, "Year 9"
    YEAR_10 = 10, "Year 10"
    YEAR_11 = 11, "Year 11"
    YEAR_12 = 12, "Year 12"
    YEAR_13 = 13, "Year 13"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class BroadArea(models.TextChoices):
    """The four broad areas of need (CoP 6.28 to 6.35), plus 'other' for OTH and NSA."""

    COMMUNICATION = "ci", "Communication and interaction"
    COGNITION = "cl", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sp", "Sensory and/or physical"
    OTHER = "other", "Other"


# The year groups whose pupils move to another phase next September (reg 2(1) SEND Regulations 2014: early
# years to school, infant to junior, primary to middle, primary or middle to secondary, secondary to post-16),
# by the school's phase, until the school says otherwise (School.transfer_year_groups). An all-through school
# has no transfer at Year 6; a special school may take pupils from 2 to 19, so it keeps both and can drop one.
DEFAULT_TRANSFER_YEAR_GROUPS: dict[str, frozenset[int]] = {
    Phase.NURSERY: frozenset({YearGroup.NURSERY_2}),
    Phase.PRIMARY: frozenset({YearGroup.YEAR_6}),
    Phase.PRIMARY_NURSERY: frozenset({YearGroup.YEAR_6}),
    Phase.SECONDARY: frozenset({YearGroup.YEAR_11}),
    Phase.ALL_THROUGH: frozenset({YearGroup.YEAR_11}),
    Phase.SPECIAL: frozenset({YearGroup.YEAR_6, YearGroup.YEAR_11}),
}


def _school_logo_path(school: "School", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"schools/{school.pk}/logo.{suffix}"


class School(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, unique=True)
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("LA name", max_length=100)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    # Security settings the head chooses. SENCO, head and DSL always use a second factor; this extends it to all.
    requires_two_factor_for_all = models.BooleanField("require a second factor of every member of staff", default=False)
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "sign out after this many minutes without activity",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )
    # A list of year-group numbers; JSON rather than a PostgreSQL array, so the embedded (SQLite) mode works too.
    transfer_year_groups = models.JSONField(
        null=True,
        blank=True,
        verbose_name="year groups that move to another phase next September",
        help_text="The one setting of the school's phase transfers (reg 2(1), reg 18), set in the school's "
        "details: for example Nursery 2 into Reception, Year 2 in an infant school, Year 6 in a primary, Year 11 "
        "without a sixth form. None: the usual ones for the school's phase; an empty list: no transfer at all.",
    )
    transition_review_by_month = models.PositiveSmallIntegerField(
        "hold transition reviews by (month)",
        default=11,
        validators=[MinValueValidator(9), MaxValueValidator(12)],
        help_text="Autumn term of the transfer year, early enough for the LA's 4 weeks and the 15-day consultation.",
    )
    transition_review_by_day = models.PositiveSmallIntegerField(
        "hold transition reviews by (day)", default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    parents_told_school_days = models.PositiveSmallIntegerField(
        "tell parents about SEN support within (school days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="No period in law (CFA s.68; CoP 6.48): the school's own. Counted in school days.",
    )
    information_report_first_due_on = models.DateField(
        "publish the first SEN information report by",
        null=True,
        blank=True,
        help_text="Until a report is published in send-mis: then each publication sets the next date (+ 12 months).",
    )
    year_groups = models.JSONField(default=list, blank=True, help_text="YearGroup values the school teaches.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    logo = models.ImageField(upload_to=_school_logo_path, blank=True)
    head_name = models.CharField("headteacher's name", max_length=200, blank=True)
    senco_name = models.CharField("SENCO's name", max_length=200, blank=True)
    set_up_at = models.DateTimeField(null=True, blank=True, help_text="When the first set-up was finished.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pk)}

    def phase_transfer_year_groups(self) -> frozenset[int]:
        """The year groups whose pupils change phase next September: the school's setting, else its phase's."""
        if self.transfer_year_groups is not None:
            return frozenset(self.transfer_year_groups)
        return DEFAULT_TRANSFER_YEAR_GROUPS.get(self.phase, frozenset())

    def closures(self) -> list[tuple[date, date]]:
        """Closures between consecutive terms as (first closed day, reopening day) pairs."""
        terms = list(self.terms.order_by("starts_on"))
        return [
            (earlier.ends_on + timedelta(days=1), later.starts_on)
            for earlier, later in itertools.pairwise(terms)
            if later.starts_on > earlier.ends_on + timedelta(days=1)
        ]


class Term(models.Model):
    """A term (or half term) the school is open; the gaps between terms are closures."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=50)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="term_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class Membership(models.Model):
    """One role a user holds in one school; a person may hold several roles and work in several schools."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class SchoolClass(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=50)
    year_group = models.IntegerField(choices=YearGroup.choices)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught", blank=True)

    class Meta:
        verbose_name = "class"
        verbose_name_plural = "classes"
        ordering = ["year_group", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="class_name_unique_in_school")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class PupilQuerySet(models.QuerySet):
    def on_roll(self, on: date) -> "PupilQuerySet":
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), admitted_on__lte=on)


# A manager built from the queryset, so `Pupil.objects.filter(...).on_roll(day)` is typed end to end.
PupilManager = models.Manager.from_queryset(PupilQuerySet)


class Pupil(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, unique=True)
    legal_forename = models.CharField(max_length=100)
    legal_surname = models.CharField(max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    preferred_surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.IntegerField(choices=YearGroup.choices)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", verbose_name="class"
    )
    is_eal = models.BooleanField("EAL", default=False)
    first_language = models.CharField(max_length=60, blank=True, default="English")
    is_looked_after = models.BooleanField("looked after (LAC)", default=False)
    is_pupil_premium = models.BooleanField("pupil premium", default=False)
    admitted_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    destination_school = models.CharField("school the pupil moved to", max_length=200, blank=True)
    destination_urn = models.CharField("URN of the school the pupil moved to", max_length=6, blank=True)

    objects = PupilManager()

    class Meta:
        ordering = ["legal_surname", "legal_forename"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("admitted_on")),
                name="pupil_left_after_admitted",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "legal_surname", "legal_forename"]),
            models.Index(fields=["school", "year_group"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def forename(self) -> str:
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def display_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def initials(self) -> str:
        return f"{self.forename[:1]}{self.surname[:1]}".upper()

    @property
    def has_left(self) -> bool:
        """Leaving has been recorded: the record is read-only from then on (it goes with the pupil)."""
        return self.left_on is not None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    has_parental_responsibility = models.BooleanField(default=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


class NeedType(models.Model):
    """A census type-of-need code (DfE school census), held as data so one edit can change it."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100)
    broad_area = models.CharField(max_length=10, choices=BroadArea.choices)
    sen_support_only = models.BooleanField(default=False, help_text="Valid only with SEN support (NSA).")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegisterStatus(models.TextChoices):
    """Census SEN provision codes, plus the school's own 'monitoring' status (not reported to the census)."""

    MONITORING = "M", "Monitoring"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"


class RegisterEntry(models.Model):
    """One period on the SEND register. Entries are ended, never overwritten, so history stays true."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="register_entries")
    status = models.CharField(max_length=1, choices=RegisterStatus.choices)
    primary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="primary need"
    )
    secondary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="secondary need"
    )
    started_on = models.DateField()
    start_reason = models.TextField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "register entries"
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ended_on__isnull=True), name="one_open_register_entry_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="register_entry_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="M") | Q(primary_need__isnull=False),
                name="register_entry_sen_needs_primary_need",
            ),
            models.CheckConstraint(
                condition=Q(secondary_need__isnull=True) | Q(primary_need__isnull=False),
                name="register_entry_secondary_needs_primary",
            ),
            models.CheckConstraint(
                condition=Q(secondary_need__isnull=True) | ~Q(secondary_need=models.F("primary_need")),
                name="register_entry_needs_differ",
            ),
            models.CheckConstraint(
                condition=Q(status="K")
                | (~Q(primary_need="NSA") & ~Q(secondary_need="NSA"))
                | (Q(primary_need__isnull=True) & Q(secondary_need__isnull=True)),
                name="register_entry_nsa_only_with_sen_support",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.started_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Awaiting SENCO"
    MONITORING = "monitoring", "Added to register: monitoring"
    SEN_SUPPORT = "sen_support", "Added to register: SEN support"
    CLOSED = "closed", "Closed"


class SenConcern(models.Model):
    """A member of staff's concern that a pupil may have SEN; the SENCO triages it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="sen_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    broad_area = models.CharField(max_length=10, choices=BroadArea.choices, blank=True)
    description = models.TextField("what you have noticed")
    actions_taken = models.TextField("what you have tried so far", blank=True)
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    outcome_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    register_entry = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "raised_at"])]

    def __str__(self) -> str:
        return f"SEN concern raised {self.raised_at:%-d %B %Y}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.pupil.school_id), "pupil_id": str(self.pupil_id)}


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


# --- The school's own statutory calendar: records the head keeps (their deadlines live in deadlines) ----------


class SencoAwardChoice(models.TextChoices):
    """What the SENCO holds (SEND Regulations 2014 reg 49, as amended by SI 2024/535); values match
    pupils.school_statutory.SencoAward."""

    NONE = "", "None yet"
    NPQ = "npq_senco", "NPQ for SENCOs"
    NASENCO = "nasenco", "NASENCO (National Award for SEN Co-ordination)"


class SencoQualification(models.Model):
    """One SENCO's start in the post and their award: the school's duty is that the SENCO holds a qualifying
    award by the third anniversary of taking up the post (pupils.school_statutory)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="senco_qualifications")
    senco = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    took_up_on = models.DateField("took up the SENCO post on")
    award = models.CharField(max_length=20, choices=SencoAwardChoice.choices, blank=True)
    begun_on = models.DateField("award begun on", null=True, blank=True)
    completed_on = models.DateField("award completed on", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["took_up_on"]
        constraints = [models.UniqueConstraint(fields=["school", "senco"], name="one_qualification_per_senco")]

    def __str__(self) -> str:
        return f"SENCO qualification (took up the post {self.took_up_on:%d %b %Y})"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}


class AccessibilityPlan(models.Model):
    """The school's accessibility plan for a 3-year period (Equality Act 2010 Sch 10 para 3): its date, who
    holds it and where it is published. Each new plan is a new row; the latest one sets the next due date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="accessibility_plans")
    plan_on = models.DateField("date of the plan")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="who holds it",
    )
    published_at = models.CharField(
        "where it is published", max_length=300, help_text="A web address or where a copy can be read."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-plan_on"]
        constraints = [models.UniqueConstraint(fields=["school", "plan_on"], name="one_accessibility_plan_per_day")]

    def __str__(self) -> str:
        return f"Accessibility plan of {self.plan_on:%d %b %Y}"

    def get_additional_data(self) -> dict:
        return {"school_id": str(self.school_id)}
