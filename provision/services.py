"""Every write of the graduated approach: keyword-only arguments, an actor, a transaction, an audit row.

Progress scores and flags, support plans run as assess-plan-do-review cycles, parent meetings, passports and
the progress check at age two. Review dates and termly parent meetings are deadlines (deadlines.services).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import FloatField, Max, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineStatus
from pupils import services as pupil_services
from pupils.identification import identify
from pupils.models import Pupil, RegisterEntry, RegisterStatus, School, SenConcern
from pupils.services import audited
from send_mis.dates import academic_year_label

from . import terms as term_rules
from .models import (
    AssessmentPoint,
    Cycle,
    CycleNote,
    FlagStatus,
    Outcome,
    ParentMeeting,
    Passport,
    ProgressCheckTwo,
    ProgressFlag,
    ProgressScore,
    SchoolSettings,
    Season,
    Subject,
    Support,
    SupportPlan,
    TermlyMeeting,
)

DEFAULT_SUBJECTS = ("Reading", "Writing", "Maths")
# Default dates of the three termly assessment points: (season, month, day, years after the September start).
DEFAULT_POINTS = ((Season.AUTUMN, 12, 1, 0), (Season.SPRING, 3, 15, 1), (Season.SUMMER, 7, 1, 1))

PLAN_REVIEW = "provision.plan_review"
PARENT_MEETING = "provision.parent_meeting"
PLAN_REVIEW_RULE = "The review date the support plan sets (CoP 6.54 to 6.56; policy section 6)."
PARENT_MEETING_RULE = (
    "Meet parents of pupils on SEN support at least three times a year: one meeting a term, due by the last "
    "day of term (CoP 6.65; policy section 10)."
)


# --- Settings, subjects and assessment points -----------------------------------------------------------


def settings_for(school: School) -> SchoolSettings:
    """The school's progress settings, created with the documented defaults when first needed."""
    found, _ = SchoolSettings.objects.get_or_create(school=school)
    return found


def school_settings_save(*, school_settings: SchoolSettings, actor: AbstractBaseUser) -> SchoolSettings:
    """Save the SENCO's thresholds (built, not saved, by SchoolSettingsForm)."""
    with audited(actor):
        school_settings.full_clean()
        school_settings.thresholds()  # refuses settings that make no sense
        school_settings.save()
    return school_settings


def subjects_for(school: School) -> QuerySet[Subject]:
    """The school's active subjects; reading, writing and maths are created the first time none exist."""
    if not Subject.objects.filter(school=school).exists():
        with transaction.atomic():
            for ordering, name in enumerate(DEFAULT_SUBJECTS):
                Subject.objects.get_or_create(school=school, name=name, defaults={"ordering": ordering})
    return Subject.objects.filter(school=school, is_active=True)


def subject_add(*, school: School, name: str, actor: AbstractBaseUser) -> Subject:
    subjects_for(school)
    with audited(actor):
        if Subject.objects.filter(school=school, name__iexact=name.strip()).exists():
            raise ValidationError({"name": "The school already has a subject of that name."})
        ordering = (Subject.objects.filter(school=school).aggregate(m=Max("ordering"))["m"] or 0) + 1
        subject = Subject(school=school, name=name.strip(), ordering=ordering)
        subject.full_clean()
        subject.save()
    return subject


def assessment_points_ensure(*, school: School, academic_year: int) -> list[AssessmentPoint]:
    """The autumn, spring and summer points of one academic year, created on first need."""
    label = academic_year_label(date(academic_year, 9, 1))
    points = []
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


def assessment_point_add(*, school: School, name: str, assessed_on: date, actor: AbstractBaseUser) -> AssessmentPoint:
    """One of the school's own assessment points; it takes its place among the others by date."""
    from send_mis.dates import academic_year_start

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

ScoreKey = tuple[object, object]  # (pupil_id, subject_id)


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
    actor: AbstractBaseUser,
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
        for key, value in values.items():
            current = existing.get(key)
            if value is None:
                if current is not None:
                    current.delete()
                    deleted += 1
            elif current is None:
                ProgressScore.objects.create(
                    pupil_id=key[0], subject_id=key[1], point=point, score=value, entered_by=actor
                )
                created += 1
            elif current.score != value:
                current.score = value
                current.entered_by = actor
                current.save(update_fields=["score", "entered_by", "entered_at"])
                updated += 1
        changes = ScoreChanges(created, updated, deleted)
        if recompute and changes.total:
            years = set(Pupil.objects.filter(pk__in=pupil_ids).values_list("year_group", flat=True))
            flags_compute(school=point.school, year_groups=years, today=timezone.localdate())
    return changes


