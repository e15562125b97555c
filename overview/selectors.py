"""Reads that span areas: the SEND history merges each layer's own events.

Also an EHC plan's section F, specified against the provision delivered this term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum

from deadlines import selectors as deadline_selectors
from deadlines.access import deadlines_visible_to
from deadlines.models import DeadlineStatus
from deadlines.school_duties import PARENTS_TOLD
from ehc import selectors as ehc_selectors
from ehc.models import EhcPlan
from provision import access as provision_access
from provision import selectors as provision_selectors
from provision.models import Attendance, SessionStatus
from provision.terms import SchoolTerm, term_containing
from pupils import access, history
from pupils import selectors as pupil_selectors
from pupils.history import HistoryEvent
from pupils.models import Pupil, School, Term
from send_mis import statements
from send_mis.paging import counted_rows, rows_and_count_of

from . import links, section_f
from .models import SectionFLine


def send_history(pupil: Pupil, *, today: date) -> list[HistoryEvent]:
    """Everything on the pupil's SEND record in date order, oldest first: register entries and concerns,
    flags, support plans and their cycles, parent meetings, checks at two, passports, EHC events (worded as the
    EHC timeline) and deadlines with their state today. The evidence the policy (s.17) asks the school to keep
    of the support given over the pupil's time in the school and its impact."""
    events = [
        *history.history_events(pupil),
        *provision_selectors.history_events(pupil),
        *ehc_selectors.history_events(pupil),
        *deadline_selectors.history_events(pupil, today=today),
    ]
    return sorted(events, key=lambda event: (event.on, event.kind))


@dataclass
class LineDelivery:
    line: SectionFLine
    delivery: section_f.Delivery


def specified_vs_delivered(plan: EhcPlan, *, today: date) -> tuple[SchoolTerm, list[LineDelivery]]:
    """Each section F line of the plan with the minutes owed so far this term and the minutes of sessions the
    pupil attended in the provisions linked to it. Three queries, whatever the number of lines or sessions."""
    terms = list(Term.objects.filter(school_id=plan.pupil.school_id).values_list("starts_on", "ends_on"))
    term = term_containing(terms, today)
    up_to = min(today, term.ends_on)
    weeks = section_f.school_weeks(terms or [(term.starts_on, term.ends_on)], term.starts_on, up_to)
    lines = list(plan.section_f_lines.prefetch_related("provisions"))
    attended = {
        (row["session__group__provision_id"]): row["minutes"]
        for row in Attendance.objects.filter(
            pupil_id=plan.pupil_id,
            is_present=True,
            session__status=SessionStatus.DELIVERED,
            session__held_on__range=(term.starts_on, up_to),
        )
        .values("session__group__provision_id")
        .annotate(minutes=Sum("session__minutes", filter=Q(is_present=True)))
    }
    rows = []
    for line in lines:
        delivered = sum(attended.get(p.pk, 0) for p in line.provisions.all())
        rows.append(
            LineDelivery(
                line,
                section_f.compare(minutes_per_week=line.minutes_per_week, weeks=weeks, delivered_minutes=delivered),
            )
        )
    return term, rows


# --- Landing pages: what each role must do next ------------------------------------------------------------------


@dataclass
class Today:
    """The to-do list of one member of staff in one school (their landing page)."""

    duties: deadline_selectors.Duties
    plans_to_confirm: list
    passports: list
    scores: list
    concerns: list
    pupils: list


def today_for(user, school: School, *, today: date) -> Today:
    """The teacher's "Today": the duties they are responsible for (overdue, due in the next 14 days), the EHC
    plans of their pupils they have not confirmed reading, passports to write or refresh, scores owed for the
    current assessment point in the classes they teach, the SEN concerns they raised (awaiting the SENCO, or
    decided lately, with the outcome), and their class. A fixed number of queries, whatever the number of
    pupils (listed in tests/overview/test_today.py)."""
    taught = Pupil.objects.filter(school=school, school_class__teachers=user)
    duties = deadline_selectors.duties_of(user, school, today=today)
    links.Linker(user, school.pk).deadlines([*duties.overdue, *duties.due_soon])
    return Today(
        duties=duties,
        plans_to_confirm=ehc_selectors.plans_to_confirm(user, taught),
        passports=provision_selectors.passports_owed(taught, today=today),
        scores=provision_selectors.scores_owed(
            provision_access.classes_for_scores(user, school).filter(teachers=user), school, today=today
        )[0],
        concerns=list(pupil_selectors.concerns_raised_by(user, school, today=today)),
        pupils=list(pupil_selectors.pupils_taught_by(user, on=today).filter(school=school)),
    )


PANEL_ROWS = 10  # rows shown in each of the SENCO's panels; the heading gives how many there are in all


@dataclass
class SencoPanels:
    """The SENCO's dashboard panels of work to start: pupils on SEN support with no plan, parents not yet told,
    scores missing at the current assessment point. Each holds its first PANEL_ROWS rows and its total."""

    without_plan: list
    without_plan_total: int
    not_told: list
    not_told_total: int
    scores: list
    scores_total: int
    can_enter_scores: bool

    @property
    def without_plan_more(self) -> int:
        return self.without_plan_total - len(self.without_plan)

    @property
    def not_told_more(self) -> int:
        return self.not_told_total - len(self.not_told)

    @property
    def scores_more(self) -> int:
        return self.scores_total - len(self.scores)


