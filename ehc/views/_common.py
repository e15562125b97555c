"""The small helpers every EHC view module shares: the pupil and child-record lookups behind ehc/access.py, and urls."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse

from pupils.models import Pupil, RegisterStatus
from send_mis.steps import AuthenticatedHttpRequest

from ..access import EhcAction, get_pupil_for_ehc
from ..models import AnnualReview, EhcPlan, PlanStatus

VIEW, CHANGE = EhcAction.VIEW, EhcAction.CHANGE


def _pupil(request: AuthenticatedHttpRequest, pupil_id, action: EhcAction) -> Pupil:
    return get_pupil_for_ehc(request.user, pupil_id, action=action)


def _record(request: AuthenticatedHttpRequest, queryset, pk, action: EhcAction, *, pupil_of=lambda obj: obj.pupil_id):
    """A child record by id (404 if none), then the access rule of its pupil."""
    obj = get_object_or_404(queryset, pk=pk)
    pupil = _pupil(request, pupil_of(obj), action)
    return obj, pupil


def _review(request: AuthenticatedHttpRequest, review_id, action: EhcAction) -> tuple[AnnualReview, Pupil]:
    review, pupil = _record(
        request, AnnualReview.objects.select_related("plan"), review_id, action, pupil_of=lambda r: r.plan.pupil_id
    )
    review.plan.pupil = pupil
    return review, pupil


def _overview_url(pupil: Pupil) -> str:
    return reverse("ehc:overview", args=[pupil.pk])


def _review_url(review: AnnualReview) -> str:
    return reverse("ehc:review-detail", args=[review.pk])


def _register_prompt(pupil: Pupil, plans) -> object | None:
    """The pupil's open SEND register entry when it no longer matches the plans: it still says "EHC plan" but
    no plan is active and one has ceased, or a plan is active and it still says "SEN support". The SENCO
    decides (the register is never changed automatically): K to E is one click (register_to_ehc)."""
    active = next((p for p in plans if p.status == PlanStatus.ACTIVE), None)
    if active is None and len(plans) == 1:  # the plan page passes one plan: the pupil may have another
        active = EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).first()
    if active is not None:
        entry = pupil.register_entries.filter(ended_on__isnull=True).first()
        if entry is not None and entry.status == RegisterStatus.SEN_SUPPORT:
            entry.active_plan = active
            return entry
        return None
    if not any(p.status == PlanStatus.CEASED for p in plans):
        return None
    return pupil.register_entries.filter(ended_on__isnull=True, status=RegisterStatus.EHC_PLAN).first()
