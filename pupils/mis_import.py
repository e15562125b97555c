"""Pupils from the school's MIS: an upload is checked (every bad row with its reasons, and what would change),
then imported when a person says so, matching existing pupils by UPN and updating them (a re-import each term
is the normal case). Both steps run in Celery tasks (eagerly in the embedded mode), so a 20,000-row file never
holds a request; the progress page reads how far the task has gone from the cache.

Writes are in bulk (a few queries per thousand rows), each pupil and register entry with its own audit row
naming the actor, as the single-record services write them. A file with errors imports nothing unless the
person asks for the good rows to be imported anyway.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from itertools import islice

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from . import mis_csv
from .models import (
    ImportStatus,
    NeedType,
    Pupil,
    PupilImport,
    RegisterEntry,
    RegisterStatus,
    School,
)
from .services import audited, register_entry_change

CHUNK = 1000
PREVIEW_CHANGES_SHOWN = 200
# The pupil fields an MIS row sets, in the order a change report lists them.
PUPIL_FIELDS = (
    "legal_forename",
    "legal_surname",
    "preferred_forename",
    "preferred_surname",
    "date_of_birth",
    "gender",
    "year_group",
    "school_class",
    "admitted_on",
    "is_eal",
    "first_language",
    "is_pupil_premium",
    "is_looked_after",
)
IMPORT_REASON = "From the school's MIS"


def _progress_key(pupil_import: PupilImport) -> str:
    return f"pupil-import-progress:{pupil_import.pk}"


def import_progress(pupil_import: PupilImport) -> int:
    """Rows the running task has got through (0 before it starts)."""
    return cache.get(_progress_key(pupil_import), 0)


def import_upload(*, school: School, file_name: str, text: str, actor: AbstractBaseUser) -> PupilImport:
    """Keep the uploaded file and queue its check (on commit, so the worker finds the row)."""
    from .tasks import pupil_import_check_task

    with audited(actor):
        pupil_import = PupilImport.objects.create(
            school=school, uploaded_by=actor, file_name=file_name[:200], csv_text=text
        )
        transaction.on_commit(lambda: pupil_import_check_task.delay(str(pupil_import.pk)))
    return pupil_import


def _check(school: School, text: str, *, today: date):
    rows, header_problems = mis_csv.read(text)
    if header_problems:
        return [], [mis_csv.RowProblem(1, "", header_problems)], len(rows)
    classes = {c.name.lower(): c.year_group for c in school.classes.all()}
    needs = dict(NeedType.objects.values_list("code", "sen_support_only"))
    good, problems = mis_csv.check_rows(rows, classes=classes, needs=needs, today=today)
    elsewhere = set()
    for chunk in _chunks([row.upn for row in good]):
        elsewhere |= set(Pupil.objects.filter(upn__in=chunk).exclude(school=school).values_list("upn", flat=True))
    if elsewhere:
        problems += [
            mis_csv.RowProblem(row.line, row.upn, [f"UPN {row.upn} belongs to a pupil of another school."])
            for row in good
            if row.upn in elsewhere
        ]
        good = [row for row in good if row.upn not in elsewhere]
        problems.sort(key=lambda p: p.line)
    return good, problems, len(rows)


def import_check(*, pupil_import: PupilImport, today: date) -> PupilImport:
    """Check every row and say what an import would do: pupils new and changed (with each change), register
    entries added or changed, and every bad row with its reasons. Changes nothing but the import's own row."""
    school = pupil_import.school
    good, problems, total = _check(school, pupil_import.csv_text, today=today)
    plan = _Plan(school, today=today)
    new = changed = unchanged = sen = 0
    changes_shown = []
    for index, chunk in enumerate(_chunks(good)):
        plan.load(chunk)
        for row in chunk:
            pupil = plan.existing.get(row.upn)
            if pupil is None:
                new += 1
            elif diff := plan.diff(pupil, row):
                changed += 1
                if len(changes_shown) < PREVIEW_CHANGES_SHOWN:
                    changes_shown.append(_change_report(row, diff))
            else:
                unchanged += 1
            sen += plan.sen_change(pupil, row) is not None
        cache.set(_progress_key(pupil_import), min((index + 1) * CHUNK, len(good)), 3600)
    pupil_import.total_rows = total
    pupil_import.problems = [asdict(problem) for problem in problems]
    pupil_import.preview = {
        "good": len(good),
        "new": new,
        "changed": changed,
        "unchanged": unchanged,
        "sen": sen,
        "changes": changes_shown,
    }
    pupil_import.status = ImportStatus.CHECKED
    pupil_import.save(update_fields=["total_rows", "problems", "preview", "status"])
    return pupil_import


