"""Reads of the graduated approach, scoped by the user asking (pupils/access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from deadlines import school_duties
from deadlines import selectors as deadline_selectors
from pupils.access import roles_of
from pupils.history import HistoryEvent, day_of
from pupils.models import Pupil, PupilQuerySet, RegisterStatus, School, SchoolClass, Term, on_roll_q
from send_mis import statements

from . import terms as term_rules
from .access import provision_pupils_in_view
from .kinds import HEALTHCARE_PLAN_REVIEW, PARENT_MEETING_KEY, PLAN_REVIEW
from .models import (
    Allocation,
    AssessmentPoint,
    Cycle,
    FlagStatus,
    ParentMeeting,
    Passport,
    ProgressFlag,
    ProgressScore,
    SchoolSettings,
    Subject,
    SupportPlan,
)


def settings_for(school: School) -> SchoolSettings:
    """The school's progress settings: the saved ones, else the documented defaults (unsaved, so a page that
    reads them writes nothing; saving the settings form creates the row)."""
    return SchoolSettings.objects.filter(school=school).first() or SchoolSettings(school=school)


def subjects_for(school: School) -> QuerySet[Subject]:
    """The school's active subjects, in their order (created with the school by school_defaults_ensure)."""
    return Subject.objects.filter(school=school, is_active=True)


def class_pupils(school_class: SchoolClass, *, on: date) -> QuerySet[Pupil]:
    return Pupil.objects.filter(school_class=school_class).on_roll(on).order_by("legal_surname", "legal_forename")


def scores_for(pupils: list[Pupil], point: AssessmentPoint) -> dict[tuple, Decimal]:
    return {
        (pupil_id, subject_id): score
        for pupil_id, subject_id, score in ProgressScore.objects.filter(
            point=point, pupil__in=[p.pk for p in pupils]
        ).values_list("pupil_id", "subject_id", "score")
    }


def _listed_pupils(user, school: School, filters: dict, today: date) -> PupilQuerySet:
    """The pupils the flag list may show: on roll `today`, by the list's pupil filters (year group, class)."""
    pupils = provision_pupils_in_view(user, school).on_roll(today)
    if filters.get("year_group") is not None:
        pupils = pupils.filter(year_group=filters["year_group"])
    if filters.get("school_class"):
        pupils = pupils.filter(school_class=filters["school_class"])
    return pupils


def flag_list_key(user, school: School, filters: dict, *, today: date) -> tuple:
    """What the flag list's statements are built from, as a key for keeping them (send_mis/statements.py): the
    school, the user and the roles their view of it comes from, the day (pupils on roll today) and the filters
    (a chosen subject, point or class by its id)."""
    return (
        "provision.flag_list",
        school.pk,
        user.pk,
        roles_of(user).key,
        today,
        statements.chosen(filters),
    )


def _flag_filters(filters: dict) -> dict:
    return {name: filters[name] for name in ("status", "subject", "point") if filters.get(name)}


def flags_in_view(user, school: School, *, today: date, filters: dict | None = None) -> QuerySet[ProgressFlag]:
    """The flags of pupils on roll `today` that the user's list shows: the school for the SENCO, head and DSL, a
    teacher's own classes."""
    filters = filters or {}
    flags = ProgressFlag.objects.filter(
        pupil__in=_listed_pupils(user, school, filters, today).values("pk"), **_flag_filters(filters)
    )
    return flags.select_related("pupil", "pupil__school_class", "subject", "point").order_by(
        "-point__assessed_on", "pupil__legal_surname", "pupil__legal_forename", "subject__ordering"
    )


def flagged_pupils(user, school: School, *, today: date, filters: dict | None = None) -> PupilQuerySet:
    """The pupils with a flag the user's list shows, by name: the flag list pages by pupil, not by flag. One
    level of query, the flags as EXISTS, never pupils within flags within pupils: with row counts the
    planner has wrong (statistics not yet gathered), that nesting was planned as loops within loops."""
    filters = filters or {}
    flagged = ProgressFlag.objects.filter(pupil=OuterRef("pk"), **_flag_filters(filters))
    return (
        _listed_pupils(user, school, filters, today)
        .filter(Exists(flagged))
        .select_related("school_class")
        .order_by("legal_surname", "legal_forename", "pk")
    )