@dataclass(frozen=True)
class ImportRow:
    line: int
    pupil_id: object
    subject_id: object
    point: AssessmentPoint
    score: Decimal


def scores_import(*, school: School, rows: Iterable[ImportRow], actor: AbstractBaseUser) -> ScoreChanges:
    """Import checked CSV rows (provision.imports): scores are grouped by point and saved as grids."""
    by_point: dict[AssessmentPoint, dict[ScoreKey, Decimal | None]] = defaultdict(dict)
    for row in rows:
        by_point[row.point][(row.pupil_id, row.subject_id)] = row.score
    created = updated = 0
    with audited(actor):
        for point, values in by_point.items():
            changes = scores_save(point=point, values=values, actor=actor, recompute=False)
            created += changes.created
            updated += changes.updated
        if by_point:
            flags_compute(school=school, today=timezone.localdate())
    return ScoreChanges(created, updated, 0)


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
    thresholds = settings_for(school).thresholds()
    subjects = list(subjects_for(school))
    pupils = Pupil.objects.filter(school=school).on_roll(today)
    if year_groups is not None:
        pupils = pupils.filter(year_group__in=list(year_groups))
    year_of = dict(pupils.values_list("pk", "year_group"))
    points = {p.pk: p for p in AssessmentPoint.objects.filter(school=school)}
    scores: dict[object, dict[object, dict[object, float]]] = defaultdict(lambda: defaultdict(dict))
    # The school's scores by a plain join, kept for the pupils in `year_of`: an IN (subquery) of the roll
    # misleads the planner at 20,000 pupils.
    # Scores come as floats from the database (no Decimal per row).
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


def flag_dismiss(*, flag: ProgressFlag, reason: str, actor: AbstractBaseUser) -> ProgressFlag:
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
    actor: AbstractBaseUser,
) -> SenConcern:
    """Raise an SEN concern from a flag (pupils.services.concern_raise); the SENCO triages it as usual."""
    with audited(actor):
        flag = ProgressFlag.objects.select_for_update().select_related("pupil").get(pk=flag.pk)
        if flag.concern_id:
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


# --- Support plans ----------------------------------------------------------------------------------------


def class_teacher(pupil: Pupil):
    """The person responsible for a pupil's plan reviews and meetings: the first teacher of their class."""
    if not pupil.school_class_id:
        return None
    return pupil.school_class.teachers.order_by("pk").first()


def support_plan_start(
    *, pupil: Pupil, started_on: date, actor: AbstractBaseUser, flag: ProgressFlag | None = None
) -> SupportPlan:
    """Start SEN support for a pupil: a plan with its first cycle at the assess stage. A pupil has one open
    plan: starting again returns it. The SEND register is the SENCO's to change and is not touched."""
    with audited(actor):
        plan = SupportPlan.objects.filter(pupil=pupil, ended_on__isnull=True).first()
        if plan is None:
            plan = SupportPlan(pupil=pupil, started_on=started_on, flag=flag, created_by=actor)
            plan.full_clean()
            plan.save()
            Cycle.objects.create(plan=plan, number=1)
        if flag is not None and flag.status == FlagStatus.OPEN:
            flag.status = FlagStatus.PLAN_STARTED
            flag.actioned_by = actor
            flag.actioned_at = timezone.now()
            flag.save()
    return plan


def plan_parents_told(*, plan: SupportPlan, told_on: date, how: str, actor: AbstractBaseUser) -> SupportPlan:
    """Record when and how parents were told that SEN provision started (policy section 2)."""
    with audited(actor):
        plan.parents_told_on = told_on
        plan.parents_told_how = how.strip()
        plan.full_clean()
        plan.save(update_fields=["parents_told_on", "parents_told_how"])
    return plan


# The note written on the last cycle when a plan ends: it keeps the reason in the plan's record and the
# SEND history (SupportPlan has no end-reason field of its own).


def _refuse_if_ended(plan: SupportPlan) -> None:
    if plan.ended_on is not None:
        raise ValidationError(
            f"This support plan ended on {plan.ended_on:%-d %B %Y}; start a new support plan instead."
        )


