"""Identification: flags of less than expected progress (CoP 6.17; policy section 4) and what staff do with them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from auditlog.context import disable_auditlog
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from pupils import services as pupil_services
from pupils.identification import identify
from pupils.models import Pupil, School, SenConcern
from pupils.services import audited

from .. import selectors
from ..models import (
    AssessmentPoint,
    FlagStatus,
    ProgressFlag,
    ProgressScore,
)

# --- Identification ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRun:
    cohorts: int
    pupils_judged: int
    flags: int


def flags_compute(*, school: School, today: date, year_groups: Iterable[int] | None = None) -> FlagRun:
    """Compute and store the flags of less than expected progress (CoP 6.17; policy section 4) for the
    latest assessment point of each subject, one (year group, subject) cohort at a time.

    Each subject is judged on the last three points that hold scores in it. A flag already acted on (dismissed,
    concern raised, plan started) keeps its status and takes the new evidence; an open flag whose signs no
    longer fire is removed. Flags never change the SEND register. Reads are a handful of queries and only
    changed flags are written, in batches: 0.3 s for 420 pupils and 8 to 13 s for 20,000 on PostgreSQL
    (bench/flags_bench.py)."""
    thresholds = selectors.settings_for(school).thresholds()
    subjects = list(selectors.subjects_for(school))
    pupils = Pupil.objects.filter(school=school).on_roll(today)
    if year_groups is not None:
        pupils = pupils.filter(year_group__in=list(year_groups))
    year_of = dict(pupils.values_list("pk", "year_group"))
    points = {p.pk: p for p in AssessmentPoint.objects.filter(school=school)}
    scores: dict[uuid.UUID, dict[uuid.UUID, dict[uuid.UUID, float]]] = defaultdict(lambda: defaultdict(dict))
    # The school's scores by a plain join, kept for the pupils in `year_of`: an IN (subquery) of the roll
    # misleads the planner at 20,000 pupils. Scores come as floats from the database (no Decimal per row).
    rows = (
        ProgressScore.objects.filter(subject__school=school, pupil__school=school)
        .annotate(value=Cast("score", FloatField()))
        .values_list("pupil_id", "subject_id", "point_id", "value")
    )
    for pupil_id, subject_id, point_id, score in rows:
        if pupil_id in year_of:
            scores[subject_id][pupil_id][point_id] = score

    now = timezone.now()
    computed: dict[tuple, tuple] = {}  # (pupil_id, subject_id) -> (point, signs, evidence, figures)
    cohorts = judged = 0
    latest_by_subject: dict[object, AssessmentPoint] = {}
    for subject in subjects:
        by_pupil = scores.get(subject.pk, {})
        used = {point_id for pupil_scores in by_pupil.values() for point_id in pupil_scores}
        sequence = sorted((points[pk] for pk in used), key=lambda p: (p.assessed_on, p.name))[-3:]
        if len(sequence) < 2:
            continue
        latest_by_subject[subject.pk] = sequence[-1]
        names = [p.name for p in sequence]
        by_year: dict[int, dict[object, list[float | None]]] = defaultdict(dict)
        for pupil_id, year in year_of.items():
            pupil_scores = by_pupil.get(pupil_id, {})
            by_year[year][pupil_id] = [pupil_scores.get(p.pk) for p in sequence]
        for cohort in by_year.values():
            cohorts += 1
            judged += len(cohort)
            for flag in identify(cohort, thresholds=thresholds, point_names=names):
                computed[(flag.pupil, subject.pk)] = (
                    sequence[-1],
                    [str(s) for s in flag.signs],
                    list(flag.evidence),
                    _figures(flag),
                )
    _flags_store(computed, latest_by_subject, school, year_of.keys(), now)
    return FlagRun(cohorts=cohorts, pupils_judged=judged, flags=len(computed))


def _flags_store(computed: dict[tuple, tuple], latest_by_subject: dict, school: School, pupil_ids, now) -> None:
    """Write only what changed: new flags inserted, changed evidence updated, open flags that no longer fire
    deleted (among `pupil_ids`, the pupils judged). A repeat computation over unchanged scores writes nothing."""
    judged = set(pupil_ids)
    existing: dict[tuple, tuple] = {}
    for subject_id, point in latest_by_subject.items():
        for pk, pupil_id, status, signs, evidence, figures in ProgressFlag.objects.filter(
            subject_id=subject_id, point=point, pupil__school=school
        ).values_list("pk", "pupil_id", "status", "signs", "evidence", "figures"):
            if pupil_id in judged:
                existing[(pupil_id, subject_id)] = (pk, status, signs, evidence, figures)
    to_create, to_update, to_delete = [], [], []
    for (pupil_id, subject_id), (point, signs, evidence, figures) in computed.items():
        found = existing.get((pupil_id, subject_id))
        if found is None:
            to_create.append(
                ProgressFlag(
                    pupil_id=pupil_id,
                    subject_id=subject_id,
                    point=point,
                    signs=signs,
                    evidence=evidence,
                    figures=figures,
                    computed_at=now,
                )
            )
        elif (found[2], found[3], found[4]) != (signs, evidence, figures):
            to_update.append(
                ProgressFlag(pk=found[0], signs=signs, evidence=evidence, figures=figures, computed_at=now)
            )
    for key, (pk, status, *_rest) in existing.items():
        if key not in computed and status == FlagStatus.OPEN:
            to_delete.append(pk)
    with transaction.atomic():
        # ignore_conflicts: a flag inserted meanwhile by a concurrent computation is the same flag.
        ProgressFlag.objects.bulk_create(to_create, batch_size=2000, ignore_conflicts=True)
        ProgressFlag.objects.bulk_update(to_update, ["signs", "evidence", "figures", "computed_at"], batch_size=500)
        # Removing a computed flag nobody acted on is not a person's change: no audit row per flag.
        with disable_auditlog():
            for start in range(0, len(to_delete), 2000):
                ProgressFlag.objects.filter(pk__in=to_delete[start : start + 2000]).delete()


def _figures(flag) -> dict:
    return {
        name: getattr(flag, name)
        for name in ("gain", "previous_gain", "peer_median_gain", "peer_count", "gap_before", "gap_after")
    }


def flag_dismiss(*, flag: ProgressFlag, reason: str, actor: User) -> ProgressFlag:
    """Dismiss a flag with the reason (a bad test day, an absence explained); the flag stays on record."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the flag is dismissed."})
    with audited(actor):
        flag = ProgressFlag.objects.select_for_update().select_related("pupil").get(pk=flag.pk)
        if flag.status != FlagStatus.OPEN:
            return flag
        flag.status = FlagStatus.DISMISSED
        flag.dismissed_reason = reason.strip()
        flag.actioned_by = actor
        flag.actioned_at = timezone.now()
        flag.save()
    return flag


def flag_raise_concern(
    *,
    flag: ProgressFlag,
    description: str,
    actions_taken: str = "",
    broad_area: str = "",
    actor: User,
) -> SenConcern:
    """Raise an SEN concern from a flag (pupils.services.concern_raise); the SENCO triages it as usual."""
    with audited(actor):
        flag = ProgressFlag.objects.select_for_update().select_related("pupil").get(pk=flag.pk)
        if flag.concern is not None:
            return flag.concern
        concern = pupil_services.concern_raise(
            pupil=flag.pupil,
            description=description,
            actions_taken=actions_taken,
            broad_area=broad_area,
            actor=actor,
        )
        flag.concern = concern
        flag.status = FlagStatus.CONCERN_RAISED
        flag.actioned_by = actor
        flag.actioned_at = timezone.now()
        flag.save()
    return concern
