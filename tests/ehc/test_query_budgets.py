"""Query budgets: the EHC overview of a pupil, the school's EHC caseload and the LA timeliness table run the
same queries for a small and a large history. Each test warms up once (ContentType's cache), counts the queries
at the small size, adds records and counts again; both must equal the budget, whose queries are listed."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ehc import services
from tests.factories import PupilFactory
from tests.fixtures.ehc import SECTIONS

_days = itertools.count()

# Every signed-in page: 1. the session, 2. the user, 3. the user's memberships (access.roles_of); the current
# school (access.current_school, for the navigation) comes last, when the base template is rendered.
SIGNED_IN = 4


def _count(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


def _assert_flat(small, large, budget: int) -> None:
    listing = "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(large[1], 1))
    assert small[0] == large[0], f"{small[0]} queries for the small history, {large[0]} for the large:\n{listing}"
    assert large[0] == budget, f"budget {budget}, ran {large[0]}:\n{listing}"


def _history(pupil, plan, actor, n: int, la_names=("Nottingham City",)) -> None:
    """n of everything EHC for one pupil: assessments (with the advice asked for and sent), drafts, reviews held
    (with invitees), re-assessment requests and disagreements."""
    for i in range(n):
        start = date(2024, 1, 1) + timedelta(days=next(_days) % 200)
        assessment = services.assessment_request(
            pupil=pupil,
            requested_by="parent",
            requested_on=start,
            la_name=la_names[i % len(la_names)],
            today=timezone.localdate(),
            actor=actor,
        )
        services.advice_request_receive(
            assessment=assessment, received_on=start + timedelta(days=7), today=timezone.localdate(), actor=actor
        )
        services.advice_submit(
            assessment=assessment,
            advice="Advice",
            submitted_on=start + timedelta(days=40),
            today=timezone.localdate(),
            actor=actor,
        )
        services.assessment_decision_record(
            assessment=assessment,
            decision="assess",
            decided_on=start + timedelta(days=30 + 10 * (i % 3)),
            today=timezone.localdate(),
            actor=actor,
        )
        draft = services.draft_receive(
            pupil=pupil, received_on=start + timedelta(days=90), today=timezone.localdate(), actor=actor
        )
        services.draft_respond(
            draft=draft,
            response="Views",
            submitted_on=start + timedelta(days=95),
            today=timezone.localdate(),
            actor=actor,
        )
        review = services.review_schedule(plan=plan, meeting_on=date(2025, 7, 1) + timedelta(days=i), actor=actor)
        services.review_invitee_add(
            review=review, role="health", name=f"Nurse {i}", today=timezone.localdate(), actor=actor
        )
        services.review_hold(
            review=review, held_on=date(2025, 7, 1) + timedelta(days=i), today=timezone.localdate(), actor=actor
        )
        services.reassessment_request(
            plan=plan, requested_by="school", requested_on=date(2025, 8, 1), today=timezone.localdate(), actor=actor
        )
        services.disagreement_record(
            pupil=pupil, raised_on=date(2025, 9, 1), summary="Hours", today=timezone.localdate(), actor=actor
        )


# EHC overview as the SENCO:
#   4. the pupil, through the visibility rule (with school and class)
#   5. the read logged (auditlog's access entry)
#   6. assessments   7. re-assessments   8. drafts   9. plans   10. their versions (prefetch)   11. reviews
#  12. disagreements  13. the school's terms (closure warnings)   14. the pupil's EHC deadlines
#  15. the pupil's open register entry (the register prompt: an active plan, still on SEN support?)
OVERVIEW = SIGNED_IN + 12


def test_ehc_overview_runs_the_same_queries_for_a_short_and_a_long_history(login, senco_a, pupil_oak, ehc_plan):
    client = login(senco_a)
    url = reverse("ehc:overview", args=[pupil_oak.pk])
    _history(pupil_oak, ehc_plan, senco_a, 1)
    client.get(url)
    small = _count(client, url)
    _history(pupil_oak, ehc_plan, senco_a, 6)
    large = _count(client, url)
    _assert_flat(small, large, OVERVIEW)


# The school's caseload, after the signed-in four (the current school is read by the view here):
#   5. active plans, with pupil and class   6. assessments in progress, with pupil
#   7. the school's terms (closure warnings) 8. the first 50 open EHC deadlines, with pupil
INDEX = SIGNED_IN + 4


def test_ehc_caseload_runs_the_same_queries_for_few_and_many_pupils(login, senco_a, school_a):
    client = login(senco_a)
    url = reverse("ehc:index")

    def add(n):
        for _ in range(n):
            pupil = PupilFactory(school=school_a)
            plan = services.plan_issue(
                pupil=pupil,
                la_name="",
                issued_on=date(2025, 6, 2),
                names_school=True,
                named_school="",
                sections=SECTIONS,
                today=timezone.localdate(),
                actor=senco_a,
            )
            _history(pupil, plan, senco_a, 1)

    add(1)
    client.get(url)
    small = _count(client, url)
    add(8)
    large = _count(client, url)
    _assert_flat(small, large, INDEX)


# LA timeliness as the head, after the signed-in four:
#   5. the school's deadlines with party LA
#   6. assessments' LA   7. reviews' plans' LA   8. re-assessments' plans' LA (one read per kind of source)
LA_TIMELINESS = SIGNED_IN + 4


def test_la_timeliness_runs_the_same_queries_for_few_and_many_las_and_pupils(login, head_a, senco_a, school_a):
    client = login(head_a)
    url = reverse("ehc:la-timeliness")

    def add(n, la_names):
        for _ in range(n):
            pupil = PupilFactory(school=school_a)
            plan = services.plan_issue(
                pupil=pupil,
                la_name=la_names[0],
                issued_on=date(2025, 6, 2),
                names_school=True,
                named_school="",
                sections=SECTIONS,
                today=timezone.localdate(),
                actor=senco_a,
            )
            _history(pupil, plan, senco_a, len(la_names), la_names)

    add(1, ("Nottingham City",))
    client.get(url)
    small = _count(client, url)
    add(6, ("Nottingham City", "Nottinghamshire", "Derby City"))
    large = _count(client, url)
    _assert_flat(small, large, LA_TIMELINESS)
    rows = client.get(url).context["rows"]
    assert [row.la_name for row in rows] == ["Derby City", "Nottingham City", "Nottinghamshire"]
