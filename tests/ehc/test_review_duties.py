"""The review's full duties: invitations met only when each of the five reg 20(2) roles is invited or recorded as
not applying; the warning for invitations posted within two days of the limit; what the report must contain
(reg 20(7), (8)) in the workspace, the PDF and the check; and the appeal text on the report."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from deadlines.models import Deadline, DeadlineStatus
from ehc import selectors, services
from ehc.models import Recommendation, ReviewRoleNotApplicable
from pupils.models import YearGroup

D = date


def invitations(review) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(review), source_id=str(review.pk), kind="ehc.review_invitations"
    )


def _invite(review, actor, role, name, *, invited_on=None, is_by_post=False):
    return services.review_invitee_add(
        review=review,
        role=role,
        name=name,
        invited_on=invited_on,
        is_by_post=is_by_post,
        today=timezone.localdate(),
        actor=actor,
    )


def test_a_review_with_only_parents_invited_is_not_met(ehc_review, senco_a):
    # meeting 11 May 2026: invitations by 27 April 2026
    _invite(ehc_review, senco_a, "parent", "Grace Thistlewood", invited_on=D(2026, 4, 20))
    deadline = invitations(ehc_review)
    assert deadline.status == DeadlineStatus.OPEN
    assert services.invitations_missing_roles(ehc_review) == [
        "Head teacher or provider",
        "LA SEN officer",
        "Health care professional",
        "LA social care officer",
    ]


def test_invitations_are_met_when_each_role_is_invited_or_recorded_as_not_applying(ehc_review, senco_a):
    _invite(ehc_review, senco_a, "parent", "Grace Thistlewood", invited_on=D(2026, 4, 20))
    _invite(ehc_review, senco_a, "head", "Ms Head", invited_on=D(2026, 4, 20))
    _invite(ehc_review, senco_a, "la_sen", "Jo Hardy", invited_on=D(2026, 4, 21))
    _invite(ehc_review, senco_a, "health", "School nurse", invited_on=D(2026, 4, 22))
    assert invitations(ehc_review).status == DeadlineStatus.OPEN
    services.review_role_not_applicable(
        review=ehc_review, role="social_care", reason="No social care involvement; the team confirmed.", actor=senco_a
    )
    met = invitations(ehc_review)
    assert (met.status, met.met_on) == (DeadlineStatus.MET, D(2026, 4, 22))  # the last invitation sent
    # someone added later and not yet invited reopens it: everyone on the list must be invited
    _invite(ehc_review, senco_a, "other", "Educational psychologist")
    assert invitations(ehc_review).status == DeadlineStatus.OPEN
    services.review_invitations_send(
        review=ehc_review, sent_on=D(2026, 4, 24), today=timezone.localdate(), actor=senco_a
    )
    assert invitations(ehc_review).met_on == D(2026, 4, 24)


@pytest.mark.parametrize(
    ("role", "reason", "field"),
    [("parent", "They moved.", "role"), ("social_care", "   ", "reason"), ("nobody", "x", "role")],
    ids=["parents-always-invited", "blank-reason", "unknown-role"],
)
def test_a_role_not_applying_needs_a_real_role_and_a_reason(ehc_review, senco_a, role, reason, field):
    with pytest.raises(ValidationError) as excinfo:
        services.review_role_not_applicable(review=ehc_review, role=role, reason=reason, actor=senco_a)
    assert field in excinfo.value.message_dict
    assert not ReviewRoleNotApplicable.objects.exists()


def test_the_not_applicable_form_keeps_the_data_and_says_what_is_missing(login, senco_a, ehc_review):
    url = reverse("ehc:review-role-not-applicable", args=[ehc_review.pk])
    response = login(senco_a).post(url, {"role": "health", "reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="health"' in response.content.decode()
    response = login(senco_a).post(url, {"role": "parent", "reason": "x"})
    assert response.status_code == 200  # not a choice: parents are always invited
    response = login(senco_a).post(url, {"role": "health", "reason": "No health involvement."})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("invited_on", "is_by_post", "warned"),
    [
        # meeting 11 May 2026, last day 27 April: posted 25 April arrives 27 April, in time
        (D(2026, 4, 25), True, False),
        # posted 26 April arrives 28 April: warn
        (D(2026, 4, 26), True, True),
        # by email on the last day: no warning
        (D(2026, 4, 27), False, False),
    ],
    ids=["posted-two-days-before", "posted-one-day-before", "emailed-on-the-last-day"],
)
def test_a_warning_when_invitations_go_by_post_within_two_days_of_the_limit(
    ehc_review, senco_a, login, invited_on, is_by_post, warned
):
    _invite(ehc_review, senco_a, "la_sen", "Jo Hardy", invited_on=invited_on, is_by_post=is_by_post)
    workspace = selectors.review_workspace(ehc_review, today=timezone.localdate())
    assert bool(workspace["invitation_warnings"]) == warned
    page = login(senco_a).get(reverse("ehc:review-detail", args=[ehc_review.pk])).content.decode()
    assert ("may arrive after 27 April 2026" in page) == warned


def _outcome(review, actor, **extra):
    services.review_hold(review=review, held_on=D(2026, 5, 11), today=timezone.localdate(), actor=actor)
    fields = {
        "progress": {},
        "recommendation": Recommendation.AMEND,
        "pupil_views": "",
        "parent_views": "",
        "has_advocate": False,
        "advocate_name": "",
        **extra,
    }
    return services.review_outcome_record(review=review, actor=actor, **fields)


def test_amend_needs_the_amendments_and_year_9_needs_preparation_for_adulthood(ehc_review, senco_a, pupil_oak):
    with pytest.raises(ValidationError) as excinfo:
        _outcome(ehc_review, senco_a)
    assert "recommended_amendments" in excinfo.value.message_dict
    pupil_oak.year_group = YearGroup.YEAR_9
    pupil_oak.save()
    ehc_review.plan.pupil.year_group = YearGroup.YEAR_9
    with pytest.raises(ValidationError) as excinfo:
        _outcome(ehc_review, senco_a, recommended_amendments="Section F: more speech therapy.")
    assert "preparation_for_adulthood" in excinfo.value.message_dict


def test_report_content_is_in_the_workspace_the_report_and_the_check(ehc_review, senco_a, login):
    _outcome(
        ehc_review,
        senco_a,
        recommended_amendments="Section F: a weekly speech and language session.",
        differences_of_view="Parents want one-to-one support at lunch; the school thinks small-group support is enough.",
    )
    check = {item.label: item for item in selectors.report_check(ehc_review)}
    assert check["Amendments to the plan recommended"].is_present
    assert check["Differences of view between those present"].is_present
    assert not check["Preparation for adulthood and independent living (from Year 9)"].is_required  # Year 3
    client = login(senco_a)
    for name in ("ehc:review-detail", "ehc:review-report"):
        page = client.get(reverse(name, args=[ehc_review.pk])).content.decode()
        assert "a weekly speech and language session" in page
        assert escape("one-to-one support at lunch") in page
        assert "What the report must contain" in page
    pdf = client.post(reverse("ehc:review-report-pdf", args=[ehc_review.pk]), {"destination": "in_school"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_appeal_text_says_what_families_can_appeal_and_when_the_la_decides(ehc_review, senco_a, login):
    page = login(senco_a).get(reverse("ehc:review-report", args=[ehc_review.pk])).content.decode()
    assert "within 4 weeks of the review meeting" in page
    assert "a decision not to amend the plan or to cease it" in page
    assert "once the amended plan is issued" in page and "(section B)" in page and "(section F)" in page
    assert "(section I)" in page
    assert "disagreement resolution" in page and "mediation" in page
    assert "decision letter gives the time limits" in page
    assert "second-hand" not in page and "School policy" not in page
