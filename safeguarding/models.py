"""The child protection file (KCSIE Annex C): one file per child, separate from the SEND record.

Everything in a file is an `Entry` in one chronology ordered by when the event happened, so a back-dated
entry lands in its place. Entries are never edited in place: a correction is a new entry that supersedes the
old one, with the reason, and both stay. Nothing here is deleted inside the retention period (date of birth +
25 years), so every foreign key into the file protects.

These models are deliberately not registered with django-auditlog: its change log is read by the head, and a
diff of a safeguarding record is safeguarding content. The file's own who-viewed log (`AccessEvent`) and the
append-only entries (who recorded each, when) are the audit trail, read by the DSL team only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Category(models.Model):
    """A category of concern the school uses (neglect, physical abuse, online...): configured per school."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="safeguarding_categories")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="safeguarding_category_once")]

    def __str__(self) -> str:
        return self.name


class FileStatus(models.TextChoices):
    OPEN = "open", "Open"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class ChildFile(models.Model):
    """A child's child protection file: opened by the first concern about them (or an incoming file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="safeguarding_files")
    pupil = models.OneToOneField("pupils.Pupil", on_delete=models.PROTECT, related_name="safeguarding_file")
    status = models.CharField(max_length=12, choices=FileStatus.choices, default=FileStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("read_childfile", "Read a child protection file shared with them")]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"Child protection file {self.pk}"


class EntryKind(models.TextChoices):
    CONCERN = "concern", "Concern reported"
    ADDITION = "addition", "Added by the reporter"
    TRIAGE = "triage", "Triage"
    NOTE = "note", "Note"
    ACTION = "action", "Action"
    ACTION_DONE = "action_done", "Action done"
    REFERRAL = "referral", "Referral"
    REFERRAL_RESPONSE = "referral_response", "Response to a referral"
    NO_REFERRAL = "no_referral", "Decision not to refer"
    OUTCOME = "outcome", "Outcome"
    STATUS = "status", "File status"
    TRANSFER_SENT = "transfer_sent", "File sent to the new school"
    INCOMING_FILE = "incoming_file", "File received from the previous school"
    SENCO_TOLD = "senco_told", "SENCO told"


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care / MASH"
    POLICE = "police", "Police"
    LADO = "lado", "LADO"
    CHANNEL = "channel", "Channel (Prevent)"
    CAMHS = "camhs", "CAMHS"
    EARLY_HELP = "early_help", "Early help"


class Entry(models.Model):
    """One event in the child's file. Kind-specific fields are blank where they do not apply; `related` ties
    an addition or triage to its concern, a response to its referral, a completion to its action."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    occurred_at = models.DateTimeField(help_text="When it happened: the chronology's order.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True, help_text="The account, note, outcome or reasons.")
    related = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="followups")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A concern
    location = models.CharField(max_length=200, blank=True)
    others_involved = models.TextField(blank=True)
    immediate_action = models.TextField(blank=True)
    told_dsl_in_person = models.BooleanField(null=True, blank=True)
    # An action
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    # A referral, its response, a decision not to refer
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    spoken_to = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A status change
    status = models.CharField(max_length=12, choices=FileStatus.choices, blank=True)

    class Meta:
        ordering = ["occurred_at", "recorded_at"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["file", "occurred_at"]), models.Index(fields=["kind", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="no_referral") | (Q(decided_by__isnull=False) & ~Q(text="")),
                name="no_referral_has_reasons_and_dsl",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""), name="correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class BodySide(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


BODY_MAP_COLUMNS = 6
BODY_MAP_ROWS = 12


class BodyMark(models.Model):
    """A mark on the body map of a concern (or of an addition to it): a cell of the outline's grid."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="marks")
    side = models.CharField(max_length=5, choices=BodySide.choices)
    row = models.PositiveSmallIntegerField()
    column = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(row__gte=1, row__lte=BODY_MAP_ROWS, column__gte=1, column__lte=BODY_MAP_COLUMNS),
                name="body_mark_on_the_grid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} row {self.row}, column {self.column}"

    # The centre of the mark's cell on the outline's 120 x 240 view box (20 units a cell).
    @property
    def cx(self) -> int:
        return self.column * 20 - 10

    @property
    def cy(self) -> int:
        return self.row * 20 - 10


class FlagKind(models.TextChoices):
    CIN = "cin", "Child in need"
    CP_PLAN = "cp_plan", "Child protection plan"
    LAC = "lac", "Looked after"
    EARLY_HELP = "early_help", "Early help"
    PREVIOUSLY_LAC = "previously_lac", "Previously looked after"


class StatusFlag(models.Model):
    """A period in which the child had a status (child in need, child protection plan...)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="flag_dates_in_order"
            ),
            models.UniqueConstraint(
                fields=["file", "kind"], condition=Q(ends_on__isnull=True), name="one_open_flag_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Share(models.Model):
    """The DSL's share of one child's file, or of one entry of it, with a named member of staff until a date
    (held in guardian too, as a permission on the file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, related_name="shares")
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares",
        help_text="Blank: the whole file.",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safeguarding_shares")
    until_on = models.DateField()
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "user", "entry"],
                condition=Q(revoked_at__isnull=True),
                nulls_distinct=False,
                name="one_live_share_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Share {self.pk}"


class Transfer(models.Model):
    """The file's move to the child's new school: due within 5 days, sent separately, with a receipt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, related_name="transfers")
    destination = models.CharField("new school", max_length=200)
    left_on = models.DateField()
    due_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    sent_how = models.CharField(max_length=200, blank=True)
    received_by = models.CharField(max_length=200, blank=True, help_text="The receiving DSL who confirmed receipt.")
    received_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"


class IncomingFile(models.Model):
    """A child protection file received from the child's previous school (a PDF or scan), kept in the database
    so it is served only through the access checks of this app."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, related_name="incoming")
    from_school = models.CharField(max_length=200)
    received_on = models.DateField()
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Incoming file {self.pk}"


class AccessOutcome(models.TextChoices):
    READ = "read", "Read"
    REFUSED = "refused", "Refused"
    EXPORTED = "exported", "Exported"


class AccessEvent(models.Model):
    """The who-viewed log: every read of a file, every refused attempt, every export. Written once, never
    changed; the DSL team reads it per child."""

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(ChildFile, on_delete=models.PROTECT, null=True, blank=True, related_name="access_events")
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    page = models.CharField(max_length=60, help_text="The URL name of the page asked for.")
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["file", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.page}"


class AlertSent(models.Model):
    """One alert email per (concern, recipient): a retried or duplicated task never emails twice."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "recipient"], name="one_alert_per_recipient")]

    def __str__(self) -> str:
        return f"Alert {self.pk}"