@dataclass(frozen=True)
class PupilFlags:
    pupil: Pupil
    flags: list[ProgressFlag]


def flags_by_pupil(flags: QuerySet[ProgressFlag], pupils: list[Pupil], *, key: tuple) -> list[PupilFlags]:
    """One page of the flag list: each pupil with their flags, one row per subject (latest point first).
    One query for the page, whatever the number of flags; `key` names the inputs of `flags` (flag_list_key)."""
    grouped: dict = {pupil.pk: [] for pupil in pupils}
    shown = flags.filter(pupil__in=pupils).order_by("subject__ordering", "subject__name", "-point__assessed_on")
    for flag in statements.rows(shown, key=(*key, "flags of", *grouped)):
        grouped[flag.pupil_id].append(flag)
    return [PupilFlags(pupil, grouped[pupil.pk]) for pupil in pupils]


@dataclass(frozen=True)
class Completion:
    """How far a class's scores for one assessment point are entered: every pupil on roll, every active subject."""

    entered: int
    expected: int

    @property
    def state(self) -> str:
        if self.expected and self.entered >= self.expected:
            return "complete"
        return "partial" if self.entered else "empty"

    @property
    def label(self) -> str:
        return {"complete": "Complete", "partial": "Partial", "empty": "Not started"}[self.state]


def score_completion(
    school: School, classes: list[SchoolClass], points: list[AssessmentPoint], *, today: date
) -> dict[tuple, Completion]:
    """For each (class id, point id): scores entered against those expected (the class's pupils on roll today
    times the school's active subjects). Three queries, whatever the number of classes, points or pupils."""
    subjects = Subject.objects.filter(school=school, is_active=True).count()
    on_roll = Pupil.objects.filter(school_class__in=classes).on_roll(today)
    class_sizes = {row["school_class"]: row["n"] for row in on_roll.values("school_class").annotate(n=Count("pk"))}
    entered = {
        (row["pupil__school_class"], row["point"]): row["n"]
        for row in ProgressScore.objects.filter(
            pupil__in=on_roll.values("pk"), point__in=[point.pk for point in points], subject__is_active=True
        )
        .values("pupil__school_class", "point")
        .annotate(n=Count("pk"))
    }
    return {
        (klass.pk, point.pk): Completion(entered.get((klass.pk, point.pk), 0), class_sizes.get(klass.pk, 0) * subjects)
        for klass in classes
        for point in points
    }


@dataclass(frozen=True)
class MeetingPace:
    pupil: Pupil
    held: int
    expected: int
    last_held_on: date | None