def import_confirm(*, pupil_import: PupilImport, is_errors_allowed: bool, actor: AbstractBaseUser) -> PupilImport:
    """Queue the import of a checked file. A file with bad rows imports only when the person asks for its
    good rows to be imported anyway."""
    from .tasks import pupil_import_apply_task

    with audited(actor):
        pupil_import = PupilImport.objects.select_for_update().get(pk=pupil_import.pk)
        if pupil_import.status != ImportStatus.CHECKED:
            return pupil_import
        if pupil_import.problems and not is_errors_allowed:
            raise ValidationError(
                {"is_errors_allowed": "The file has rows with errors: fix them, or import only the good rows."}
            )
        pupil_import.is_errors_allowed = is_errors_allowed
        pupil_import.status = ImportStatus.IMPORTING
        pupil_import.save(update_fields=["is_errors_allowed", "status"])
        cache.set(_progress_key(pupil_import), 0, 3600)
        transaction.on_commit(lambda: pupil_import_apply_task.delay(str(pupil_import.pk), str(actor.pk)))
    return pupil_import


def import_apply(*, pupil_import: PupilImport, today: date, now: datetime, actor: AbstractBaseUser) -> PupilImport:
    """Import the file's good rows, all or nothing: new pupils are created, existing ones (by UPN) updated, and
    an SEN status E or K starts or changes the pupil's register entry (never ends one: the register is the
    SENCO's). Rows are checked again first, since the school's classes may have changed since the preview."""
    school = pupil_import.school
    with audited(actor):
        # A second delivery of the task waits here, then finds the import done and changes nothing.
        pupil_import = PupilImport.objects.select_for_update().get(pk=pupil_import.pk)
        if pupil_import.status != ImportStatus.IMPORTING:
            return pupil_import
        good, problems, total = _check(school, pupil_import.csv_text, today=today)
        if problems and not pupil_import.is_errors_allowed:
            pupil_import.status = ImportStatus.FAILED
            pupil_import.result = {"message": "The file now has rows with errors; nothing was imported."}
            pupil_import.save(update_fields=["status", "result"])
            return pupil_import
        plan = _Plan(school, today=today)
        counts = dict.fromkeys(("created", "updated", "unchanged", "sen_added", "sen_changed"), 0)
        counts["skipped"] = len(problems)
        reports = []
        for index, chunk in enumerate(_chunks(good)):
            reports += plan.apply(chunk, counts=counts, actor=actor)
            cache.set(_progress_key(pupil_import), min((index + 1) * CHUNK, len(good)), 3600)
        pupil_import.status = ImportStatus.DONE
        pupil_import.result = {**counts, "changes": reports[:PREVIEW_CHANGES_SHOWN], "total": total}
        pupil_import.csv_text = ""  # the file held personal data; the pupils and the audit log now hold it
        pupil_import.finished_at = now
        pupil_import.save(update_fields=["status", "result", "csv_text", "finished_at"])
    return pupil_import


