"""Identification: flags of less than expected progress (CoP 6.17; policy section 4) and what staff do with them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Count, FloatField, Max, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from pupils import services as pupil_services
from pupils.identification import identify
from pupils.models import Pupil, School, SenConcern, on_roll_q
from pupils.services import audited

from .. import selectors
from ..models import (
    AssessmentPoint,
    FlagComputation,
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
    cohorts_unchanged: int = 0


def _cohort_signatures(school: School, today: date, thresholds, years: set[int] | None) -> tuple[dict, dict]:
    """Per (subject, year group) of pupils on roll: a signature of its scores (how many, their sum, the latest
    change at each point), and the points that hold scores per subject. One aggregate query, no score rows."""
    rows = ProgressScore.objects.filter(subject__school=school, pupil__school=school, pupil__admitted_on__lte=today)
    rows = rows.filter(Q(pupil__left_on__isnull=True) | Q(pupil__left_on__gt=today))
    if years is not None:
        rows = rows.filter(pupil__year_group__in=sorted(years))
    parts: dict[str, list] = defaultdict(list)
    used: dict[uuid.UUID, set] = defaultdict(set)
    for subject_id, year, point_id, n, total, latest in (
        rows.values_list("subject_id", "pupil__year_group", "point_id")
        .annotate(n=Count("pk"), total=Sum("score"), latest=Max("entered_at"))
        .order_by()
    ):
        parts[f"{subject_id}:{year}"].append(f"{point_id}/{n}/{total}/{latest.isoformat() if latest else ''}")
        used[subject_id].add(point_id)
    return {key: "|".join([repr(thresholds), *sorted(value)]) for key, value in parts.items()}, used


def _uuid_as_db_text():
    """How the database writes a UUID cast to text: PostgreSQL with hyphens, SQLite as 32 hex digits."""
    return str if connection.vendor == "postgresql" else (lambda value: value.hex)


def flags_compute(*, school: School, today: date, year_groups: Iterable[int] | None = None) -> FlagRun:
    """Compute and store the flags of less than expected progress (CoP 6.17; policy section 4) for the
    latest assessment point of each subject, one (year group, subject) cohort at a time.

    Each subject is judged on the last three points that hold scores in it. A flag already acted on (dismissed,
    concern raised, plan started) keeps its status and takes the new evidence; an open flag whose signs no
    longer fire is removed. Flags never change the SEND register.

    Only cohorts whose scores changed since the last computation are judged again: each cohort's signature
    (its points, and per point the number of scores, their sum and the latest time one was entered or
    changed, with the school's thresholds) is kept in FlagComputation and compared first, by one aggregate
    query. A repeat over unchanged scores reads no score and writes no flag. Only changed flags are written,
    in batches (bench/flags_bench.py: 20,000 pupils x 3 subjects x 6 points)."""
    started = timezone.now()
    thresholds = selectors.settings_for(school).thresholds()
    subjects = list(selectors.subjects_for(school))
    years = set(year_groups) if year_groups is not None else None
    state, _ = FlagComputation.objects.get_or_create(school=school)
    signatures, used_by_subject = _cohort_signatures(school, today, thresholds, years)
    points = {p.pk: p for p in AssessmentPoint.objects.filter(school=school)}
    sequences = {
        subject.pk: sorted(
            (points[pk] for pk in used_by_subject.get(subject.pk, ())), key=lambda p: (p.assessed_on, p.name)
        )[-3:]
        for subject in subjects
    }
    for subject in subjects:  # the points judged are part of each of the subject's cohorts' signature
        sequence_key = ",".join(str(p.pk) for p in sequences[subject.pk])
        for key in signatures:
            if key.startswith(f"{subject.pk}:"):
                signatures[key] = f"{sequence_key}|{signatures[key]}"
    previous = state.signatures or {}

    def in_scope(key: str) -> bool:
        return years is None or int(key.split(":")[1]) in years

    changed = {
        key
        for key in set(signatures) | {k for k in previous if in_scope(k)}
        if signatures.get(key) != previous.get(key)
    }
    unchanged = sum(1 for key in signatures if key not in changed)
    changed_years = {int(key.split(":")[1]) for key in changed}
    changed_subjects = {key.split(":")[0] for key in changed}

    pupils = Pupil.objects.filter(school=school).on_roll(today)
    pupils = pupils.filter(year_group__in=sorted(changed_years))
    year_of = dict(pupils.values_list("pk", "year_group")) if changed else {}
    scores: dict[uuid.UUID, dict[uuid.UUID, dict[uuid.UUID, float]]] = defaultdict(lambda: defaultdict(dict))
    if year_of:
        # The changed cohorts' scores by a plain join, kept for the pupils in `year_of`: an IN (subquery) of the
        # roll misleads the planner at 20,000 pupils. Scores come as floats (no Decimal per row).
        rows = (
            ProgressScore.objects.filter(
                subject__school=school,
                pupil__school=school,
                subject_id__in=[s.pk for s in subjects if str(s.pk) in changed_subjects],
                pupil__year_group__in=sorted(changed_years),
                # Only the last three points of each subject are judged: half the rows of six points.
                point_id__in={p.pk for s in subjects if str(s.pk) in changed_subjects for p in sequences[s.pk]},
            )
            # Ids as text, looked up in small maps: parsing 150,000 rows' UUIDs cost more than the query.
            .annotate(
                value=Cast("score", FloatField()),
                pupil_text=Cast("pupil_id", CharField()),
                subject_text=Cast("subject_id", CharField()),
                point_text=Cast("point_id", CharField()),
            )
            .values_list("pupil_text", "subject_text", "point_text", "value")
        )
        as_text = _uuid_as_db_text()
        pupil_of = {as_text(pk): pk for pk in year_of}
        subject_of = {as_text(subject.pk): subject.pk for subject in subjects}
        point_of = {as_text(pk): pk for pk in points}
        for pupil_text, subject_text, point_text, score in rows:
            pupil_id = pupil_of.get(pupil_text)
            if pupil_id is not None:
                scores[subject_of[subject_text]][pupil_id][point_of[point_text]] = score

    now = timezone.now()
    computed: dict[tuple, tuple] = {}  # (pupil_id, subject_id) -> (point, signs, evidence, figures)
    judged_pairs: dict[object, set] = defaultdict(set)  # subject_id -> pupils judged in it
    cohorts = judged = 0
    latest_by_subject: dict[object, AssessmentPoint] = {}
    for subject in subjects:
        sequence = sequences[subject.pk]
        if len(sequence) < 2:
            continue
        latest_by_subject[subject.pk] = sequence[-1]
        by_pupil = scores.get(subject.pk, {})
        names = [p.name for p in sequence]
        by_year: dict[int, dict[object, list[float | None]]] = defaultdict(dict)
        for pupil_id, year in year_of.items():
            if f"{subject.pk}:{year}" not in changed:
                continue
            pupil_scores = by_pupil.get(pupil_id, {})
            by_year[year][pupil_id] = [pupil_scores.get(p.pk) for p in sequence]
        for cohort in by_year.values():
            cohorts += 1
            judged += len(cohort)
            judged_pairs[subject.pk].update(cohort)
            for flag in identify(cohort, thresholds=thresholds, point_names=names):
                computed[(flag.pupil, subject.pk)] = (
                    sequence[-1],
                    [str(s) for s in flag.signs],
                    list(flag.evidence),
                    _figures(flag),
                )
    _flags_store(computed, latest_by_subject, school, judged_pairs, now)
    kept = {k: v for k, v in previous.items() if not in_scope(k)}
    if changed or state.pending:  # a repeat over unchanged scores, with nothing waiting, writes nothing at all
        FlagComputation.objects.filter(pk=state.pk).update(signatures={**kept, **signatures}, computed_at=started)
    flags = len(computed)
    if unchanged:  # the flags standing in the cohorts not judged again
        standing = (
            ProgressFlag.objects.filter(on_roll_q(today, via="pupil__"), pupil__school=school)
            .filter(point__in=[p.pk for p in latest_by_subject.values()])
            .values_list("subject_id", "pupil__year_group")
            .annotate(n=Count("pk"))
            .order_by()
        )
        flags += sum(
            n
            for subject_id, year, n in standing
            if f"{subject_id}:{year}" not in changed and (years is None or year in years)
        )
    return FlagRun(cohorts=cohorts, pupils_judged=judged, flags=flags, cohorts_unchanged=unchanged)


def flags_request(*, school: School, today: date, year_groups: Iterable[int] | None = None) -> None:
    """Ask for the flags to be computed after scores were entered or imported.

    With a broker (REDIS_URL), a Celery task computes them once the scores are committed, and the school's
    FlagComputation shows a computation waiting until the task has read the scores (the flags page says
    "updating"). Without one (the embedded app, tests), tasks run in-process anyway: the flags are computed
    here and now, as the saving teacher waits."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        flags_compute(school=school, today=today, year_groups=year_groups)
        return
    from ..tasks import flags_compute_task  # the task module imports the services

    FlagComputation.objects.update_or_create(school=school, defaults={"requested_at": timezone.now()})
    school_id, day = str(school.pk), today.isoformat()
    transaction.on_commit(lambda: flags_compute_task.delay(school_id, day))


def flags_updating(school: School) -> bool:
    """Whether a flag computation asked for is still waiting for the worker."""
    state = FlagComputation.objects.filter(school=school).first()
    return state is not None and state.pending


def _flags_store(computed: dict[tuple, tuple], latest_by_subject: dict, school: School, judged_pairs, now) -> None:
    """Write only what changed: new flags inserted, changed evidence updated, open flags that no longer fire
    deleted (among `judged_pairs`, the pupils judged per subject). Unchanged flags are not written."""
    existing: dict[tuple, tuple] = {}
    for subject_id, point in latest_by_subject.items():
        judged = judged_pairs.get(subject_id)
        if not judged:
            continue
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
