"""Everything the product holds about one pupil, for a subject access request (UK GDPR Article 15): every
record of every area as JSON, and a PDF bundle (the SEND file's sections, then every record, then the logs).

It spans areas, so it lives in the top layer beside the leavers' SEND file bundle, whose rendering it reuses.
The records are found by following every relation that points at the pupil, then at each record found (a
support plan's cycles, an EHC plan's versions and reviews, a deadline's reminders...), so a model added to an
area later is exported without a change here. Forward relations (a group, a provision, a member of staff) are
never followed: they are shared with other pupils, and a row is named by its id.

The child protection file is not exported: the DSL answers that part of a request, deciding what the Data
Protection Act 2018 exempts (Schedule 3 Part 5 paragraph 21, child abuse data asked for by a person with
parental responsibility where giving it would not be in the child's best interests; Schedule 3 Part 4
paragraph 19, education data whose disclosure would be likely to cause serious harm; Schedule 2 Part 3
paragraph 16, information about other people). So the safeguarding area's records, its confidential
deadlines and the audit entries about them are left out here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from deadlines.access import confidential_kind_prefixes
from deadlines.models import Deadline
from provision.models_maps import Attendance, Session
from pupils.models import DisclosedDocument, DisclosurePurpose, Pupil
from pupils.services import disclosure_record, pupil_record_viewed
from send_mis.pdf import html_to_pdf

from .bundle import send_file_context

# The DSL answers for the child protection file (see the module docstring).
EXCLUDED_APPS = frozenset({"safeguarding"})
# How far to follow relations from the pupil: pupil -> EHC assessment -> plan -> review -> invitee is four.
MAX_DEPTH = 6

DSL_NOTE = (
    "The child protection file is not part of this export. The designated safeguarding lead (DSL) answers that "
    "part of the request, applying the exemptions of the Data Protection Act 2018 (Schedule 3 Part 5 paragraph 21, "
    "child abuse data; Schedule 3 Part 4 paragraph 19, serious harm; Schedule 2 Part 3 paragraph 16, other people)."
)


def _reverse_relations(model: type[models.Model]) -> Iterable[models.ForeignObjectRel]:
    """The one-to-many and one-to-one relations pointing at `model`, hidden ones (related_name="+") included;
    not many-to-many links (a row's many-to-many ids are serialised with the row)."""
    for field in model._meta.get_fields(include_hidden=True):
        if not (field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)):
            continue
        related = field.related_model
        if related._meta.auto_created or related._meta.app_label in EXCLUDED_APPS:
            continue  # an automatic many-to-many table; or the DSL's part
        yield field


def _excluded(model: type[models.Model], rows: list[models.Model]) -> list[models.Model]:
    """Rows that are part of the child protection file although kept by another app: the safeguarding area's
    confidential deadlines (a strategy meeting due tells that a file exists)."""
    if model is Deadline:
        prefixes = tuple(confidential_kind_prefixes())
        return [row for row in rows if prefixes and row.kind.startswith(prefixes)]
    return []


def records_about(pupil: Pupil) -> dict[str, list[models.Model]]:
    """Every row of every area about the pupil, by model label (`app.model`), each model's rows in primary-key
    order. One query per relation per level, whatever the number of rows."""
    found: dict[str, dict] = {Pupil._meta.label_lower: {pupil.pk: pupil}}
    frontier: list[tuple[type[models.Model], list]] = [(Pupil, [pupil.pk])]
    for _ in range(MAX_DEPTH):
        following: list[tuple[type[models.Model], list]] = []
        for model, pks in frontier:
            for relation in _reverse_relations(model):
                related = relation.related_model
                rows = list(related._default_manager.filter(**{f"{relation.field.name}__in": pks}).order_by("pk"))
                left_out = {row.pk for row in _excluded(related, rows)}
                seen = found.setdefault(related._meta.label_lower, {})
                new = [row for row in rows if row.pk not in seen and row.pk not in left_out]
                seen.update((row.pk, row) for row in new)
                if new:
                    following.append((related, [row.pk for row in new]))
        frontier = following
        if not frontier:
            break
    # The sessions the pupil was timetabled for (an attendance row names one): the date, length and status only
    # (a session belongs to a group, so nothing of another pupil is in it).
    attended = {row.session_id for row in found.get(Attendance._meta.label_lower, {}).values()}
    if attended:
        found[Session._meta.label_lower] = {s.pk: s for s in Session.objects.filter(pk__in=attended).order_by("pk")}
    return {label: list(rows.values()) for label, rows in sorted(found.items()) if rows}


