"""Deadline screens: the access matrix over every URL of the app x every role, the excuse form with bad input,
filters, the term calendar, the dashboard panels, the private iCalendar feed, and query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from deadlines import services
from deadlines.models import Deadline, DeadlineStatus, Party
from pupils.models import Role
from send_mis import statements
from tests.factories import MembershipFactory


def test_a_teacher_lists_only_their_own_pupils_deadlines(login, teacher_a, pupil_oak, pupil_ash, make_deadline, today):
    mine = make_deadline(pupil_oak, today + timedelta(days=3))
    make_deadline(pupil_ash, today + timedelta(days=3))
    response = login(teacher_a).get(reverse("deadlines:deadline-list"))
    assert [d.pk for d in response.context["rows"]] == [mine.pk]
    assert pupil_ash.legal_surname not in response.content.decode()


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_the_list_follows_a_role_given_and_taken_away_with_its_statement_kept(
    login, teacher_a, school_a, pupil_oak, pupil_ash, make_deadline, today
):
    """The list's statement is compiled once per process for its key (send_mis/statements.py), as in
    production: the user's roles are in the key, so a role given shows the school's deadlines on the next
    request, and a role taken away stops showing them, though the user, school, day and filters are the same."""
    statements.forget()
    mine = make_deadline(pupil_oak, today + timedelta(days=3))
    theirs = make_deadline(pupil_ash, today + timedelta(days=4))
    client = login(teacher_a)

    def listed() -> list:
        return [d.pk for d in client.get(reverse("deadlines:deadline-list")).context["rows"]]

    assert listed() == [mine.pk]
    made_senco = MembershipFactory(user=teacher_a, school=school_a, role=Role.SENCO)
    assert listed() == [mine.pk, theirs.pk]
    made_senco.delete()
    assert listed() == [mine.pk]


def test_the_list_filters_by_state_party_kind_and_responsible(
    login, senco_a, teacher_a, pupil_oak, make_deadline, today
):
    overdue = make_deadline(pupil_oak, today - timedelta(days=2), kind="advice")
    soon = make_deadline(pupil_oak, today + timedelta(days=5), party=Party.LA, kind="la_decision")
    mine = make_deadline(pupil_oak, today + timedelta(days=60), responsible=teacher_a, kind="plan_review")
    met = make_deadline(
        pupil_oak, today - timedelta(days=9), status=DeadlineStatus.MET, met_on=today - timedelta(days=8)
    )
    client = login(senco_a)

    def listed(**query) -> list:
        return [d.pk for d in client.get(reverse("deadlines:deadline-list"), query).context["rows"]]

    assert listed() == [overdue.pk, soon.pk, mine.pk]
    assert listed(state="overdue") == [overdue.pk]
    assert listed(state="due_soon") == [soon.pk]
    assert listed(state="met_late") == [met.pk]
    assert listed(party="la") == [soon.pk]
    assert listed(kind="plan_review") == [mine.pk]
    assert listed(responsible=str(teacher_a.pk)) == [mine.pk]


@pytest.mark.parametrize(
    "query", [{"state": "nonsense"}, {"responsible": "abc"}, {"kind": "<script>"}, {"page": "999"}]
)
def test_the_list_survives_any_query_string_and_says_what_was_wrong(
    login, senco_a, pupil_oak, make_deadline, today, query
):
    make_deadline(pupil_oak, today)
    response = login(senco_a).get(reverse("deadlines:deadline-list"), query)
    assert response.status_code == 200
    if "page" not in query:
        assert "There is a problem with the filters" in response.content.decode()


def test_the_list_shows_a_warning_for_a_due_date_on_a_weekend(login, senco_a, pupil_oak, make_deadline, today):
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    make_deadline(pupil_oak, saturday)
    assert "falls on a Saturday" in login(senco_a).get(reverse("deadlines:deadline-list")).content.decode()


# --- excusing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say which exception applies and why."),
        ("   ", "Say which exception applies and why."),
        ("away", "Give the reason in a sentence"),
        ("x" * 2001, "at most 2000 characters"),
    ],
)
def test_excusing_with_a_bad_reason_redisplays_the_form_with_the_reason(
    login, senco_a, pupil_oak, make_deadline, today, reason, message
):
    deadline = make_deadline(pupil_oak, today)
    response = login(senco_a).post(reverse("deadlines:deadline-excuse", args=[deadline.pk]), {"reason": reason})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN


def test_an_empty_post_to_the_excuse_form_says_what_is_missing(login, senco_a, pupil_oak, make_deadline, today):
    # An empty POST binds the form: it must say the reason is missing, not quietly show the form again.
    deadline = make_deadline(pupil_oak, today)
    response = login(senco_a).post(reverse("deadlines:deadline-excuse", args=[deadline.pk]), {})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Say which exception applies and why." in content and 'class="error-summary"' in content
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN


def test_the_senco_excuses_a_deadline_and_sees_the_confirmation(login, senco_a, pupil_oak, make_deadline, today):
    deadline = make_deadline(pupil_oak, today - timedelta(days=1))
    reason = "The family were away from the area for five weeks (reg 10(4)(c))."
    client = login(senco_a)
    response = client.post(reverse("deadlines:deadline-excuse", args=[deadline.pk]), {"reason": reason}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("deadlines:deadline-excused", args=[deadline.pk])
    page = response.content.decode()
    assert "Deadline excused" in page and reason in page
    deadline.refresh_from_db()
    assert (deadline.status, deadline.due_on) == (DeadlineStatus.EXCUSED, today - timedelta(days=1))
    again = client.get(reverse("deadlines:deadline-excuse", args=[deadline.pk]))
    assert again.status_code == 200 and "already excused" in again.content.decode()


# --- the calendar ----------------------------------------------------------------------------------------


def test_the_calendar_shows_a_month_with_its_deadlines_and_warnings(login, senco_a, pupil_oak, make_deadline):
    from datetime import date

    make_deadline(pupil_oak, date(2026, 12, 25), title="Views on the draft plan")
    response = login(senco_a).get(reverse("deadlines:deadline-calendar"), {"month": "2026-12"})
    page = response.content.decode()
    assert [m.label for m in response.context["months"]] == ["December 2026"]
    assert "Views on the draft plan" in page
    # Staff who may see the pupil read the name (initials stay in emails and feeds), linked to the pupil's page.
    assert f'<a href="{reverse("overview:pupil", args=[pupil_oak.pk])}">Amara Thistlewood</a>, Year 3' in page
    assert "AT, Year 3" not in page
    assert "Bank holiday: Christmas Day" in page
    assert "1 deadline</span>" in page


def test_the_calendar_shows_this_month_by_default_and_names_the_term(login, senco_a, school_a, today):
    from pupils.models import Term

    Term.objects.create(
        school=school_a, name="This term", starts_on=today - timedelta(days=20), ends_on=today + timedelta(days=70)
    )
    response = login(senco_a).get(reverse("deadlines:deadline-calendar"))
    assert [month.first for month in response.context["months"]] == [today.replace(day=1)]
    assert "This term, " in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "november", "", "0000-01"])
def test_a_bad_month_says_so_and_shows_the_current_term(login, senco_a, month):
    response = login(senco_a).get(reverse("deadlines:deadline-calendar"), {"month": month})
    assert response.status_code == 200
    assert "Give the month as year and month" in response.content.decode()


# --- the dashboard ---------------------------------------------------------------------------------------


def test_the_dashboard_shows_overdue_and_due_soon_panels_with_counts_and_the_first_ten(
    login, senco_a, pupil_oak, make_deadline, today
):
    for n in range(12):
        make_deadline(pupil_oak, today - timedelta(days=1 + n), title=f"Overdue duty {n}")
    make_deadline(pupil_oak, today + timedelta(days=3), title="Soon duty")
    make_deadline(pupil_oak, today + timedelta(days=30), title="Later duty")
    response = login(senco_a).get(reverse("overview:dashboard"))
    overdue, due_soon = response.context["deadline_panels"]
    assert (overdue.count, len(overdue.first), due_soon.count, len(due_soon.first)) == (12, 10, 1, 1)
    page = response.content.decode()
    assert "Overdue" in page and "Due in the next 14 days" in page and "tag-overdue" in page and "tag-soon" in page
    assert "See all 12" in page and "Later duty" not in page


# --- the iCalendar feed ----------------------------------------------------------------------------------


def test_the_feed_lists_the_users_own_deadlines_as_all_day_events_without_names(
    client, senco_a, teacher_b, pupil_oak, pupil_ash, make_deadline, today
):
    mine = make_deadline(pupil_oak, today + timedelta(days=4), title="Views on the draft plan")
    make_deadline(pupil_ash, today + timedelta(days=4), title="Someone else's duty", responsible=teacher_b)
    make_deadline(pupil_oak, today - timedelta(days=4), status=DeadlineStatus.MET, met_on=today)
    token = services.calendar_feed_token_issue(user=senco_a, actor=senco_a)

    response = client.get(reverse("deadlines:feed", args=[token.token]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    for name in (pupil_oak.legal_surname, pupil_oak.legal_forename, pupil_ash.legal_surname):
        assert name not in body
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Views on the draft plan – AT, Year 3"
    assert event.decoded("dtstart") == mine.due_on and event.decoded("dtend") == mine.due_on + timedelta(days=1)
    assert "DTSTART;VALUE=DATE:" in body
    assert str(event["uid"]) == f"deadline-{mine.pk}@send-mis"


def test_a_revoked_or_regenerated_feed_address_answers_404(client, senco_a):
    old = services.calendar_feed_token_issue(user=senco_a, actor=senco_a)
    new = services.calendar_feed_token_issue(user=senco_a, actor=senco_a)
    assert client.get(reverse("deadlines:feed", args=[old.token])).status_code == 404
    assert client.get(reverse("deadlines:feed", args=[new.token])).status_code == 200
    services.calendar_feed_token_revoke(user=senco_a, actor=senco_a)
    assert client.get(reverse("deadlines:feed", args=[new.token])).status_code == 404
    assert client.get(reverse("deadlines:feed", args=["not-an-issued-token-0000"])).status_code == 404
    assert client.get("/deadlines/feed/not-a-token.ics").status_code == 404


def test_the_feed_page_shows_the_address_and_can_turn_it_off(login, teacher_a):
    client = login(teacher_a)
    assert "Create my calendar address" in client.get(reverse("deadlines:feed-settings")).content.decode()
    client.post(reverse("deadlines:feed-issue"))
    page = client.get(reverse("deadlines:feed-settings"))
    assert page.context["feed_url"].endswith(".ics") and page.context["feed_url"] in page.content.decode()
    client.post(reverse("deadlines:feed-revoke"))
    assert client.get(reverse("deadlines:feed-settings")).context["live"] is None


# --- navigation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "shown"), [("senco_a", True), ("teacher_a", True), ("governor_a", False)])
def test_the_navigation_shows_deadline_links_to_those_who_may_use_them(request, login, role, shown):
    user = request.getfixturevalue(role)
    page = login(user).get(reverse("pupils:register-summary" if role == "governor_a" else "pupils:pupil-list"))
    assert (reverse("deadlines:deadline-list") in page.content.decode()) is shown


# --- query budgets: the same count at two sizes of data --------------------------------------------------


def _queries(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url_name", "query", "budget"),
    [
        # session, user, roles, school, kinds and staff (the filter's choices), count, page, terms (warnings).
        ("deadlines:deadline-list", {}, 9),
        ("deadlines:deadline-list", {"state": "overdue"}, 9),
        # session, user, roles, school, the current term, terms (closures), deadlines in range, the pupils
        # among them whose names the user may see.
        ("deadlines:deadline-calendar", {}, 8),
        # The register dashboard's own 13, plus terms, two counts and two lists for the deadline panels, and the
        # panels of work to start (tests/pupils/test_query_budgets.py lists them all).
        ("overview:dashboard", {}, 24),
    ],
)
def test_deadline_pages_run_the_same_number_of_queries_at_two_sizes(
    login, senco_a, teacher_a, school_a, class_oak, make_pupils, bulk_deadlines, today, url_name, query, budget
):
    client = login(senco_a)
    url = reverse(url_name)
    bulk_deadlines(make_pupils(4, school_a, class_oak), today)
    small = _queries(client, url, query)
    bulk_deadlines(make_pupils(60, school_a, class_oak), today)
    assert Deadline.objects.count() == 64 * 3
    large = _queries(client, url, query)
    assert small == large <= budget, (small, large)
