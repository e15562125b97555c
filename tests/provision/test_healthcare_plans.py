"""Individual healthcare plans: a small record per pupil (condition, plan date, review date, who holds it),
visible to the pupil's teachers, with a review deadline at least yearly. Dates worked by hand in comments."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from deadlines.models import Deadline, DeadlineState, DeadlineStatus
from provision import services
from provision.models import HealthcarePlan

D = date
TODAY = D(2026, 11, 27)


@pytest.mark.parametrize(
    ("last_on", "review_on", "expected"),
    [
        # the plan's own review date is sooner: it stands
        (D(2026, 3, 14), D(2026, 9, 1), D(2026, 9, 1)),
        # later than a year: the day before the anniversary, 14 Mar 2026 -> 13 Mar 2027
        (D(2026, 3, 14), D(2027, 6, 1), D(2027, 3, 13)),
        # 29 Feb 2028 -> 28 Feb 2029 (clamped) - 1 day = 27 Feb 2029
        (D(2028, 2, 29), D(2029, 12, 31), D(2029, 2, 27)),
        # 1 Jan 2027 -> 31 Dec 2027 (back across the year end)
        (D(2027, 1, 1), D(2028, 1, 1), D(2027, 12, 31)),
        # month end: 31 Aug 2026 -> 30 Aug 2027
        (D(2026, 8, 31), D(2027, 8, 31), D(2027, 8, 30)),
    ],
    ids=["plan-date-sooner", "capped-at-a-year", "29-february", "year-end", "month-end"],
)
def test_healthcare_review_due(last_on, review_on, expected):
    assert services.healthcare_review_due(last_on, review_on) == expected


def deadline_of(source) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        kind="provision.healthcare_plan_review",
    )


def _record(pupil, actor, **extra):
    fields = {
        "condition": "Asthma",
        "plan_on": D(2026, 3, 14),
        "review_on": D(2027, 3, 13),
        "held_by": "School office",
        **extra,
    }
    return services.healthcare_plan_record(pupil=pupil, today=TODAY, actor=actor, **fields)


def test_a_plan_opens_its_review_deadline_a_review_closes_it_and_opens_the_next(pupil_oak, senco_a):
    plan = _record(pupil_oak, senco_a)
    first = deadline_of(plan)
    assert (first.due_on, first.status) == (D(2027, 3, 13), DeadlineStatus.OPEN)
    assert LogEntry.objects.filter(object_pk=str(plan.pk), actor=senco_a).exists()
    review = services.healthcare_plan_review(
        plan=plan, reviewed_on=D(2026, 11, 2), next_review_on=D(2027, 11, 30), today=TODAY, actor=senco_a
    )
    met = deadline_of(plan)
    assert (met.status, met.met_on, met.state(TODAY)) == (DeadlineStatus.MET, D(2026, 11, 2), DeadlineState.MET)
    # 2 Nov 2026 -> the day before 2 Nov 2027 = 1 Nov 2027, sooner than the 30 Nov 2027 asked for
    assert deadline_of(review).due_on == D(2027, 11, 1)
    plan.refresh_from_db()
    assert plan.review_on == D(2027, 11, 30)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"condition": "  "}, "condition"),
        ({"held_by": ""}, "held_by"),
        ({"plan_on": D(2026, 12, 1)}, "plan_on"),
        ({"review_on": D(2026, 3, 1)}, "review_on"),
    ],
    ids=["no-condition", "no-holder", "future-plan", "review-before-plan"],
)
def test_a_bad_healthcare_plan_is_refused_on_its_field(pupil_oak, senco_a, extra, field):
    with pytest.raises(ValidationError) as excinfo:
        _record(pupil_oak, senco_a, **extra)
    assert field in excinfo.value.message_dict
    assert not HealthcarePlan.objects.exists()


def test_a_bad_review_is_refused(pupil_oak, senco_a):
    plan = _record(pupil_oak, senco_a)
    with pytest.raises(ValidationError) as excinfo:
        services.healthcare_plan_review(
            plan=plan, reviewed_on=D(2026, 1, 1), next_review_on=D(2026, 1, 1), today=TODAY, actor=senco_a
        )
    assert {"reviewed_on", "next_review_on"} <= set(excinfo.value.message_dict)


def test_the_form_keeps_the_data_and_says_what_is_wrong(login, senco_a, pupil_oak):
    url = reverse("provision:healthcare-plan-new", args=[pupil_oak.pk])
    data = {"condition": "Epilepsy", "plan_on": "2026-03-14", "review_on": "2026-03-01", "held_by": "Office"}
    response = login(senco_a).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The review cannot be before the plan was agreed on 14 March 2026." in page
    assert 'value="Epilepsy"' in page
    response = login(senco_a).post(url, {**data, "plan_on": "not a date"})
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()
    response = login(senco_a).post(url, {**data, "review_on": "2027-03-01"})
    assert response.status_code == 302


def test_the_pupils_teacher_sees_the_plan_and_another_teacher_does_not(login, senco_a, teacher_a, teacher_b, pupil_oak):
    _record(pupil_oak, senco_a)
    url = reverse("provision:healthcare-plans", args=[pupil_oak.pk])
    page = login(teacher_a).get(url).content.decode()
    assert "Asthma" in page and "School office" in page
    assert login(teacher_b).get(url).status_code == 404