def senco_panels(user, school: School, *, today: date, on_sen_support: int | None = None) -> SencoPanels:
    """The dashboard's three panels of work to start; each row shown links to where the work is done, only if
    the user may do it. A fixed number of queries (tests/pupils/test_query_budgets.py), and work for the rows
    shown only: a school with 3,000 pupils on SEN support builds ten rows a panel. With `on_sen_support` (the
    pupils on roll on SEN support, which the dashboard's register counts have already), the pupils without a
    plan are that many less those with one, counted from the plans, and the pupils whose parents are not yet told
    that many less those told, counted from their deadlines, instead of counting either list."""
    linker = links.Linker(user, school.pk)
    without_plan = provision_selectors.pupils_without_plan(school, today=today)
    if on_sen_support is None:
        without, without_total = counted_rows(without_plan, PANEL_ROWS)
    else:
        with_plan = provision_selectors.sen_support_plans(school, today=today)
        without, planned = rows_and_count_of(
            without_plan, PANEL_ROWS, with_plan, key=("overview.without_plan", school.pk, today)
        )
        without_total = on_sen_support - planned if without else 0
    not_told = deadline_selectors.parents_not_told(school, today=today, limit=PANEL_ROWS, on_sen_support=on_sen_support)
    open_plans = (
        provision_selectors.open_plans_by_pupil([row.entry.pupil_id for row in not_told.rows]) if not_told.rows else {}
    )
    for pupil in without:
        pupil.work_link = linker.start_plan(pupil) or linker.pupil(pupil)
    scores, scores_total = provision_selectors.scores_owed(None, school, today=today, limit=PANEL_ROWS)
    return SencoPanels(
        without_plan=without,
        without_plan_total=without_total,
        not_told=[
            deadline_selectors.ParentsToldRow(
                row.entry,
                row.due_on,
                row.state,
                linker.start_plan(row.entry.pupil, open_plans.get(row.entry.pupil_id)) or linker.pupil(row.entry.pupil),
            )
            for row in not_told.rows
        ],
        not_told_total=not_told.total,
        scores=scores,
        scores_total=scores_total,
        can_enter_scores=linker.is_senco,
    )


@dataclass
class HeadPanels:
    """What needs the head: the school's duties overdue long enough to be escalated to them."""

    escalations: list


def head_panels(user, school: School, *, today: date) -> HeadPanels:
    """The head's panel: escalated school duties, oldest first, each linked to where the work is done."""
    escalated = deadline_selectors.with_warnings(
        deadline_selectors.escalations(school, today=today), today=today, closures=school.closures()
    )
    links.Linker(user, school.pk).deadlines(escalated)
    return HeadPanels(escalations=escalated)


# --- The pupil's one-page SEND summary ---------------------------------------------------------------------------


@dataclass
class PupilSummary:
    """What the pupil page shows at a glance; each part only where the user may see it (the caller passes what
    the areas' access modules allow)."""

    ehc_version: object
    support: provision_selectors.SupportSummary
    passport: object
    healthcare: list
    duties: list
    not_told: list


def pupil_summary(user, pupil: Pupil, *, today: date, sees_ehc_plan: bool) -> PupilSummary:
    """The one-page SEND summary: the EHC plan's outcomes (for those who may read its summary), the support
    plan's current outcomes and support, the provision the pupil receives, open progress flags, the passport,
    healthcare plans, and the open duties the user may see (the next review, anything overdue) with the
    parents-told duty as soon as SEN support starts. A fixed number of queries."""
    open_duties = (
        deadlines_visible_to(user)
        .filter(pupil=pupil, status=DeadlineStatus.OPEN)
        .select_related("responsible")
        .order_by("due_on", "kind")
    )
    duties = deadline_selectors.with_warnings(
        # The statement is built from the user's roles: they are in its key with the user.
        statements.rows(open_duties, key=("overview.duties", pupil.pk, user.pk, access.roles_of(user).key)),
        today=today,
        closures=pupil.school.closures(),
    )
    for duty in duties:
        duty.pupil = pupil  # all this pupil's: the links below read it, and would load it once per duty
    opened = {d.source_id for d in duties if d.kind == PARENTS_TOLD.key}
    not_told = [
        row
        for row in deadline_selectors.parents_not_told(pupil.school, today=today, pupil=pupil).rows
        if str(row.entry.pk) not in opened
    ]
    links.Linker(user, pupil.school_id).deadlines(duties)
    return PupilSummary(
        ehc_version=ehc_selectors.plan_at_a_glance(pupil) if sees_ehc_plan else None,
        support=provision_selectors.support_summary(pupil, today=today),
        passport=provision_selectors.current_passport(pupil),
        healthcare=statements.rows(
            pupil.healthcare_plans.filter(ended_on__isnull=True).order_by("condition"),
            key=("overview.healthcare_plans", pupil.pk),
        ),
        duties=duties,
        not_told=not_told,
    )