def meetings_behind(user, school: School, *, today: date) -> list[MeetingPace]:
    """Pupils on SEN support with fewer parent meetings this academic year than the pace by the end of this
    term (one a term, three a year: CoP 6.65; policy section 10). Three queries."""
    term_dates = list(Term.objects.filter(school=school).values_list("starts_on", "ends_on"))
    expected = term_rules.meetings_expected(term_dates, today)
    year_start = term_rules.school_terms(term_dates, term_rules.academic_year_start(today).year)[0].starts_on
    in_year = Q(
        parent_meetings__held_on__gte=min(year_start, date(year_start.year, 9, 1)), parent_meetings__held_on__lte=today
    )
    pupils = (
        provision_pupils_in_view(user, school)
        .on_roll(today)
        .filter(register_entries__ended_on__isnull=True, register_entries__status=RegisterStatus.SEN_SUPPORT)
        .annotate(
            held=Count("parent_meetings", filter=in_year, distinct=True),
            last_held_on=Subquery(
                ParentMeeting.objects.filter(pupil=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
            ),
        )
        .filter(held__lt=expected)
        .select_related("school_class")
        .order_by("school_class__name", "legal_surname", "legal_forename")
    )
    return [MeetingPace(p, p.held, expected, p.last_held_on) for p in pupils]


def _current_passport():
    return Passport.objects.filter(pupil=OuterRef("pk")).order_by("-version")


def passports_in_view(user, school: School, *, today: date) -> PupilQuerySet:
    """Pupils in the user's view with their current passport prefetched (two queries)."""
    latest_ids = Subquery(_current_passport().values("pk")[:1])
    pupils = (
        provision_pupils_in_view(user, school)
        .on_roll(today)
        .annotate(current_passport_id=latest_ids)
        .select_related("school_class")
        .order_by("school_class__name", "legal_surname", "legal_forename")
    )
    return pupils


def attach_passports(pupils: list[Pupil]) -> list[Pupil]:
    # current_passport_id is annotated by passports_in_view; current_passport is set here for the template.
    ids = [getattr(p, "current_passport_id", None) for p in pupils]
    by_id = {p.pk: p for p in Passport.objects.filter(pk__in=[i for i in ids if i])}
    for pupil, passport_id in zip(pupils, ids, strict=True):
        setattr(pupil, "current_passport", by_id.get(passport_id) if passport_id else None)  # noqa: B010
    return pupils


def current_passport(pupil: Pupil) -> Passport | None:
    latest = pupil.passports.select_related("created_by").order_by("-version")
    return statements.first(latest, key=("provision.current_passport", pupil.pk))


def plans_of(pupil: Pupil) -> QuerySet[SupportPlan]:
    return pupil.support_plans.prefetch_related(
        Prefetch("cycles", queryset=Cycle.objects.prefetch_related("outcomes", "supports").order_by("-number"))
    )


def cycle_detail(cycle: Cycle) -> Cycle:
    return (
        Cycle.objects.select_related("plan", "planned_by", "agreed_by", "reviewed_by")
        .prefetch_related("outcomes", "supports", Prefetch("notes", queryset=_notes()))
        .get(pk=cycle.pk)
    )


def _notes():
    from .models import CycleNote

    return CycleNote.objects.select_related("author")


# --- SEND history -----------------------------------------------------------------------------------------


def history_events(pupil: Pupil) -> list[HistoryEvent]:
    """The graduated approach's part of the SEND history: flags, support plans (start, parents told, each
    cycle planned and reviewed, the end with its reason), places in the provision map (joined, left), parent
    meetings, checks at two and passports. The
    evidence the policy asks the school to keep of support given and its impact."""
    events: list[HistoryEvent] = []
    key = ("provision.history", pupil.pk)
    for flag in statements.rows(pupil.progress_flags.select_related("subject", "point"), key=(*key, "flags")):
        detail = "; ".join(flag.sign_labels)
        if flag.dismissed_reason:
            detail += f". Dismissed: {flag.dismissed_reason}"
        events.append(
            HistoryEvent(
                flag.point.assessed_on,
                "Progress flag",
                f"{flag.subject.name} at {flag.point.name}: {flag.get_status_display()}",
                detail,
            )
        )
    for plan in statements.rows(pupil.support_plans.prefetch_related("cycles__outcomes"), key=(*key, "plans")):
        url = reverse("provision:plan-detail", args=[pupil.pk, plan.pk])
        events.append(HistoryEvent(plan.started_on, "Support plan", "SEN support plan started", "", url))
        if plan.parents_told_on:
            events.append(
                HistoryEvent(
                    plan.parents_told_on,
                    "Support plan",
                    "Parents told SEN provision started",
                    plan.parents_told_how,
                    url,
                )
            )
        for cycle in plan.cycles.all():
            if cycle.review_on and not cycle.is_reviewed:
                outcomes = "; ".join(o.description for o in cycle.outcomes.all())
                events.append(
                    HistoryEvent(
                        day_of(cycle.created_at),
                        "Support plan",
                        f"Cycle {cycle.number} planned; review due {cycle.review_on:%-d %B %Y}",
                        outcomes,
                        url,
                    )
                )
            if cycle.is_reviewed and cycle.reviewed_on:
                achieved = ", ".join(f"{o.description}: {o.get_progress_display()}" for o in cycle.outcomes.all())
                events.append(
                    HistoryEvent(
                        cycle.reviewed_on,
                        "Support plan",
                        f"Cycle {cycle.number} reviewed",
                        f"{cycle.impact} {achieved}".strip(),
                        url,
                    )
                )
        if plan.ended_on:
            events.append(HistoryEvent(plan.ended_on, "Support plan", "SEN support plan ended", plan.end_reason, url))
    for meeting in statements.rows(pupil.parent_meetings.all(), key=(*key, "meetings")):
        events.append(HistoryEvent(meeting.held_on, "Parent meeting", "Meeting with parents", meeting.outcomes))
    for check in statements.rows(pupil.progress_checks_two.all(), key=(*key, "checks")):
        events.append(HistoryEvent(check.checked_on, "Early years", "Progress check at age two", check.strengths))
    maps_url = reverse("maps:pupil", args=[pupil.pk])
    places = Allocation.objects.filter(pupil=pupil).select_related("group__provision")
    for place in statements.rows(places, key=(*key, "places")):
        name = place.group.provision.name
        events.append(HistoryEvent(place.joined_on, "Provision", f"Joined {name}", place.group.name, maps_url))
        if place.left_on:
            events.append(HistoryEvent(place.left_on, "Provision", f"Left {name}", "", maps_url))
    for passport in statements.rows(pupil.passports.all(), key=(*key, "passports")):
        events.append(
            HistoryEvent(day_of(passport.created_at), "Passport", f"Pupil passport version {passport.version}")
        )
    return events


# --- Landing pages and the pupil's one-page summary -------------------------------------------------------------


def current_point(school: School, *, today: date) -> AssessmentPoint | None:
    """The assessment point scores are owed for: the latest one on or before today."""
    points = AssessmentPoint.objects.filter(school=school, assessed_on__lte=today).order_by("-assessed_on")
    return statements.first(points, key=("provision.current_point", school.pk, today))


@dataclass(frozen=True)
class ScoresOwed:
    school_class: SchoolClass
    point: AssessmentPoint
    missing: int
    expected: int


def scores_owed(
    classes: QuerySet[SchoolClass] | None, school: School, *, today: date, limit: int | None = None
) -> tuple[list[ScoresOwed], int]:
    """For each of `classes` (those the user may enter scores for: provision.access.classes_for_scores; None
    for every class of the school, the SENCO's dashboard), the scores still missing at the current assessment
    point: pupils on roll then x active subjects, less the scores entered. Classes with none missing are left
    out; the first `limit` of them by name (all without one), and how many there are. Three queries whatever
    the number of classes or pupils (the point, the subjects, and the classes shown with their counts and the
    total): a school of 700 classes counts in the database and reads the ten rows it shows."""
    point = current_point(school, today=today)
    if point is None:
        return [], 0
    subject_ids = statements.rows(
        subjects_for(school).values_list("pk", flat=True), key=("provision.subjects", school.pk)
    )
    subjects = len(subject_ids)
    day = point.assessed_on
    # The classes as a subquery, not a list of hundreds of ids in each query.
    in_class = {"school_class__isnull": False} if classes is None else {"school_class__in": classes.values("pk")}
    pupils = (
        Pupil.objects.filter(school=school, **in_class)
        .on_roll(day)
        .values("school_class")
        .annotate(n=Count("*"))
        .values("school_class", "n")
    )
    # The same pupils through the scores' own join to them (one join), not a second scan of the pupils behind
    # an IN: the point's scores are tens of thousands in a large school.
    entered = (
        ProgressScore.objects.filter(
            on_roll_q(day, via="pupil__"),
            point=point,
            subject_id__in=subject_ids,
            pupil__school=school,
            **{f"pupil__{name}": value for name, value in in_class.items()},
        )
        .values("pupil__school_class")
        .annotate(n=Count("*"))  # COUNT(*), not of the id: answered from the index (point, subject, pupil)
        .values("pupil__school_class", "n")
    )
    try:
        if classes is None:  # the whole school's: the same SQL for the same school and point all day
            pupils_sql, pupils_params = statements.sql(pupils, key=("provision.on_roll_by_class", school.pk, day))
            entered_sql, entered_params = statements.sql(
                entered, key=("provision.scored_by_class", school.pk, point.pk, day, *subject_ids)
            )
        else:  # the user's classes: the subquery depends on who they are
            pupils_sql, pupils_params = pupils.query.sql_with_params()
            entered_sql, entered_params = entered.query.sql_with_params()
    except EmptyResultSet:  # no classes given (e.g. `.none()` for a user who enters no scores): none owe
        return [], 0
    table = connection.ops.quote_name(SchoolClass._meta.db_table)
    # The class's columns by name, not `c.*`: a statement prepared on a long-lived connection (settings) keeps
    # its result's shape, and a column added by a migration gives a new statement rather than a stale one.
    names = [field.column for field in SchoolClass._meta.concrete_fields if field.column]
    columns = ", ".join(f"c.{connection.ops.quote_name(name)}" for name in names)
    # The two counts per class joined in the database (Django cannot join a query to a grouped subquery), the
    # classes owing anything ordered by name, and how many there are on every row (a window over the rows
    # before the LIMIT); the classes are SchoolClass rows carrying `missing`, `expected` and `total`.
    sql = f"""
        SELECT {columns}, counted.n * %s - COALESCE(scored.n, 0) AS missing, counted.n * %s AS expected,
               COUNT(*) OVER () AS total
        FROM {table} c
        JOIN ({pupils_sql}) counted ON counted.school_class = c.id
        LEFT JOIN ({entered_sql}) scored ON scored.pupil__school_class = c.id
        WHERE counted.n * %s - COALESCE(scored.n, 0) > 0
        ORDER BY c.name, c.id
        {"" if limit is None else "LIMIT %s"}
    """
    params = [subjects, subjects, *pupils_params, *entered_params, subjects, *([] if limit is None else [limit])]
    shown = list(SchoolClass.objects.raw(sql, params))
    # The raw query's extra columns are attributes of each class, unknown to the model's type.
    rows = [ScoresOwed(row, point, row.missing, row.expected) for row in shown]  # type: ignore[attr-defined]
    return rows, shown[0].total if shown else 0  # type: ignore[attr-defined]


def passports_owed(pupils: PupilQuerySet, *, today: date) -> list[Pupil]:
    """Pupils on the SEND register (SEN support or an EHC plan) among `pupils` with no passport, or whose latest
    was written before this academic year began (the policy asks for a passport kept current). Each carries
    `current_passport_on` (None: never written). One query."""
    year_start = term_rules.academic_year_start(today)
    latest_on = Subquery(_current_passport().values("created_at")[:1])
    rows = (
        pupils.on_roll(today)
        .filter(
            register_entries__ended_on__isnull=True,
            register_entries__status__in=[RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN],
        )
        .annotate(current_passport_at=latest_on)
        .filter(Q(current_passport_at__isnull=True) | Q(current_passport_at__date__lt=year_start))
        .select_related("school_class")
        .order_by("school_class__name", "legal_surname", "legal_forename")
    )
    return list(rows)


def sen_support_plans(school: School, *, today: date) -> QuerySet[SupportPlan]:
    """The open support plans of pupils on roll on SEN support: one per such pupil at most (one open plan and
    one open register entry per pupil), so their number subtracted from those on SEN support is how many
    pupils_without_plan lists. A few dozen rows, found from the plans, not the school's pupils."""
    return SupportPlan.objects.filter(
        on_roll_q(today, via="pupil__"),
        ended_on__isnull=True,
        pupil__school=school,
        pupil__register_entries__ended_on__isnull=True,
        pupil__register_entries__status=RegisterStatus.SEN_SUPPORT,
    )


def pupils_without_plan(school: School, *, today: date) -> PupilQuerySet:
    """Pupils on roll on SEN support with no open support plan: the assess-plan-do-review cycle not started
    (CoP 6.44). One query."""
    return (
        Pupil.objects.filter(school=school)
        .on_roll(today)
        .filter(register_entries__ended_on__isnull=True, register_entries__status=RegisterStatus.SEN_SUPPORT)
        .exclude(pk__in=SupportPlan.objects.filter(ended_on__isnull=True).values("pupil_id"))
        .select_related("school_class")
        .order_by("year_group", "legal_surname", "legal_forename")
    )


def open_plans_by_pupil(pupil_ids: list) -> dict:
    """The open support plan of each of these pupils, by pupil id (one query)."""
    plans = SupportPlan.objects.filter(pupil_id__in=pupil_ids, ended_on__isnull=True)
    return {plan.pupil_id: plan for plan in statements.rows(plans, key=("provision.open_plans", *pupil_ids))}


@dataclass(frozen=True)
class SupportSummary:
    plan: SupportPlan | None
    cycle: Cycle | None
    allocations: list
    open_flags: list


def support_summary(pupil: Pupil, *, today: date) -> SupportSummary:
    """What the pupil's one-page summary shows of the graduated approach: the open support plan's latest cycle
    with its outcomes and support, the provision map places held today, and the open progress flags. Five
    queries."""
    key = ("provision.support_summary", pupil.pk)
    open_plans = pupil.support_plans.filter(ended_on__isnull=True).order_by("-started_on")
    plan = statements.first(open_plans, key=(*key, "plan"))
    cycle = None
    if plan is not None:
        cycles = Cycle.objects.filter(plan=plan).prefetch_related("outcomes", "supports").order_by("-number")
        cycle = statements.first(cycles, key=(*key, "cycle", plan.pk))
    places = (
        Allocation.objects.filter(pupil=pupil, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .filter(group__ends_on__gte=today)
        .select_related("group__provision", "group__lead")
        .order_by("group__provision__name")
    )
    allocations = statements.rows(places, key=(*key, "places", today))
    open_flags = (
        ProgressFlag.objects.filter(pupil=pupil, status=FlagStatus.OPEN)
        .select_related("subject", "point")
        .order_by("-point__assessed_on", "subject__ordering")
    )
    flags = statements.rows(open_flags, key=(*key, "flags"))
    return SupportSummary(plan, cycle, allocations, flags)


def sen_support_evidence(pupil: Pupil) -> str:
    """The evidence gathered before SEN support began, as plain text to pre-fill the first assessment: the SEN
    concerns raised (what was noticed, what was tried, the SENCO's decision) and the open progress flags with
    their evidence. Two queries."""
    parts = []
    for concern in pupil.sen_concerns.select_related("raised_by").order_by("raised_at"):
        who = concern.raised_by.get_full_name() or concern.raised_by.username
        text = f"SEN concern raised by {who} on {concern.raised_at:%-d %B %Y}: {concern.description.strip()}"
        if concern.actions_taken.strip():
            text += f"\nTried so far: {concern.actions_taken.strip()}"
        if concern.outcome_reason.strip():
            text += f"\nSENCO's decision: {concern.outcome_reason.strip()}"
        parts.append(text)
    flags = ProgressFlag.objects.filter(pupil=pupil, status=FlagStatus.OPEN).select_related("subject", "point")
    for flag in flags.order_by("point__assessed_on", "subject__ordering"):
        parts.append(f"Progress flag, {flag.subject.name} at {flag.point.name}: " + " ".join(flag.evidence))
    return "\n\n".join(parts)


def with_review_states(cycles: list[Cycle], *, today: date) -> list[Cycle]:
    """Attach `review_deadline` (the plan-review deadline each cycle opened, or None) with its state today, so
    the plan's own page says whether the review is due soon, overdue, met or met late. One query."""
    by_source = {d.source_id: d for d in deadline_selectors.deadlines_for_sources(cycles) if d.kind == PLAN_REVIEW.key}
    for cycle in cycles:
        deadline = by_source.get(str(cycle.pk))
        if deadline is not None:
            deadline.current_state = deadline.state(today)  # type: ignore[attr-defined]
        cycle.review_deadline = deadline  # type: ignore[attr-defined]
    return cycles


def pupil_duties(pupil: Pupil, *, today: date) -> list:
    """The pupil's graduated-approach duties (support plan reviews, termly parent meetings, healthcare plan
    reviews, telling the parents) with their state today and date warnings. Two queries."""
    kinds = {PLAN_REVIEW.key, PARENT_MEETING_KEY, HEALTHCARE_PLAN_REVIEW.key, school_duties.PARENTS_TOLD.key}
    rows = [d for d in deadline_selectors.deadlines_for_pupil(pupil) if d.kind in kinds]
    return deadline_selectors.with_warnings(rows, today=today, closures=pupil.school.closures())