def support_plan_end(*, plan: SupportPlan, ended_on: date, reason: str, actor: AbstractBaseUser) -> SupportPlan:
    """End a support plan (the pupil no longer needs it, or the support moves to an EHC plan). Its open review
    deadline is excused with the reason; the reason is kept as a dated note on the last cycle, so every cycle
    and the reason stay in the SEND history. Ending again on the same day changes nothing. The SEND register
    is the SENCO's to change and is not touched."""
    reason = (reason or "").strip()
    if plan.ended_on is not None:
        if plan.ended_on == ended_on:
            return plan
        raise ValidationError({"ended_on": f"This support plan already ended on {plan.ended_on:%-d %B %Y}."})
    errors = {}
    if not reason:
        errors["reason"] = "Say why the support plan is ending."
    if ended_on > timezone.localdate():
        errors["ended_on"] = "The date the plan ended cannot be in the future."
    elif ended_on < plan.started_on:
        errors["ended_on"] = f"The plan cannot end before it started on {plan.started_on:%-d %B %Y}."
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        current = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        if current.ended_on is not None:  # ended by a concurrent request
            return current
        plan.ended_on, plan.end_reason = ended_on, reason
        plan.full_clean()
        plan.save(update_fields=["ended_on", "end_reason"])
        excuse = f"Support plan ended on {ended_on:%-d %B %Y}: {reason}"
        for deadline in Deadline.objects.filter(
            source_type=ContentType.objects.get_for_model(Cycle),
            source_id__in=[str(pk) for pk in plan.cycles.values_list("pk", flat=True)],
            kind=PLAN_REVIEW,
            status=DeadlineStatus.OPEN,
        ):
            deadline_services.deadline_excuse(deadline=deadline, reason=excuse)
    return plan


ASSESS_FIELDS = (
    "needs_communication",
    "needs_cognition",
    "needs_semh",
    "needs_sensory",
    "assessment_evidence",
    "pupil_views",
    "parent_views",
)


def cycle_assess(*, cycle: Cycle, data: Mapping[str, str], actor: AbstractBaseUser) -> Cycle:
    """Assess: needs by broad area, the evidence, and the pupil's and parents' views."""
    _refuse_if_ended(cycle.plan)
    if cycle.is_reviewed:
        raise ValidationError("This cycle has been reviewed; work in the next cycle.")
    if not any((data.get(f) or "").strip() for f in ASSESS_FIELDS[:4]):
        raise ValidationError("Describe the pupil's needs in at least one broad area.")
    with audited(actor):
        for name in ASSESS_FIELDS:
            setattr(cycle, name, (data.get(name) or "").strip())
        cycle.full_clean()
        cycle.save()
    return cycle


@dataclass(frozen=True)
class OutcomeInput:
    description: str
    success_measure: str


@dataclass(frozen=True)
class SupportInput:
    description: str
    delivered_by: str
    frequency: str
    starts_on: date


def cycle_plan(
    *,
    cycle: Cycle,
    adjustments: str,
    expected_impact: str,
    review_on: date,
    outcomes: list[OutcomeInput],
    supports: list[SupportInput],
    actor: AbstractBaseUser,
) -> Cycle:
    """Plan: outcomes (each specific and measurable), adjustments, interventions and support, the expected
    impact and a review date, which opens the plan-review deadline (responsible: the class teacher). A
    changed plan needs the SENCO's agreement again."""
    _refuse_if_ended(cycle.plan)
    if cycle.is_reviewed:
        raise ValidationError("This cycle has been reviewed; work in the next cycle.")
    if not outcomes:
        raise ValidationError("Add at least one outcome, with how you will measure it.")
    if review_on <= cycle.plan.started_on:
        raise ValidationError({"review_on": "The review date must be after the plan started."})
    with audited(actor):
        cycle.adjustments = adjustments.strip()
        cycle.expected_impact = expected_impact.strip()
        cycle.review_on = review_on
        cycle.planned_by = actor
        cycle.agreed_by = None
        cycle.agreed_at = None
        cycle.full_clean()
        cycle.save()
        cycle.outcomes.all().delete()
        cycle.supports.all().delete()
        for position, item in enumerate(outcomes):
            Outcome.objects.create(
                cycle=cycle, position=position, description=item.description, success_measure=item.success_measure
            )
        for position, item in enumerate(supports):
            Support.objects.create(
                cycle=cycle,
                position=position,
                description=item.description,
                delivered_by=item.delivered_by,
                frequency=item.frequency,
                starts_on=item.starts_on,
            )
        pupil = cycle.plan.pupil
        deadline_services.deadline_open(
            source=cycle,
            kind=PLAN_REVIEW,
            pupil=pupil,
            due_on=review_on,
            title="Support plan review",
            rule=PLAN_REVIEW_RULE,
            responsible=class_teacher(pupil),
        )
    return cycle


