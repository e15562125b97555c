"""Withdrawing a session recorded by mistake: a confirmation page asking why, audited, the session kept and
shown as withdrawn in the group's history, and counted nowhere (costs, attendance, impact's costs, the budget)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from provision import selectors_maps as selectors
from provision import services
from provision.models import Session, SessionStatus

pytestmark = pytest.mark.django_db


def _url(session) -> str:
    return reverse("maps:session-withdraw", args=[session.group_id, session.pk])


def test_the_confirmation_page_shows_the_session_and_asks_why(login, senco_a, oak_session):
    page = login(senco_a).get(_url(oak_session)).content.decode()
    assert "Withdraw a session" in page and oak_session.held_on.strftime("%A") in page
    assert "Why is this session being withdrawn?" in page
    oak_session.refresh_from_db()
    assert oak_session.status == SessionStatus.DELIVERED  # a GET changes nothing


def test_a_withdrawn_session_counts_nowhere_and_stays_in_the_history(
    login, teacher_b, senco_a, oak_group, oak_session, pupil_oak, today
):
    school = oak_group.provision.school
    period = selectors.Period.academic_year(today)
    before = selectors.school_map(school, period=period)
    assert before.totals.delivered_cost == Decimal("129.43")  # 30 minutes at 18.85 (9.43) + 120.00 non-hour
    oak_group.lead = teacher_b  # the group's lead records and withdraws its sessions
    oak_group.save()

    response = login(teacher_b).post(_url(oak_session), {"reason": "  Recorded on the wrong day.  "})

    assert response.status_code == 302 and response.url == reverse("maps:group", args=[oak_group.pk])
    session = Session.objects.get(pk=oak_session.pk)
    assert (session.status, session.withdrawn_status, session.withdrawn_reason, session.withdrawn_by) == (
        SessionStatus.WITHDRAWN,
        SessionStatus.DELIVERED,
        "Recorded on the wrong day.",
        teacher_b,
    )
    assert session.cost is None and session.attendance.count() == 1  # the marks are kept for the record
    assert LogEntry.objects.get_for_object(session).filter(actor=teacher_b).exists()
    after = selectors.school_map(school, period=period)
    assert after.totals.delivered_cost == Decimal("120.00") and after.totals.hours_delivered == Decimal("0.0")
    [row] = after.rows
    assert (row.sessions_attended, row.delivered_cost) == (0, Decimal("120.00"))
    [place] = selectors.pupil_history(pupil_oak)
    assert (place["present"], place["cost"]) == (0, Decimal("120.00"))
    assert selectors.budget_view(school, today=today).spent == Decimal("0.00")
    [impact_row] = selectors.impact_table(school, period=period)
    assert impact_row.cost_per_pupil == Decimal("120.00")

    page = login(senco_a).get(reverse("maps:group", args=[oak_group.pk])).content.decode()
    assert "Withdrawn" in page and "Recorded on the wrong day." in page and "recorded as delivered" in page


def test_the_day_can_be_recorded_again_after_a_withdrawal(senco_a, oak_group, oak_session, today):
    services.session_withdraw(session=oak_session, reason="Wrong group", now=timezone.now(), actor=senco_a)
    [again] = services.sessions_record(
        group=oak_group,
        sessions=[services.SessionInput(held_on=oak_session.held_on, delivered=True, minutes=45)],
        today=today,
        actor=senco_a,
    )
    assert again.pk != oak_session.pk and again.cost == Decimal("14.14")  # 45 minutes at 18.85
    assert Session.objects.filter(group=oak_group, held_on=oak_session.held_on).count() == 2
    totals = selectors.school_map(oak_group.provision.school, period=selectors.Period.academic_year(today)).totals
    assert totals.delivered_cost == Decimal("134.14")


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Say why the session is being withdrawn."),
        ({"reason": "   "}, "Say why the session is being withdrawn."),
        ({"reason": "x" * 301}, "Ensure this value has at most 300 characters (it has 301)."),
    ],
)
def test_a_withdrawal_without_a_good_reason_is_refused_and_kept(login, senco_a, oak_session, data, message):
    response = login(senco_a).post(_url(oak_session), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if data.get("reason", "").strip():
        assert data["reason"] in page  # what was typed is kept
    oak_session.refresh_from_db()
    assert oak_session.status == SessionStatus.DELIVERED


def test_a_session_already_withdrawn_is_not_withdrawn_twice(login, senco_a, oak_session):
    services.session_withdraw(session=oak_session, reason="Wrong day", now=timezone.now(), actor=senco_a)
    client = login(senco_a)
    assert "already withdrawn" in client.get(_url(oak_session)).content.decode()
    response = client.post(_url(oak_session), {"reason": "Again"})
    assert response.status_code == 200 and "already withdrawn" in response.content.decode()
    oak_session.refresh_from_db()
    assert oak_session.withdrawn_reason == "Wrong day"


def test_a_session_of_another_group_is_not_found(login, senco_a, oak_session, reading, today):
    other = services.group_start(
        provision=reading,
        name="Another group",
        lead=None,
        starts_on=today - timedelta(days=10),
        ends_on=today,
        pupils=[],
        actor=senco_a,
    )
    url = reverse("maps:session-withdraw", args=[other.pk, oak_session.pk])
    assert login(senco_a).post(url, {"reason": "Wrong group"}).status_code == 404
