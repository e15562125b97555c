"""Reads for the EHC pages: a bounded number of queries per page whatever the size of the school.

Callers have already asked pupils/access.py whether the user may see the pupil or school; these functions
only gather what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Model, Prefetch, QuerySet

from deadlines.models import Deadline, DeadlineStatus, Party
from deadlines.selectors import deadlines_for_source, source_ids_by_model
from pupils.history import HistoryEvent
from pupils.models import Pupil, School
from pupils.selectors import register_history
from send_mis import statements
from send_mis.dates import academic_year_start, date_warnings, format_long
from send_mis.text import mid_sentence

from . import kinds, statutory
from .models import (
    PLAN_SECTIONS,
    AnnualReview,
    AssessmentDecision,
    EhcAssessment,
    EhcPlan,
    EhcPlanVersion,
    PhaseTransfer,
    PlanReadConfirmation,
    PlanStatus,
    ReassessmentRequest,
    Recommendation,
)
from .services import invitations_missing_roles, next_review_due


def _closures(school: School) -> list[tuple[date, date]]:
    cached = getattr(school, "_ehc_closures", None)
    if cached is None:
        cached = school.closures()
        school._ehc_closures = cached  # type: ignore[attr-defined]
    return cached


@dataclass
class DeadlineRow:
    """A deadline as a page shows it: its state today and any warning about the due day."""

    deadline: Deadline
    state: str
    state_label: str
    warnings: list[str]

    @property
    def is_ours(self) -> bool:
        return self.deadline.party == Party.SCHOOL


def deadline_rows(deadlines, *, school: School, today: date) -> list[DeadlineRow]:
    closures = _closures(school)
    rows = []
    for deadline in deadlines:
        state = deadline.state(today)
        warnings = date_warnings(deadline.due_on, closures=closures) if deadline.status == DeadlineStatus.OPEN else []
        rows.append(DeadlineRow(deadline, state.value, state.label, warnings))
    return rows


def ehc_deadlines_for_pupil(pupil: Pupil) -> QuerySet[Deadline]:
    return Deadline.objects.filter(pupil=pupil, kind__startswith="ehc.").order_by("due_on", "kind")


def deadlines_for(source, *, school: School, today: date) -> list[DeadlineRow]:
    return deadline_rows(deadlines_for_source(source), school=school, today=today)


# --- Pupil overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    day: date
    text: str
    is_deadline: bool = False
    state: str = ""
    state_label: str = ""
    rule: str = ""
    party: str = ""


def _events(assessments, reassessments, drafts, plans, reviews, disagreements) -> list[TimelineItem]:
    items: list[TimelineItem] = []

    def add(day, text):
        if day is not None:
            items.append(TimelineItem(day, text))

    for a in assessments:
        add(a.requested_on, f"EHC needs assessment requested ({mid_sentence(a.get_requested_by_display())})")
        add(a.la_decision_on, f"LA decision: {mid_sentence(a.get_la_decision_display())}" if a.la_decision else None)
        add(a.advice_received_on, "LA's request for the school's advice received")
        add(a.advice_submitted_on, "School's advice sent to the LA")
        add(a.outcome_on, a.get_outcome_display() if a.outcome else None)
    for r in reassessments:
        add(r.requested_on, "Re-assessment requested")
        add(
            r.la_decision_on,
            f"LA decision on re-assessment: {mid_sentence(r.get_la_decision_display())}" if r.la_decision else None,
        )
    for d in drafts:
        add(d.received_on, "Draft EHC plan received for the school's views")
        add(d.submitted_on, "School's views on the draft plan sent")
    for p in plans:
        for v in p.versions.all():
            add(v.issued_on, f"EHC plan {'issued' if v.number == 1 else 'amended'} (version {v.number}, {p.la_name})")
    for r in reviews:
        if r.held_on:
            add(r.held_on, "Annual review meeting held")
        else:
            add(r.meeting_on, "Annual review meeting scheduled")
        add(r.circulated_on, "Review advice circulated")
        add(r.report_sent_on, "Review report sent")
        add(
            r.la_decision_on,
            f"LA decision after review: {mid_sentence(r.get_la_decision_display())}" if r.la_decision else None,
        )
    for d in disagreements:
        add(d.raised_on, "Disagreement raised")
        add(d.la_contacted_on, "LA contacted about the disagreement")
        add(d.mediation_on, "Mediation")
        add(d.tribunal_on, "Tribunal hearing")
        add(d.resolved_on, "Disagreement resolved")
    return [i for i in items if i.text]


def history_events(pupil: Pupil) -> list[HistoryEvent]:
    """The EHC part of the SEND history, worded exactly as the pupil's EHC timeline."""

    def kept(name: str, queryset: QuerySet) -> list:
        return statements.rows(queryset, key=("ehc.history", name, pupil.pk))

    items = _events(
        kept("assessments", pupil.ehc_assessments.all()),
        kept("reassessments", pupil.ehc_reassessments.all()),
        kept("drafts", pupil.ehc_drafts.all()),
        kept("plans", pupil.ehc_plans.prefetch_related("versions")),
        kept("reviews", AnnualReview.objects.filter(plan__pupil=pupil)),
        kept("disagreements", pupil.ehc_disagreements.all()),
    )
    return [HistoryEvent(item.day, "EHC", item.text) for item in items]