def cycle_agree(*, cycle: Cycle, actor: AbstractBaseUser) -> Cycle:
    """The SENCO agrees the plan. Agreeing twice changes nothing."""
    if not cycle.is_planned:
        raise ValidationError("There is no plan to agree yet.")
    with audited(actor):
        if cycle.agreed_at is None:
            cycle.agreed_by = actor
            cycle.agreed_at = timezone.now()
            cycle.save(update_fields=["agreed_by", "agreed_at"])
    return cycle


def cycle_note_add(*, cycle: Cycle, written_on: date, text: str, actor: AbstractBaseUser) -> CycleNote:
    """Do: a dated note from someone delivering the plan."""
    _refuse_if_ended(cycle.plan)
    with audited(actor):
        note = CycleNote(cycle=cycle, written_on=written_on, text=text.strip(), author=actor)
        note.full_clean()
        note.save()
    return note


@dataclass(frozen=True)
class OutcomeReview:
    outcome_id: object
    progress: str
    evidence: str


def cycle_review(
    *,
    cycle: Cycle,
    reviewed_on: date,
    outcome_reviews: list[OutcomeReview],
    impact: str,
    pupil_views: str,
    parent_views: str,
    next_steps: str,
    actor: AbstractBaseUser,
) -> Cycle:
    """Review: progress on each outcome with its evidence, the impact, the pupil's and parents' views and the
    next steps. Closes the review deadline and opens the next cycle, pre-filled from this one (needs,
    adjustments, support, and the outcomes not yet achieved). Returns the new cycle."""
    with audited(actor):
        cycle = Cycle.objects.select_for_update().select_related("plan__pupil").get(pk=cycle.pk)
        if cycle.is_reviewed:
            return cycle.plan.cycles.get(number=cycle.number + 1)
        _refuse_if_ended(cycle.plan)  # an ended plan gets no new cycle
        if not cycle.is_planned:
            raise ValidationError("Plan the cycle before reviewing it.")
        by_id = {str(o.pk): o for o in cycle.outcomes.all()}
        given = {str(r.outcome_id): r for r in outcome_reviews}
        if set(given) != set(by_id):
            raise ValidationError("Record progress on every outcome.")
        for key, outcome in by_id.items():
            outcome.progress = given[key].progress
            outcome.progress_evidence = given[key].evidence.strip()
            outcome.full_clean()
            outcome.save()
        cycle.reviewed_on = reviewed_on
        cycle.impact = impact.strip()
        cycle.review_pupil_views = pupil_views.strip()
        cycle.review_parent_views = parent_views.strip()
        cycle.next_steps = next_steps.strip()
        cycle.reviewed_by = actor
        cycle.full_clean()
        cycle.save()
        deadline_services.deadline_close(source=cycle, kind=PLAN_REVIEW, met_on=reviewed_on)
        following = Cycle.objects.create(
            plan=cycle.plan,
            number=cycle.number + 1,
            **{name: getattr(cycle, name) for name in ASSESS_FIELDS if name not in ("pupil_views", "parent_views")},
            pupil_views=cycle.review_pupil_views,
            parent_views=cycle.review_parent_views,
            adjustments=cycle.adjustments,
            expected_impact=cycle.expected_impact,
        )
        for outcome in by_id.values():
            if outcome.progress != "achieved":
                Outcome.objects.create(
                    cycle=following,
                    position=outcome.position,
                    description=outcome.description,
                    success_measure=outcome.success_measure,
                )
        for support in cycle.supports.all():
            Support.objects.create(
                cycle=following,
                position=support.position,
                description=support.description,
                delivered_by=support.delivered_by,
                frequency=support.frequency,
                starts_on=support.starts_on,
            )
    return following


# --- Parent meetings --------------------------------------------------------------------------------------


def _term_dates(school_id) -> list[tuple[date, date]]:
    from pupils.models import Term

    return list(Term.objects.filter(school_id=school_id).values_list("starts_on", "ends_on"))


def _termly_meeting_open(pupil: Pupil, term: term_rules.SchoolTerm) -> TermlyMeeting:
    termly, _ = TermlyMeeting.objects.get_or_create(
        pupil=pupil, academic_year=term.academic_year, season=term.season, defaults={"due_on": term.ends_on}
    )
    deadline_services.deadline_open(
        source=termly,
        kind=PARENT_MEETING,
        pupil=pupil,
        due_on=term.ends_on,
        title=f"{term.season.capitalize()} term parent meeting (SEN support)",
        rule=PARENT_MEETING_RULE,
        responsible=class_teacher(pupil),
    )
    return termly


def _on_sen_support(pupil: Pupil, on: date) -> bool:
    return RegisterEntry.objects.filter(
        pupil=pupil, ended_on__isnull=True, status=RegisterStatus.SEN_SUPPORT, started_on__lte=on
    ).exists()


