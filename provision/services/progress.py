"""Progress data: the school's settings, subjects and assessment points, and scores entered or imported."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Max

from pupils.models import Pupil, School
from pupils.services import audited, bulk_create_audited
from send_mis.dates import academic_year_label, academic_year_start

from ..models import (
    AssessmentPoint,
    ProgressScore,
    SchoolSettings,
    Season,
    Subject,
)
from .flags import flags_request

DEFAULT_SUBJECTS = ("Reading", "Writing", "Maths")
# Default dates of the three termly assessment points: (season, month, day, years after the September start).
DEFAULT_POINTS = ((Season.AUTUMN, 12, 1, 0), (Season.SPRING, 3, 15, 1), (Season.SUMMER, 7, 1, 1))

# --- Settings, subjects and assessment points -----------------------------------------------------------


def school_settings_save(*, school_settings: SchoolSettings, actor: User) -> SchoolSettings:
    """Save the SENCO's thresholds (built, not saved, by SchoolSettingsForm)."""
    with audited(actor):
        school_settings.full_clean()
        school_settings.thresholds()  # refuses settings that make no sense
        school_settings.save()
    return school_settings


def subject_add(*, school: School, name: str, actor: User) -> Subject:
    """Add one of the school's own subjects after the others."""
    with audited(actor):
        if Subject.objects.filter(school=school, name__iexact=name.strip()).exists():
            raise ValidationError({"name": "The school already has a subject of that name."})
        ordering = (Subject.objects.filter(school=school).aggregate(m=Max("ordering"))["m"] or 0) + 1
        subject = Subject(school=school, name=name.strip(), ordering=ordering)
        subject.full_clean()
        subject.save()
    return subject


def school_defaults_ensure(*, school: School, academic_year: int, actor: User) -> list[AssessmentPoint]:
    """Give a school what progress tracking needs, once, audited: its settings with the documented defaults,
    reading, writing and maths when it has no subject yet, and the autumn, spring and summer assessment points
    of `academic_year`. Run when the school is set up and at the start of each academic year (the scores page
    offers it to the SENCO); repeating it changes nothing. Pages only read: a GET never creates these."""
    label = academic_year_label(date(academic_year, 9, 1))
    points = []
    with audited(actor):
        SchoolSettings.objects.get_or_create(school=school)
        if not Subject.objects.filter(school=school).exists():
            for ordering, name in enumerate(DEFAULT_SUBJECTS):
                Subject.objects.get_or_create(school=school, name=name, defaults={"ordering": ordering})
        for season, month, day, offset in DEFAULT_POINTS:
            point, _ = AssessmentPoint.objects.get_or_create(
                school=school,
                name=f"{season.label} {label}",
                defaults={
                    "season": season,
                    "academic_year": academic_year,
                    "assessed_on": date(academic_year + offset, month, day),
                },
            )
            points.append(point)
    return points


def assessment_point_add(*, school: School, name: str, assessed_on: date, actor: User) -> AssessmentPoint:
    """One of the school's own assessment points; it takes its place among the others by date."""
    with audited(actor):
        if AssessmentPoint.objects.filter(school=school, name__iexact=name.strip()).exists():
            raise ValidationError({"name": "The school already has an assessment point of that name."})
        point = AssessmentPoint(
            school=school,
            name=name.strip(),
            season=Season.OTHER,
            assessed_on=assessed_on,
            academic_year=academic_year_start(assessed_on).year,
        )
        point.full_clean()
        point.save()
    return point


# --- Scores ---------------------------------------------------------------------------------------------

ScoreKey = tuple[uuid.UUID, uuid.UUID]  # (pupil_id, subject_id)


@dataclass(frozen=True)
class ScoreChanges:
    created: int
    updated: int
    deleted: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


def scores_save(
    *,
    point: AssessmentPoint,
    values: Mapping[ScoreKey, Decimal | None],
    today: date,
    actor: User,
    recompute: bool = True,
) -> ScoreChanges:
    """Save one grid of scores for a point: a number creates or changes a score, a blank removes one.

    Only changed cells are written (each one audited); the flags of the year groups touched are then
    recomputed, so a teacher sees any new flag as soon as the grid is saved."""
    created = updated = deleted = 0
    with audited(actor):
        pupil_ids = {pupil_id for pupil_id, _ in values}
        existing = {
            (s.pupil_id, s.subject_id): s
            for s in ProgressScore.objects.filter(point=point, pupil_id__in=pupil_ids).select_related("point")
        }
        subjects = {s.pk: s for s in Subject.objects.filter(pk__in={subject_id for _, subject_id in values})}
        new_scores = []
        for key, value in values.items():
            current = existing.get(key)
            if value is None:
                if current is not None:
                    current.delete()
                    deleted += 1
            elif current is None:
                # Written in one statement below, each with its audit row (a term's import is thousands).
                new_scores.append(
                    ProgressScore(pupil_id=key[0], subject=subjects[key[1]], point=point, score=value, entered_by=actor)
                )
                created += 1
            elif current.score != value:
                current.score = value
                current.entered_by = actor
                current.save(update_fields=["score", "entered_by", "entered_at"])
                updated += 1
        bulk_create_audited(ProgressScore, new_scores, actor=actor)
        changes = ScoreChanges(created, updated, deleted)
        if recompute and changes.total:
            years = set(Pupil.objects.filter(pk__in=pupil_ids).values_list("year_group", flat=True))
            flags_request(school=point.school, year_groups=years, today=today)
    return changes


@dataclass(frozen=True)
class ImportRow:
    line: int
    pupil_id: uuid.UUID
    subject_id: uuid.UUID
    point: AssessmentPoint
    score: Decimal


def scores_import(*, school: School, rows: Iterable[ImportRow], today: date, actor: User) -> ScoreChanges:
    """Import checked CSV rows (provision.imports): scores are grouped by point and saved as grids."""
    by_point: dict[AssessmentPoint, dict[ScoreKey, Decimal | None]] = defaultdict(dict)
    for row in rows:
        by_point[row.point][(row.pupil_id, row.subject_id)] = row.score
    created = updated = 0
    with audited(actor):
        for point, values in by_point.items():
            changes = scores_save(point=point, values=values, today=today, actor=actor, recompute=False)
            created += changes.created
            updated += changes.updated
        if by_point:
            flags_request(school=school, today=today)
    return ScoreChanges(created, updated, 0)