def pupil_overview(pupil: Pupil, *, today: date) -> dict:
    """Everything EHC about one pupil, and a timeline of events and deadlines in date order.
    Queries: assessments, re-assessments, drafts, plans, their versions, reviews, disagreements, deadlines,
    the school's terms (for closure warnings): nine, whatever the pupil's history."""
    school = pupil.school
    assessments = list(pupil.ehc_assessments.all())
    reassessments = list(pupil.ehc_reassessments.all())
    drafts = list(pupil.ehc_drafts.all())
    plans = list(
        pupil.ehc_plans.prefetch_related(Prefetch("versions", queryset=EhcPlanVersion.objects.order_by("-number")))
    )
    reviews = list(AnnualReview.objects.filter(plan__pupil=pupil).select_related("plan").order_by("-meeting_on"))
    disagreements = list(pupil.ehc_disagreements.all())
    deadlines = deadline_rows(ehc_deadlines_for_pupil(pupil), school=school, today=today)
    closures = _closures(school)
    for a in assessments:
        received = a.advice_received_on
        # Shown beside the assessment: whether the LA's request fell in a closure window (reg 5(4)(a)).
        applies = received is not None and statutory.closure_exception_applies(received, closures)
        setattr(a, "closure_exception", applies)  # noqa: B010  (read by the template)
    timeline = _events(assessments, reassessments, drafts, plans, reviews, disagreements)
    timeline += [
        TimelineItem(
            row.deadline.due_on,
            row.deadline.title,
            True,
            row.state,
            row.state_label,
            row.deadline.rule,
            row.deadline.party,
        )
        for row in deadlines
    ]
    timeline.sort(key=lambda item: (item.day, item.is_deadline))
    return {
        "assessments": assessments,
        "reassessments": reassessments,
        "drafts": drafts,
        "plans": plans,
        "active_plan": next((p for p in plans if p.status == PlanStatus.ACTIVE), None),
        "reviews": reviews,
        "disagreements": disagreements,
        "deadlines": deadlines,
        "open_deadlines": [row for row in deadlines if row.deadline.status == DeadlineStatus.OPEN],
        "timeline": timeline,
        "closure_rule": statutory.RULES["closure_exception"],
    }


# --- Plans -------------------------------------------------------------------------------------


def current_version(plan: EhcPlan) -> EhcPlanVersion | None:
    return plan.versions.order_by("-number").first()


def active_plan(pupil: Pupil) -> EhcPlan | None:
    return pupil.ehc_plans.filter(status=PlanStatus.ACTIVE).first()


@dataclass(frozen=True)
class SectionCheck:
    letter: str
    label: str
    is_present: bool


@dataclass(frozen=True)
class AtoKCheck:
    sections: list[SectionCheck]

    @property
    def missing(self) -> list[str]:
        return [s.letter for s in self.sections if not s.is_present]

    @property
    def all_present(self) -> bool:
        return not self.missing


def a_to_k_check(version: EhcPlanVersion | None) -> AtoKCheck:
    """Policy s.13: at each review check that sections A to K are all present and held separately."""
    return AtoKCheck(
        [
            SectionCheck(letter, label, bool(version and getattr(version, field).strip()))
            for field, letter, label in PLAN_SECTIONS
        ]
    )