def log_entries_about(pupil: Pupil, records: dict[str, list[models.Model]]):
    """The audit and access log about the pupil: changes to any of their records and every time their record
    was read, oldest first; never an entry about the child protection file."""
    pupil_type = ContentType.objects.get_for_model(Pupil)
    left_out = ContentType.objects.filter(app_label__in=EXCLUDED_APPS)
    deadline_type = ContentType.objects.get_for_model(Deadline)
    exported_deadlines = [str(row.pk) for row in records.get(Deadline._meta.label_lower, [])]
    return (
        LogEntry.objects.filter(
            Q(additional_data__pupil_id=str(pupil.pk)) | Q(content_type=pupil_type, object_pk=str(pupil.pk))
        )
        .exclude(content_type__in=left_out)
        .exclude(Q(content_type=deadline_type) & ~Q(object_pk__in=exported_deadlines))
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )


def _log_row(entry: LogEntry) -> dict:
    return {
        "when": entry.timestamp,
        "action": entry.get_action_display(),
        "record": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "record_id": entry.object_pk,
        "description": entry.object_repr,
        "by": (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else "",
        "changes": entry.changes,
    }


def subject_access_data(pupil: Pupil, *, today: date) -> dict:
    """The export as plain data: what it is, what it leaves out and why, every record, the audit log."""
    records = records_about(pupil)
    return {
        "export": {
            "kind": "Subject access export",
            "pupil_id": str(pupil.pk),
            "school": pupil.school.name,
            "compiled_on": today,
            "not_included": DSL_NOTE,
        },
        "records": {label: serializers.serialize("python", rows) for label, rows in records.items()},
        "audit_log": [_log_row(entry) for entry in log_entries_about(pupil, records)],
    }


def subject_access_json(pupil: Pupil, *, today: date) -> bytes:
    return json.dumps(subject_access_data(pupil, today=today), cls=DjangoJSONEncoder, indent=2).encode()


def _verbose(label: str) -> str:
    model = apps.get_model(label)
    return f"{model._meta.verbose_name_plural.capitalize()} ({model._meta.app_label})"


def subject_access_html(pupil: Pupil, *, today: date) -> str:
    data = subject_access_data(pupil, today=today)
    tables = [
        {"title": _verbose(label), "rows": [{"id": row["pk"], **row["fields"]} for row in rows]}
        for label, rows in data["records"].items()
    ]
    context = send_file_context(pupil, today=today) | {
        "tables": tables,
        "audit_log": data["audit_log"],
        "dsl_note": DSL_NOTE,
    }
    return render_to_string("records/subject_access.html", context)


def subject_access_pdf(pupil: Pupil, *, today: date) -> bytes:
    """The PDF bundle (raises send_mis.pdf.PdfUnavailable where WeasyPrint cannot run)."""
    return html_to_pdf(subject_access_html(pupil, today=today), stylesheets=["records/send-file-print.css"])


def subject_access_name(pupil: Pupil, *, today: date, extension: str) -> str:
    """What the download is called: the kind, the pupil's initials and the date, never a name."""
    return f"subject-access-{pupil.initials}-{today:%Y-%m-%d}.{extension}"


def subject_access_record(*, pupil: Pupil, requested_by: str, actor: User, now: datetime) -> None:
    """Log an export: an access entry in the audit log, and a row of the pupil's disclosure log naming who asked
    for it (the parent or the young person, so the purpose is their consent)."""
    pupil_record_viewed(pupil=pupil, actor=actor)
    disclosure_record(
        pupil=pupil,
        document=DisclosedDocument.SUBJECT_ACCESS,
        actor=actor,
        now=now,
        recipient=requested_by,
        purpose=DisclosurePurpose.CONSENT,
    )