class _Plan:
    """What an MIS row means for the pupil it matches: loaded a chunk at a time (two queries a chunk)."""

    def __init__(self, school: School, *, today: date) -> None:
        self.school = school
        self.today = today
        self.classes = {c.name.lower(): c for c in school.classes.all()}
        self.classes_by_id = {c.pk: c for c in self.classes.values()}
        self.needs = {n.code: n for n in NeedType.objects.all()}
        self.existing: dict[str, Pupil] = {}
        self.open_entries: dict = {}

    def load(self, rows: list[mis_csv.PupilRow]) -> None:
        self.existing = {p.upn: p for p in Pupil.objects.filter(school=self.school, upn__in=[r.upn for r in rows])}
        self.open_entries = {
            e.pupil_id: e
            for e in RegisterEntry.objects.filter(pupil__in=list(self.existing.values()), ended_on__isnull=True)
        }

    def values(self, row: mis_csv.PupilRow, pupil: Pupil | None) -> dict:
        values = {name: getattr(row, name) for name in PUPIL_FIELDS if name not in ("school_class", "first_language")}
        values["school_class"] = self.classes.get(row.class_name.lower()) if row.class_name else None
        # A blank first language keeps what the school has (the MIS often leaves it out).
        values["first_language"] = row.first_language or (pupil.first_language if pupil else "English")
        return values

    def diff(self, pupil: Pupil, row: mis_csv.PupilRow) -> dict[str, tuple]:
        changes = {}
        for name, new in self.values(row, pupil).items():
            if name == "school_class":
                # By id, from the classes loaded once: reading pupil.school_class would be a query a pupil.
                if pupil.school_class_id != (new.pk if new else None):
                    changes[name] = (self.classes_by_id.get(pupil.school_class_id), new)
            elif getattr(pupil, name) != new:
                changes[name] = (getattr(pupil, name), new)
        return changes

    def sen_change(self, pupil: Pupil | None, row: mis_csv.PupilRow) -> str | None:
        """'add', 'change' or None for the register entry the row implies."""
        if not row.sen_status:
            return None
        entry = self.open_entries.get(pupil.pk) if pupil else None
        if entry is None:
            return "add"
        wanted = (row.sen_status, row.need_1 or None, row.need_2 or None)
        return "change" if (entry.status, entry.primary_need_id, entry.secondary_need_id) != wanted else None

    def apply(self, rows: list[mis_csv.PupilRow], *, counts: dict, actor: AbstractBaseUser) -> list[dict]:
        self.load(rows)
        logs: list[LogEntry] = []
        created, updated, reports, new_entries, to_change = [], [], [], [], []
        changed_fields: set[str] = set()
        for row in rows:
            pupil = self.existing.get(row.upn)
            if pupil is None:
                pupil = Pupil(school=self.school, upn=row.upn, **self.values(row, None))
                created.append(pupil)
            elif diff := self.diff(pupil, row):
                for name, (_, new) in diff.items():
                    setattr(pupil, name, new)
                changed_fields |= diff.keys()
                updated.append(pupil)
                logs.append(_log(pupil, LogEntry.Action.UPDATE, diff, actor))
                reports.append(_change_report(row, diff))
            else:
                counts["unchanged"] += 1
            kind = self.sen_change(self.existing.get(row.upn), row)
            if kind == "add":
                new_entries.append(self._entry(pupil, row, actor))
            elif kind == "change":
                to_change.append((self.open_entries[pupil.pk], row))
        Pupil.objects.bulk_create(created)
        if updated:
            # Only the fields that changed: a CASE over every field of a thousand rows is slow to plan and run.
            Pupil.objects.bulk_update(updated, sorted(changed_fields))
        RegisterEntry.objects.bulk_create(new_entries)
        logs += [_log(p, LogEntry.Action.CREATE, _created_changes(p), actor) for p in created]
        logs += [_log(e, LogEntry.Action.CREATE, _created_changes(e), actor) for e in new_entries]
        LogEntry.objects.bulk_create(logs)
        for entry, row in to_change:
            register_entry_change(
                entry=entry,
                status=row.sen_status,
                primary_need=self.needs[row.need_1],
                secondary_need=self.needs.get(row.need_2),
                changed_on=max(row.sen_started_on or self.today, entry.started_on),
                reason=IMPORT_REASON,
                actor=actor,
            )
        counts["created"] += len(created)
        counts["updated"] += len(updated)
        counts["sen_added"] += len(new_entries)
        counts["sen_changed"] += len(to_change)
        return reports

    def _entry(self, pupil: Pupil, row: mis_csv.PupilRow, actor: AbstractBaseUser) -> RegisterEntry:
        return RegisterEntry(
            pupil=pupil,
            school_id=pupil.school_id,
            status=RegisterStatus(row.sen_status),
            primary_need=self.needs[row.need_1],
            secondary_need=self.needs.get(row.need_2),
            started_on=row.sen_started_on or row.admitted_on,
            start_reason=IMPORT_REASON,
            created_by=actor,
        )


def _chunks(items: list, size: int = CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _change_report(row: mis_csv.PupilRow, diff: dict) -> dict:
    labels = {f.name: str(f.verbose_name) for f in Pupil._meta.fields}
    return {
        "line": row.line,
        "upn": row.upn,
        "changes": [
            {"field": labels[name].capitalize(), "old": _shown(old), "new": _shown(new)}
            for name, (old, new) in diff.items()
        ],
    }


def _created_changes(instance) -> dict:
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key]
    return {f.name: ["None", _shown(getattr(instance, f.attname))] for f in fields}


def _log(instance, action: int, changes: dict, actor: AbstractBaseUser) -> LogEntry:
    """The audit row auditlog would write for this save, made here so rows can be written in bulk."""
    if action == LogEntry.Action.UPDATE:
        changes = {name: [_shown(old), _shown(new)] for name, (old, new) in changes.items()}
    return LogEntry(
        content_type=ContentType.objects.get_for_model(type(instance)),  # cached by Django, per database
        object_pk=str(instance.pk),
        object_repr=str(instance),
        action=action,
        changes=changes,
        actor=actor,
        additional_data=instance.get_additional_data(),
    )