@dataclass(frozen=True)
class ReportItem:
    label: str
    is_present: bool
    is_required: bool


def report_check(review: AnnualReview) -> list[ReportItem]:
    """What the review report must contain beyond the plan's sections (reg 20(7), (8); CoP 9.176): the
    amendments recommended (required when the recommendation is to amend), any differences of view between
    those present, and, from Year 9, preparation for adulthood and independent living."""
    is_amend = review.recommendation == Recommendation.AMEND
    from_year_9 = review.plan.pupil.year_group >= 9
    return [
        ReportItem("Amendments to the plan recommended", bool(review.recommended_amendments.strip()), is_amend),
        ReportItem("Differences of view between those present", bool(review.differences_of_view.strip()), False),
        ReportItem(
            "Preparation for adulthood and independent living (from Year 9)",
            bool(review.preparation_for_adulthood.strip()),
            from_year_9,
        ),
    ]


def invitation_warnings(review: AnnualReview, invitees: list) -> list[str]:
    """Warnings about the invitations (reg 20(3)): one for each invitee whose letter went by post within two
    days of the last day (notice counts from delivery), naming the role, never the pupil."""
    latest = statutory.invitations_latest(review.meeting_on)
    return [
        f"The invitation to {i.name} ({i.get_role_display()}) went by post on {format_long(i.invited_on)}: it may "
        f"arrive after {format_long(latest)} and give less than two weeks' notice. Send it by email or by hand too."
        for i in invitees
        if i.is_by_post and i.invited_on and statutory.invitations_posted_late(i.invited_on, review.meeting_on)
    ]


def read_confirmations(version: EhcPlanVersion) -> QuerySet[PlanReadConfirmation]:
    return version.read_confirmations.select_related("teacher").order_by("teacher__last_name", "teacher__username")


def last_assessment_on(pupil: Pupil) -> date | None:
    """The day of the pupil's latest EHC needs assessment or re-assessment (reg 24), or None: for an
    assessment the LA carried out, its outcome, else its decision to assess, else the request; for a
    re-assessment the LA agreed, its decision. The latest of them all, never the first."""
    days = [
        outcome_on or decided_on or requested_on
        for outcome_on, decided_on, requested_on in pupil.ehc_assessments.filter(
            la_decision=AssessmentDecision.ASSESS
        ).values_list("outcome_on", "la_decision_on", "requested_on")
    ]
    days += [
        decided_on or requested_on
        for decided_on, requested_on in pupil.ehc_reassessments.filter(
            la_decision=AssessmentDecision.ASSESS
        ).values_list("la_decision_on", "requested_on")
    ]
    return max(days, default=None)


def reassessment_earliest_for(pupil: Pupil) -> date | None:
    """reg 24: the LA may refuse a re-assessment within 6 months of the last assessment or re-assessment
    (``last_assessment_on``: the latest, not the first)."""
    last = last_assessment_on(pupil)
    return statutory.reassessment_earliest(last) if last else None


# --- Annual reviews ----------------------------------------------------------------------------


def review_default_meeting_on(plan: EhcPlan, *, today: date) -> date:
    """A meeting two weeks before the next review is due, but not so soon that two weeks' notice is impossible."""
    last = plan.reviews.filter(held_on__isnull=False).order_by("-held_on").values_list("held_on", flat=True).first()
    due, _suffix = next_review_due(plan, last or plan.issued_on, after_review=last is not None)
    return max(due - timedelta(days=14), today + timedelta(days=15))


def phase_transfer_for(plan: EhcPlan, on: date) -> PhaseTransfer | None:
    """The plan's phase transfer at the end of the academic year containing `on`, if there is one."""
    return plan.phase_transfers.filter(transfer_year=academic_year_start(on).year + 1).first()


