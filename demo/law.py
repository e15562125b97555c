"""The demo's statutory calendar: each deadline the law work added, at least once, dated from the demo's today.

Phase transfers for the Year 6 plans (and the review brought forward to 14 February), a plan arriving from
another LA, a re-assessment the LA agreed, a review whose five reg 20(2) invitees are all covered, a new plan
whose register entry still says SEN support (the one-click prompt), and the parents-told deadline of a pupil
who went onto SEN support this week, with the others recorded as told. The school's own duties, with no pupil:
the SENCO in her second year in the post with the NPQ for SENCOs under way, and the accessibility plan nearly
three years old (the SEN information report's deadline comes from the governor's approval in demo.reports).
"""

from __future__ import annotations

from datetime import date, timedelta

from deadlines import school_duties
from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineStatus
from ehc import services as ehc
from ehc.models import AnnualReview, AssessmentDecision, EhcPlan, InviteeRole, PlanStatus
from ehc.statutory import add_months
from provision import services as provision
from pupils import school_setup
from pupils import services as pupil_services
from pupils.models import NeedType, Pupil, RegisterEntry, RegisterStatus, School, YearGroup

SECTIONS_NOTE = "Recorded for the demo from the LA's final plan."


def build(*, school: School, users: dict, today: date) -> None:
    """Add the law's new deadlines to the demo school (called once from seed_demo's build)."""
    senco = users["senco"]
    plans = list(
        EhcPlan.objects.filter(pupil__school=school, status=PlanStatus.ACTIVE)
        .select_related("pupil__school")
        .order_by("issued_on", "pk")
    )
    ehc.phase_transfers_open(school=school, today=today)
    _social_care_not_applicable(school, senco)
    not_year_6 = [p for p in plans if p.pupil.year_group != YearGroup.YEAR_6]
    if len(not_year_6) >= 2:
        # a family that moved from Derbyshire three weeks ago: the new LA has 6 weeks to tell them its plans
        ehc.plan_transfer_in_record(
            plan=not_year_6[-1],
            transferred_on=today - timedelta(days=21),
            previous_la_name="Derbyshire",
            la_name="Nottingham City",
            today=today,
            actor=senco,
        )
        # the parents asked for a re-assessment; the LA agreed a month ago: its final plan is due in 10 weeks
        request = ehc.reassessment_request(
            plan=not_year_6[-2],
            requested_by="parent",
            requested_on=today - timedelta(days=44),
            reason="Needs have changed since the plan was written.",
            today=today,
            actor=senco,
        )
        ehc.reassessment_decision_record(
            request=request,
            decision=AssessmentDecision.ASSESS,
            decided_on=today - timedelta(days=30),
            today=today,
            actor=senco,
        )
    _new_plan_still_on_sen_support(school, today, senco)
    _parents_told(school, today, senco)
    _healthcare_plans(school, today, senco)
    _school_level_duties(school, users, today)


def _social_care_not_applicable(school: School, senco) -> None:
    """Every demo review invited the parents, the head, the LA SEN officer and health: record why social care
    does not apply, so the reviews whose invitations went have that deadline met (reg 20(2), (3))."""
    for review in AnnualReview.objects.filter(plan__pupil__school=school):
        ehc.review_role_not_applicable(
            review=review,
            role=InviteeRole.SOCIAL_CARE,
            reason="No social care involvement; the LA's social care team confirmed it need not attend.",
            actor=senco,
        )


