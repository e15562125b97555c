"""Annual reviews: scheduling, invitations, advice, the meeting, its outcome, the report, the LA's decision."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model

from pupils.services import audited

from .. import statutory
from ..kinds import (
    ANNUAL_REVIEW,
    LA_AMENDED_PLAN,
    LA_REVIEW_DECISION,
    REVIEW_CIRCULATION,
    REVIEW_INVITATIONS,
    REVIEW_REPORT,
)
from ..models import (
    REQUIRED_INVITEE_ROLES,
    AnnualReview,
    EhcPlan,
    InviteeRole,
    PlanStatus,
    Recommendation,
    ReviewAdvice,
    ReviewInvitee,
    ReviewOutcomeProgress,
    ReviewRoleNotApplicable,
)
from ._shared import (
    next_review_due,
    not_before,
    not_future,
    on,
    open_deadline,
    open_next_review,
    raise_errors,
    reclose_deadline,
    reopen_deadline,
)

# --- Annual review -----------------------------------------------------------------------------


def _open_schedule_deadlines(review: AnnualReview, actor: User | None) -> None:
    pupil = review.plan.pupil
    open_deadline(
        REVIEW_INVITATIONS,
        source=review,
        pupil=pupil,
        due_on=statutory.invitations_latest(review.meeting_on),
        responsible=actor,
    )
    open_deadline(
        REVIEW_CIRCULATION,
        source=review,
        pupil=pupil,
        due_on=statutory.advice_circulation_latest(review.meeting_on),
        responsible=actor,
    )


def review_schedule(
    *,
    plan: EhcPlan,
    meeting_on: date,
    meeting_time: time | None = None,
    meeting_place: str = "",
    is_combined_with_pep: bool = False,
    actor: User,
) -> AnnualReview:
    """Schedule an annual review meeting: open the latest days to send invitations (reg 20(3)) and circulate
    advice (reg 20(4)), both meeting - 14 days. The pupil's contacts with parental responsibility are added
    as invitees. (The phase-transfer deadline belongs to the plan's PhaseTransfer, not to a review.)"""
    pupil = plan.pupil
    raise_errors(
        {"__all__": "This plan has ceased."} if plan.status != PlanStatus.ACTIVE else {},
        not_before(meeting_on, plan.issued_on, "meeting_on", f"The plan was issued on {on(plan.issued_on)}."),
        {"is_combined_with_pep": "Only a looked-after child has a personal education plan."}
        if is_combined_with_pep and not pupil.is_looked_after
        else {},
    )
    with audited(actor):
        review = AnnualReview(
            plan=plan,
            meeting_on=meeting_on,
            meeting_time=meeting_time,
            meeting_place=meeting_place.strip(),
            is_combined_with_pep=is_combined_with_pep,
            created_by=actor,
        )
        review.full_clean()
        review.save()
        for contact in pupil.contacts.filter(has_parental_responsibility=True):
            ReviewInvitee.objects.create(review=review, role="parent", name=contact.name, email=contact.email)
        _open_schedule_deadlines(review, actor)
    return review


def review_reschedule(
    *,
    review: AnnualReview,
    meeting_on: date,
    is_combined_with_pep: bool,
    meeting_time: time | None = None,
    meeting_place: str = "",
    actor: User,
) -> AnnualReview:
    """Move a meeting not yet held; the invitation and circulation days are re-computed."""
    plan = review.plan
    raise_errors(
        {"meeting_on": "The meeting has been held: correct the date it was held instead."} if review.held_on else {},
        not_before(meeting_on, plan.issued_on, "meeting_on", f"The plan was issued on {on(plan.issued_on)}."),
        {"is_combined_with_pep": "Only a looked-after child has a personal education plan."}
        if is_combined_with_pep and not plan.pupil.is_looked_after
        else {},
    )
    with audited(actor):
        review.meeting_on, review.is_combined_with_pep = meeting_on, is_combined_with_pep
        review.meeting_time, review.meeting_place = meeting_time, meeting_place.strip()
        review.full_clean()
        review.save()
        _open_schedule_deadlines(review, None)
    return review


def invitations_missing_roles(review: AnnualReview) -> list[str]:
    """The reg 20(2) roles not yet covered: no one of that role has an invitation date and no reason is recorded
    why the role does not apply. Labels, in the order of reg 20(2)."""
    invited = set(review.invitees.filter(invited_on__isnull=False).values_list("role", flat=True))
    exempt = set(review.roles_not_applicable.values_list("role", flat=True))
    return [InviteeRole(role).label for role in REQUIRED_INVITEE_ROLES if role not in invited | exempt]


def _sync_invitations(review: AnnualReview) -> None:
    """The invitations deadline (reg 20(3)) is met when each of the five reg 20(2) roles has an invitation date
    or a recorded reason it does not apply, and everyone on the list has been invited: met on the last day an
    invitation went. Otherwise it is (again) open."""
    dates = list(review.invitees.values_list("invited_on", flat=True))
    sent = [day for day in dates if day is not None]
    if sent and len(sent) == len(dates) and not invitations_missing_roles(review):
        reclose_deadline(REVIEW_INVITATIONS, source=review, met_on=max(sent))
    else:
        reopen_deadline(REVIEW_INVITATIONS, source=review)


def review_role_not_applicable(*, review: AnnualReview, role: str, reason: str, actor: User) -> ReviewRoleNotApplicable:
    """Record why one of the five reg 20(2) invitees does not apply to this review; with the others invited,
    the invitations deadline is met. Recording the same role again replaces the reason."""
    raise_errors(
        {} if role in REQUIRED_INVITEE_ROLES else {"role": "Choose one of the five people the law says to invite."},
        {} if reason.strip() else {"reason": "Say why this person need not be invited."},
        {"role": "The parents (or the young person) must always be invited."} if role == InviteeRole.PARENT else {},
    )
    with audited(actor):
        record, _ = ReviewRoleNotApplicable.objects.update_or_create(
            review=review, role=role, defaults={"reason": reason.strip(), "recorded_by": actor}
        )
        _sync_invitations(review)
    return record


def review_invitee_add(
    *,
    review: AnnualReview,
    role: str,
    name: str,
    title: str = "",
    email: str = "",
    invited_on: date | None = None,
    is_by_post: bool = False,
    today: date,
    actor: User,
) -> ReviewInvitee:
    """Add someone to invite to the review, with the day their invitation went if it has (and whether by post:
    notice counts from delivery, see selectors.invitation_warnings)."""
    raise_errors(
        not_future(invited_on, "invited_on", "invitation date", today),
        {"invited_on": "An invitation cannot be sent after the meeting."}
        if invited_on and invited_on > review.meeting_on
        else {},
    )
    with audited(actor):
        invitee = ReviewInvitee(
            review=review,
            role=role,
            name=name.strip(),
            title=title.strip(),
            email=email,
            invited_on=invited_on,
            is_by_post=is_by_post,
        )
        invitee.full_clean()
        invitee.save()
        _sync_invitations(review)
    return invitee


def review_invitations_send(
    *, review: AnnualReview, sent_on: date, is_by_post: bool = False, today: date, actor: User
) -> AnnualReview:
    """Record invitations sent on `sent_on` (by post or not) to every invitee not yet invited; when each of the
    five reg 20(2) roles is invited or recorded as not applying, the invitation deadline closes on the last day
    one was sent."""
    raise_errors(
        {"sent_on": "Add the people to invite first."} if not review.invitees.exists() else {},
        not_future(sent_on, "sent_on", "date the invitations were sent", today),
        {"sent_on": "Invitations cannot be sent after the meeting."} if sent_on > review.meeting_on else {},
    )
    with audited(actor):
        for invitee in review.invitees.filter(invited_on__isnull=True):
            invitee.invited_on, invitee.is_by_post = sent_on, is_by_post
            invitee.save(update_fields=["invited_on", "is_by_post"])
        _sync_invitations(review)
    return review


def review_advice_request(
    *, review: AnnualReview, source: str, requested_on: date, today: date, actor: User
) -> ReviewAdvice:
    """Record advice asked for ahead of the review (from a professional, the parents, the pupil)."""
    raise_errors(not_future(requested_on, "requested_on", "request date", today))
    with audited(actor):
        advice = ReviewAdvice(review=review, source=source, requested_on=requested_on)
        advice.full_clean()
        advice.save()
    return advice


def review_advice_receive(*, advice: ReviewAdvice, received_on: date, today: date, actor: User) -> ReviewAdvice:
    """Record that requested advice arrived."""
    raise_errors(
        not_future(received_on, "received_on", "date received", today),
        not_before(
            received_on, advice.requested_on, "received_on", f"The advice was requested on {on(advice.requested_on)}."
        ),
    )
    with audited(actor):
        advice.received_on = received_on
        advice.full_clean()
        advice.save()
    return advice


def review_circulate(*, review: AnnualReview, circulated_on: date, today: date, actor: User) -> AnnualReview:
    """Record the advice circulated to every invitee; the circulation deadline closes (reg 20(4))."""
    raise_errors(
        not_future(circulated_on, "circulated_on", "circulation date", today),
        {"circulated_on": "Advice cannot be circulated after the meeting."}
        if circulated_on > (review.held_on or review.meeting_on)
        else {},
    )
    with audited(actor):
        review.circulated_on = circulated_on
        review.full_clean()
        review.save()
        reclose_deadline(REVIEW_CIRCULATION, source=review, met_on=circulated_on)
    return review


def _previous_anchor(review: AnnualReview) -> Model:
    """What started the annual review deadline this meeting meets: the last meeting held before, else the plan."""
    previous = (
        review.plan.reviews.exclude(pk=review.pk)
        .filter(held_on__isnull=False, held_on__lte=review.held_on)
        .order_by("-held_on")
        .first()
    )
    return previous or review.plan


def review_hold_moves(review: AnnualReview, held_on: date) -> list[str]:
    """What recording the meeting as held on `held_on` moves, when that is not the day it was set for (empty
    when it is): the meeting date, the report's and the LA's due dates, the next annual review, and the
    invitation letters already sent, which then gave the wrong day."""
    if held_on == review.meeting_on:
        return []
    next_due, _ = next_review_due(review.plan, held_on)
    moves = [
        f"The meeting date moves from {on(review.meeting_on)} to {on(held_on)}.",
        f"The review report is due by {on(statutory.review_report_due(held_on))} (2 weeks after the meeting).",
        f"The LA's decision is due by {on(statutory.la_review_decision_due(held_on))} (4 weeks after the meeting).",
        f"The next annual review is due by {on(next_due)}.",
    ]
    if review.invitees.filter(invited_on__isnull=False).exists():
        moves.append(
            f"The invitation letters already sent gave {on(review.invited_meeting_on or review.meeting_on)}: "
            "they are marked as superseded."
        )
    return moves


def review_hold(
    *, review: AnnualReview, held_on: date, today: date, actor: User, confirm_moved: bool = False
) -> AnnualReview:
    """Record the meeting held: the review report is due 2 weeks later (reg 20), the LA's decision 4 weeks
    later, and the next annual review within 12 months (or the plan's shorter interval). The annual review
    deadline this meeting meets closes. Correcting the day re-computes them all. One progress row per
    section E outcome of the current plan is prepared for the outcome form.

    A day other than the one the meeting was set for is refused until `confirm_moved`, with what moves
    (review_hold_moves); once confirmed, invitation letters already sent keep the day they gave and are marked
    as superseded."""
    plan = review.plan
    raise_errors(
        not_future(held_on, "held_on", "meeting date", today),
        not_before(held_on, plan.issued_on, "held_on", f"The plan was issued on {on(plan.issued_on)}."),
        {"held_on": "The report was sent before this date."}
        if review.report_sent_on and review.report_sent_on < held_on
        else {},
    )
    moves = review_hold_moves(review, held_on)
    if moves and not confirm_moved:
        raise ValidationError(
            {
                "confirm_moved": f"The meeting was set for {on(review.meeting_on)}, not {on(held_on)}. "
                + " ".join(moves)
                + " Tick to confirm, or correct the date."
            }
        )
    with audited(actor):
        if moves and review.invited_meeting_on is None and review.invitees.filter(invited_on__isnull=False).exists():
            review.invited_meeting_on = review.meeting_on
        review.held_on = held_on
        review.meeting_on = held_on
        review.full_clean()
        review.save()
        pupil = plan.pupil
        open_deadline(
            REVIEW_REPORT, source=review, pupil=pupil, due_on=statutory.review_report_due(held_on), responsible=actor
        )
        open_deadline(
            LA_REVIEW_DECISION,
            source=review,
            pupil=pupil,
            due_on=statutory.la_review_decision_due(held_on),
        )
        _open_schedule_deadlines(review, None)  # the meeting day is now known for certain
        open_next_review(plan, source=review, last_on=held_on, actor=actor)
        reclose_deadline(ANNUAL_REVIEW, source=_previous_anchor(review), met_on=held_on)
        if not review.outcome_progress.exists():
            version = plan.versions.order_by("-number").first()
            for position, outcome in enumerate(version.outcomes() if version else [], start=1):
                ReviewOutcomeProgress.objects.create(review=review, position=position, outcome=outcome)
    return review


def review_outcome_record(
    *,
    review: AnnualReview,
    progress: Mapping[int, str],
    recommendation: str,
    pupil_views: str,
    parent_views: str,
    has_advocate: bool,
    advocate_name: str,
    recommended_amendments: str = "",
    differences_of_view: str = "",
    preparation_for_adulthood: str = "",
    actor: User,
) -> AnnualReview:
    """Record the meeting's outcome: progress against each section E outcome (by position), the
    recommendation (maintain, amend, cease), the pupil's and parents' views, any advocate, and what the
    report must contain (reg 20(7), (8)): the amendments recommended (required with "amend"), differences
    of view, and from Year 9 preparation for adulthood and independent living (required then)."""
    raise_errors(
        {"recommendation": "Record the meeting as held first."} if review.held_on is None else {},
        {} if recommendation in Recommendation.values else {"recommendation": "Choose a recommendation."},
        {"advocate_name": "Give the advocate's name."} if has_advocate and not advocate_name.strip() else {},
        {"recommended_amendments": "Say which amendments the meeting recommends."}
        if recommendation == Recommendation.AMEND and not recommended_amendments.strip()
        else {},
        {"preparation_for_adulthood": "From Year 9 the review covers preparation for adulthood."}
        if review.plan.pupil.year_group >= 9 and not preparation_for_adulthood.strip()
        else {},
    )
    with audited(actor):
        for row in review.outcome_progress.all():
            if row.position in progress and progress[row.position] != row.progress:
                row.progress = progress[row.position]
                row.save(update_fields=["progress"])
        review.recommendation = recommendation
        review.pupil_views, review.parent_views = pupil_views, parent_views
        review.has_advocate = has_advocate
        review.advocate_name = advocate_name.strip() if has_advocate else ""
        review.recommended_amendments = recommended_amendments.strip()
        review.differences_of_view = differences_of_view.strip()
        review.preparation_for_adulthood = preparation_for_adulthood.strip()
        review.full_clean()
        review.save()
    return review


def review_report_send(*, review: AnnualReview, sent_on: date, today: date, actor: User) -> AnnualReview:
    """Record the review report sent to everyone invited; the report deadline closes."""
    raise_errors(
        {"sent_on": "Record the meeting as held first."} if review.held_on is None else {},
        {"sent_on": "Record the meeting's recommendation first."}
        if review.held_on and not review.recommendation
        else {},
        not_future(sent_on, "sent_on", "date the report was sent", today),
        not_before(
            sent_on,
            review.held_on,
            "sent_on",
            f"The report cannot be sent before the meeting on {on(review.held_on)}." if review.held_on else "",
        ),
    )
    with audited(actor):
        review.report_sent_on = sent_on
        review.full_clean()
        review.save()
        reclose_deadline(REVIEW_REPORT, source=review, met_on=sent_on)
    return review


def review_la_decision_record(
    *, review: AnnualReview, decision: str, decided_on: date, today: date, actor: User
) -> AnnualReview:
    """Record the LA's decision after the review; its deadline closes. A decision to amend opens the LA's
    8-week amended-plan deadline (reg 22(3)), counted from the decision (the amendment notice). A decision
    to maintain does not meet a phase-transfer deadline: only the amended plan naming the next school does."""
    raise_errors(
        {"decided_on": "Record the meeting as held first."} if review.held_on is None else {},
        {} if decision in Recommendation.values else {"decision": "Choose the LA's decision."},
        not_future(decided_on, "decided_on", "decision date", today),
        not_before(
            decided_on,
            review.held_on,
            "decided_on",
            f"The decision cannot be before the meeting on {on(review.held_on)}." if review.held_on else "",
        ),
    )
    with audited(actor):
        review.la_decision, review.la_decision_on = decision, decided_on
        review.full_clean()
        review.save()
        pupil = review.plan.pupil
        reclose_deadline(LA_REVIEW_DECISION, source=review, met_on=decided_on)
        if decision == Recommendation.AMEND:
            open_deadline(
                LA_AMENDED_PLAN,
                source=review,
                pupil=pupil,
                due_on=statutory.la_amended_plan_due(decided_on),
            )
    return review