def review_workspace(review: AnnualReview, *, today: date) -> dict:
    plan = review.plan
    pupil = plan.pupil
    version = current_version(plan)
    transfer = phase_transfer_for(plan, review.meeting_on)
    invitees = list(review.invitees.all())
    return {
        "review": review,
        "plan": plan,
        "pupil": pupil,
        "version": version,
        "invitees": invitees,
        "roles_not_applicable": list(review.roles_not_applicable.all()),
        "missing_roles": invitations_missing_roles(review),
        "invitation_warnings": invitation_warnings(review, invitees),
        "report_check": report_check(review),
        "advice": list(review.advice.all()),
        "progress": list(review.outcome_progress.all()),
        "deadlines": deadlines_for(review, school=pupil.school, today=today),
        "invitations_latest": statutory.invitations_latest(review.meeting_on),
        "circulation_latest": statutory.advice_circulation_latest(review.meeting_on),
        "report_due": statutory.review_report_due(review.held_on) if review.held_on else None,
        "la_decision_due": statutory.la_review_decision_due(review.held_on) if review.held_on else None,
        "transfer": transfer,
        "transfer_on": transfer.due_on if transfer else None,
        "is_transition": transfer is not None,
        "transfer_deadlines": deadlines_for(transfer, school=pupil.school, today=today) if transfer else [],
        "check": a_to_k_check(version),
        "rules": statutory.RULES,
    }


# --- School-wide -------------------------------------------------------------------------------


def caseload(school: School, *, today: date) -> dict:
    """The school's active plans (a queryset, for the list's pages), assessments in progress and open EHC
    deadlines: three queries."""
    plans = (
        EhcPlan.objects.filter(pupil__school=school, status=PlanStatus.ACTIVE)
        .select_related("pupil", "pupil__school_class")
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    assessments = (
        EhcAssessment.objects.filter(pupil__school=school, outcome="")
        .exclude(la_decision=AssessmentDecision.NOT_ASSESS)
        .select_related("pupil")
        .order_by("requested_on")
    )
    deadlines = (
        Deadline.objects.filter(school=school, kind__startswith="ehc.", status=DeadlineStatus.OPEN)
        .select_related("pupil")
        .order_by("due_on")[:50]
    )
    return {
        "plans": plans,  # kept under ("ehc.caseload", school.pk) by the list's first page: the school is its input
        "assessments": statements.rows(assessments, key=("ehc.caseload.assessments", school.pk)),
        "deadlines": deadline_rows(
            statements.rows(deadlines, key=("ehc.caseload.deadlines", school.pk)), school=school, today=today
        ),
    }


LA_DECISION_KINDS = {
    kinds.LA_ASSESSMENT_DECISION.key: "Decision whether to assess",
    kinds.LA_REASSESSMENT_DECISION.key: "Decision on a re-assessment request",
    kinds.LA_REVIEW_DECISION.key: "Decision after an annual review",
    kinds.LA_TRANSFER_NOTICE.key: "Notice to the family after a plan transferred in",
}
LA_PLAN_KINDS = {
    kinds.LA_FINAL_PLAN.key: "Final EHC plan",
    kinds.LA_NO_PLAN_NOTICE.key: "Notice that no plan will be issued",
    kinds.LA_AMENDED_PLAN.key: "Final amended plan",
    kinds.LA_REASSESSMENT_FINAL_PLAN.key: "Final plan after a re-assessment",
}


@dataclass
class Tally:
    on_time: int = 0
    late: int = 0
    outstanding: int = 0
    overdue: int = 0
    excused: int = 0

    def add(self, deadline: Deadline, today: date) -> None:
        if deadline.status == DeadlineStatus.EXCUSED:
            self.excused += 1
        elif deadline.status == DeadlineStatus.MET:
            if deadline.met_on and deadline.met_on > deadline.due_on:
                self.late += 1
            else:
                self.on_time += 1
        else:
            self.outstanding += 1
            if deadline.due_on < today:
                self.overdue += 1


@dataclass
class LaRow:
    la_name: str
    decisions: Tally = field(default_factory=Tally)
    plans: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)

    @property
    def duties(self) -> list[tuple[str, Tally]]:
        """(label, tally) per duty, in a fixed order; a plain list, as templates must not touch a dict's keys."""
        labels = {**LA_DECISION_KINDS, **LA_PLAN_KINDS}
        return [(labels[kind], self.by_kind[kind]) for kind in labels if kind in self.by_kind]