def parent_meetings_schedule(*, school: School, today: date) -> int:
    """Open this term's parent-meeting deadline for every pupil on SEN support (run daily; repeating it
    changes nothing). A meeting already held this term closes the deadline at once. Returns pupils seen."""
    term = term_rules.term_containing(_term_dates(school.pk), today)
    pupils = (
        Pupil.objects.filter(school=school)
        .on_roll(today)
        .filter(register_entries__ended_on__isnull=True, register_entries__status=RegisterStatus.SEN_SUPPORT)
        .select_related("school_class")
    )
    count = 0
    for pupil in pupils:
        with transaction.atomic():
            termly = _termly_meeting_open(pupil, term)
            if termly.meeting_id is None:
                held = (
                    ParentMeeting.objects.filter(pupil=pupil, held_on__gte=term.starts_on, held_on__lte=term.ends_on)
                    .order_by("held_on")
                    .first()
                )
                if held is not None:
                    termly.meeting = held
                    termly.save(update_fields=["meeting"])
                    deadline_services.deadline_close(source=termly, kind=PARENT_MEETING, met_on=held.held_on)
        count += 1
    return count


def parent_meeting_record(
    *,
    pupil: Pupil,
    held_on: date,
    attendees: str,
    outcomes: str,
    actions_agreed: str = "",
    shared_with_parents_on: date | None = None,
    actor: AbstractBaseUser,
) -> ParentMeeting:
    """Record a meeting with parents; for a pupil on SEN support it meets that term's meeting deadline."""
    if shared_with_parents_on and shared_with_parents_on < held_on:
        raise ValidationError({"shared_with_parents_on": "The notes cannot be shared before the meeting."})
    with audited(actor):
        meeting = ParentMeeting(
            pupil=pupil,
            held_on=held_on,
            attendees=attendees.strip(),
            outcomes=outcomes.strip(),
            actions_agreed=actions_agreed.strip(),
            shared_with_parents_on=shared_with_parents_on,
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        if _on_sen_support(pupil, held_on):
            term = term_rules.term_containing(_term_dates(pupil.school_id), held_on)
            termly = _termly_meeting_open(pupil, term)
            if termly.meeting_id is None:
                termly.meeting = meeting
                termly.save(update_fields=["meeting"])
            deadline_services.deadline_close(source=termly, kind=PARENT_MEETING, met_on=held_on)
    return meeting


# --- Passports and the progress check at two -------------------------------------------------------------


def passport_write(
    *,
    pupil: Pupil,
    important_to_me: str,
    like_and_admire: str,
    how_to_support: str,
    in_own_words: bool,
    actor: AbstractBaseUser,
) -> Passport:
    """Write a new version of the pupil's passport; earlier versions are kept. Saving the same words again
    changes nothing."""
    with audited(actor):
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        current = pupil.passports.order_by("-version").first()
        words = (important_to_me.strip(), like_and_admire.strip(), how_to_support.strip(), in_own_words)
        if current is not None and words == (
            current.important_to_me,
            current.like_and_admire,
            current.how_to_support,
            current.in_own_words,
        ):
            return current
        passport = Passport(
            pupil=pupil,
            version=(current.version + 1) if current else 1,
            important_to_me=words[0],
            like_and_admire=words[1],
            how_to_support=words[2],
            in_own_words=in_own_words,
            created_by=actor,
        )
        passport.full_clean()
        passport.save()
    return passport


def progress_check_two_record(
    *,
    pupil: Pupil,
    checked_on: date,
    strengths: str,
    less_than_expected: str = "",
    concerns: str = "",
    planned_response: str = "",
    shared_with_parents_on: date | None = None,
    actor: AbstractBaseUser,
) -> ProgressCheckTwo:
    """The progress check at age two for a nursery child (EYFS statutory framework)."""
    if pupil.year_group >= 0:
        raise ValidationError("The progress check at age two is for children in the nursery.")
    if shared_with_parents_on and shared_with_parents_on < checked_on:
        raise ValidationError({"shared_with_parents_on": "The check cannot be shared before it was made."})
    with audited(actor):
        check = ProgressCheckTwo(
            pupil=pupil,
            checked_on=checked_on,
            strengths=strengths.strip(),
            less_than_expected=less_than_expected.strip(),
            concerns=concerns.strip(),
            planned_response=planned_response.strip(),
            shared_with_parents_on=shared_with_parents_on,
            recorded_by=actor,
        )
        check.full_clean()
        check.save()
    return check