def _new_plan_still_on_sen_support(school: School, today: date, senco) -> None:
    """A plan the LA issued ten days ago for a pupil still on SEN support: the plan pages prompt the register."""
    entry = (
        RegisterEntry.objects.filter(
            pupil__school=school,
            ended_on__isnull=True,
            status=RegisterStatus.SEN_SUPPORT,
            pupil__year_group__in=[YearGroup.YEAR_4, YearGroup.YEAR_5],
        )
        .exclude(pupil__ehc_plans__isnull=False)
        .select_related("pupil__school")
        .order_by("started_on", "pk")
        .first()
    )
    if entry is None:
        return
    name = entry.pupil.forename
    ehc.plan_issue(
        pupil=entry.pupil,
        la_name="Nottingham City",
        issued_on=today - timedelta(days=10),
        names_school=True,
        named_school=school.name,
        sections={
            "section_a": f"{name} enjoys drawing and wants to read comics independently.",
            "section_b": "Specific learning difficulty affecting reading and spelling.",
            "section_e": "Reads a book at their level with 95% accuracy\nSpells high-frequency words",
            "section_f": "Daily 20-minute structured literacy session with a trained teaching assistant.",
            "section_i": f"{school.name} (mainstream primary school).",
            "section_k": SECTIONS_NOTE,
        },
        today=today,
        actor=senco,
    )


def _parents_told(school: School, today: date, senco) -> None:
    """Every pupil on SEN support has the parents-told deadline; those who went on it before this term were told
    within a week (recorded as met), and one pupil who went onto SEN support this week is still to be told."""
    monitoring = (
        RegisterEntry.objects.filter(pupil__school=school, ended_on__isnull=True, status=RegisterStatus.MONITORING)
        .order_by("started_on", "pk")
        .first()
    )
    if monitoring is not None:
        pupil_services.register_entry_change(
            entry=monitoring,
            status=RegisterStatus.SEN_SUPPORT,
            primary_need=NeedType.objects.get(code="NSA"),
            secondary_need=None,
            changed_on=max(monitoring.started_on, today - timedelta(days=3)),
            reason="A term of monitoring showed less than expected progress; agreed with the class teacher.",
            actor=senco,
        )
    school_duties.parents_told_deadlines_open(school=school, today=today)
    recent = today - timedelta(days=3)
    for deadline in Deadline.objects.filter(
        school=school, kind=school_duties.PARENTS_TOLD.key, status=DeadlineStatus.OPEN
    ).select_related("source_type"):
        entry = deadline.source
        if entry.started_on < recent:
            deadline_services.deadline_close(
                source=entry, kind=school_duties.PARENTS_TOLD, met_on=entry.started_on + timedelta(days=5)
            )


def _healthcare_plans(school: School, today: date, senco) -> None:
    """Two pupils in 3 Oak with individual healthcare plans: one reviewed last year and due in three weeks, one
    agreed this term."""
    oak = list(Pupil.objects.filter(school=school, school_class__name="3 Oak").order_by("legal_surname", "pk")[:2])
    if len(oak) < 2:
        return
    asthma = provision.healthcare_plan_record(
        pupil=oak[0],
        condition="Asthma (reliever inhaler kept in class)",
        plan_on=add_months(today, -23),
        review_on=add_months(today, -11),
        held_by="Class 3 Oak and the school office",
        today=today,
        actor=senco,
    )
    provision.healthcare_plan_review(
        plan=asthma,
        reviewed_on=add_months(today, -12) + timedelta(days=22),
        next_review_on=add_months(today, 1),
        today=today,
        actor=senco,
    )
    provision.healthcare_plan_record(
        pupil=oak[1],
        condition="Type 1 diabetes",
        plan_on=today - timedelta(days=40),
        review_on=add_months(today - timedelta(days=40), 6),
        held_by="School office; a copy with the trained teaching assistants",
        today=today,
        actor=senco,
    )


def _school_level_duties(school: School, users: dict, today: date) -> None:
    """The SENCO took up the post 15 months ago and began the NPQ for SENCOs this autumn: the head's deadline
    is the third anniversary. The accessibility plan dates from 34 months ago: the next is due in 2 months."""
    head = users["head"]
    school_setup.senco_qualification_save(
        school=school,
        senco=users["senco"],
        took_up_on=add_months(today, -15),
        award="npq_senco",
        begun_on=today - timedelta(days=60),
        completed_on=None,
        today=today,
        actor=head,
    )
    school_setup.accessibility_plan_add(
        school=school,
        plan_on=add_months(today, -34),
        held_by=head,
        published_at="On the school website, under Policies",
        today=today,
        actor=head,
    )