def la_timeliness(school: School, *, today: date) -> list[LaRow]:
    """Per LA: its decisions and final plans on time, late and outstanding, from the school's deadlines with
    party LA. The LA of each deadline comes from the record that started it (an assessment, a review's plan,
    a re-assessment's plan). Queries: the deadlines, then one per kind of source record: four at most."""
    deadlines = list(Deadline.objects.filter(school=school, party=Party.LA, kind__startswith="ehc."))
    lookups: dict[type[Model], str] = {
        EhcAssessment: "la_name",
        AnnualReview: "plan__la_name",
        ReassessmentRequest: "plan__la_name",
        EhcPlan: "la_name",
    }
    la_of: dict[int, str] = {}
    for model, by_id in source_ids_by_model(deadlines, lookups).items():
        for pk, la_name in model._default_manager.filter(pk__in=list(by_id)).values_list("pk", lookups[model]):
            for deadline in by_id[str(pk)]:
                la_of[id(deadline)] = la_name
    rows: dict[str, LaRow] = {}
    for deadline in deadlines:
        la_name = la_of.get(id(deadline)) or school.la_name
        row = rows.setdefault(la_name, LaRow(la_name))
        if deadline.kind in LA_DECISION_KINDS:
            row.decisions.add(deadline, today)
        elif deadline.kind in LA_PLAN_KINDS:
            row.plans.add(deadline, today)
        else:
            continue
        row.by_kind.setdefault(deadline.kind, Tally()).add(deadline, today)
    return sorted(rows.values(), key=lambda row: row.la_name)


# --- The school's advice, pre-filled -----------------------------------------------------------


def advice_prefill(pupil: Pupil) -> str:
    """A starting draft of the school's advice from the pupil's existing records: the SEND register (needs
    and history) and the SEN concerns raised. Staff edit it before it is sent."""
    lines = [
        f"Year group: {pupil.get_year_group_display()}"
        + (f" (class {pupil.school_class.name})" if pupil.school_class is not None else ""),
        "",
        "Special educational needs (from the SEND register):",
    ]
    history = list(register_history(pupil))
    for entry in history:
        needs = ", ".join(f"{n.name} ({n.code})" for n in (entry.primary_need, entry.secondary_need) if n is not None)
        period = f"from {entry.started_on:%-d %B %Y}" + (f" to {entry.ended_on:%-d %B %Y}" if entry.ended_on else "")
        lines.append(f"- {entry.get_status_display()} {period}" + (f": {needs}" if needs else ""))
    if not history:
        lines.append("- Not on the SEND register.")
    concerns = list(pupil.sen_concerns.order_by("raised_at"))
    if concerns:
        lines += ["", "Concerns raised by staff:"]
        lines += [f"- {c.raised_at:%-d %B %Y}: {c.description.strip()}" for c in concerns]
    lines += [
        "",
        "Strengths and interests:",
        "",
        "What the school has put in place and its impact (assess, plan, do, review):",
        "",
        "Attainment and progress:",
        "",
        "The views of the pupil and their parents:",
        "",
    ]
    return "\n".join(lines)


# --- Landing pages and the pupil's one-page summary -------------------------------------------------------------


def plans_to_confirm(user, pupils: QuerySet[Pupil]) -> list[EhcPlanVersion]:
    """The current version of each active EHC plan of `pupils` (a teacher's own) that `user` has not yet
    confirmed reading (the policy: all who teach the pupil know the plan's needs and outcomes). Each carries
    its plan and pupil. Two queries."""
    versions = (
        EhcPlanVersion.objects.filter(plan__status=PlanStatus.ACTIVE, plan__pupil__in=pupils.values("pk"))
        .select_related("plan__pupil", "plan__pupil__school_class")
        .order_by("plan_id", "-number")
    )
    latest: dict = {}
    for version in versions:
        latest.setdefault(version.plan_id, version)
    confirmed = set(
        PlanReadConfirmation.objects.filter(
            teacher=user, version__in=[v.pk for v in latest.values()], confirmed_at__isnull=False
        ).values_list("version_id", flat=True)
    )
    return sorted(
        (v for v in latest.values() if v.pk not in confirmed),
        key=lambda v: (v.plan.pupil.legal_surname, v.plan.pupil.legal_forename),
    )


def plan_at_a_glance(pupil: Pupil) -> EhcPlanVersion | None:
    """The current version of the pupil's active EHC plan, with its plan (for the one-page summary), or None.
    One query."""
    current = (
        EhcPlanVersion.objects.filter(plan__pupil=pupil, plan__status=PlanStatus.ACTIVE)
        .select_related("plan")
        .order_by("-plan__issued_on", "-number")
    )
    return statements.first(current, key=("ehc.plan_at_a_glance", pupil.pk))
