"""The working day: each member of staff's to-do list ("Today"), the SENCO's and the head's panels of work, the
pupil page's one-page SEND summary, what follows SEN support starting, and dates that moved."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus, Party
from deadlines.school_duties import PARENTS_TOLD, parents_told_open
from ehc import services as ehc_services
from overview import selectors as overview_selectors
from provision import selectors as provision_selectors
from provision import services as provision_services
from provision.models import AssessmentPoint, ProgressScore, Season, SupportPlan
from pupils import services as pupil_services
from pupils.models import ConcernStatus, Pupil, RegisterEntry, RegisterStatus, SenConcern
from send_mis import statements

pytestmark = pytest.mark.django_db


def _duty(pupil, due_on, responsible, *, title="Support plan review", kind="test.duty", status="open") -> Deadline:
    return Deadline.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        due_on=due_on,
        kind=f"{kind}.{pupil.pk}",
        title=title,
        rule="The review date the support plan sets.",
        party=Party.SCHOOL,
        responsible=responsible,
        status=status,
        met_on=due_on if status == "met" else None,
        source_type=ContentType.objects.get_for_model(Pupil),
        source_id=str(pupil.pk),
    )


# --- The teacher's Today ------------------------------------------------------------------------------------


def test_the_teacher_lands_on_today(login, teacher_a, class_oak):
    response = login(teacher_a).get(reverse("home"))
    assert response["Location"] == reverse("overview:today")


def test_today_lists_the_teachers_own_duties_split_by_state_and_nothing_else(
    login, teacher_a, teacher_b, pupil_oak, pupil_ash
):
    today = timezone.localdate()
    overdue = _duty(pupil_oak, today - timedelta(days=3), teacher_a, title="Overdue review")
    soon = _duty(pupil_oak, today + timedelta(days=14), teacher_a, title="Soon review", kind="test.soon")
    _duty(pupil_oak, today + timedelta(days=15), teacher_a, title="Later review", kind="test.later")
    _duty(pupil_oak, today - timedelta(days=1), teacher_a, title="Met review", kind="test.met", status="met")
    _duty(pupil_ash, today, teacher_b, title="Another teacher's review")

    response = login(teacher_a).get(reverse("overview:today"))

    todo = response.context["todo"]
    assert [d.pk for d in todo.duties.overdue] == [overdue.pk]
    assert [d.pk for d in todo.duties.due_soon] == [soon.pk]
    page = response.content.decode()
    assert "Later review" not in page and "Met review" not in page and "Another teacher" not in page
    assert pupil_oak.display_name in page  # the class list below


def test_today_shows_the_outcome_of_a_concern_the_teacher_raised(login, teacher_a, senco_a, pupil_oak, needs):
    concern = pupil_services.concern_raise(
        pupil=pupil_oak, description="Struggles to follow instructions.", actions_taken="", actor=teacher_a
    )
    pupil_services.concern_triage(
        concern=concern, outcome=ConcernStatus.CLOSED, reason="Progress is in line; keep an eye.", actor=senco_a
    )
    page = login(teacher_a).get(reverse("overview:today")).content.decode()
    assert "Closed" in page and "Progress is in line; keep an eye." in page


def test_today_lists_scores_owed_and_passports_to_write_for_the_teachers_class(
    login, teacher_a, senco_a, class_oak, pupil_oak, oak_entry, provision_subjects
):
    point = AssessmentPoint.objects.create(
        school=class_oak.school,
        name="Autumn check",
        season=Season.OTHER,
        academic_year=2026,
        assessed_on=timezone.localdate() - timedelta(days=2),
    )
    ProgressScore.objects.create(
        pupil=pupil_oak, subject=provision_subjects["Reading"], point=point, score=Decimal(100), entered_by=senco_a
    )
    todo = login(teacher_a).get(reverse("overview:today")).context["todo"]
    assert [(r.school_class, r.missing, r.expected) for r in todo.scores] == [
        (class_oak, len(provision_subjects) - 1, len(provision_subjects))
    ]
    assert todo.passports == [pupil_oak]  # on SEN support, no passport yet


def test_a_governor_has_no_today_page(login, governor_a, school_a):
    assert login(governor_a).get(reverse("overview:today")).status_code == 403


# Today as a teacher of a class, after the four every signed-in page runs (session, user, memberships, school):
#   5. the deadlines they are responsible for (with pupil)   6. the school's terms (closure warnings)
#   7. the classes they teach (which links they may follow)  8. the EHC plan versions of their pupils
#   9. passports owed (one query with a subquery)            10. the current assessment point
#  11. the subjects   12. the classes with scores missing, by name, pupils and scores counted per class (the
#      classes they enter scores for as a subquery)
#  13. the concerns they raised                              14. their class list
TODAY_BUDGET = 14


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(f"{n}. {q['sql'][:200]}" for n, q in enumerate(captured.captured_queries, 1))


def test_today_runs_the_same_queries_for_a_small_and_a_large_class(
    login, teacher_a, class_oak, make_pupils, provision_points, provision_subjects
):
    client = login(teacher_a)
    url = reverse("overview:today")
    today = timezone.localdate()
    for pupil in make_pupils(5, class_oak.school, class_oak):
        _duty(pupil, today - timedelta(days=1), teacher_a)
    client.get(url)
    small = _count(client, url)
    for pupil in make_pupils(40, class_oak.school, class_oak):
        _duty(pupil, today + timedelta(days=2), teacher_a)
    large = _count(client, url)
    assert small[0] == large[0] == TODAY_BUDGET, f"{small[0]} then {large[0]}:\n{large[1]}"
    todo = client.get(url).context["todo"]
    assert len(todo.duties.overdue) == 5 and len(todo.duties.due_soon) == 40 and len(todo.pupils) == 45


# --- The SENCO's and the head's panels ------------------------------------------------------------------------


def test_the_senco_sees_pupils_on_sen_support_without_a_plan_and_parents_not_told(login, senco_a, pupil_oak, oak_entry):
    panels = login(senco_a).get(reverse("overview:dashboard")).context["panels"]
    assert panels.without_plan == [pupil_oak]
    assert panels.without_plan[0].work_link.url == reverse("provision:plan-start", args=[pupil_oak.pk])
    assert [row.entry for row in panels.not_told] == [oak_entry]


def test_parents_told_leaves_the_panel(login, senco_a, teacher_a, pupil_oak, oak_entry):
    plan = provision_services.support_plan_start(pupil=pupil_oak, started_on=oak_entry.started_on, actor=senco_a)
    provision_services.plan_parents_told(plan=plan, told_on=oak_entry.started_on, how="Phone call", actor=senco_a)
    panels = login(senco_a).get(reverse("overview:dashboard")).context["panels"]
    assert panels.without_plan == [] and panels.not_told == []


def test_the_head_sees_duties_escalated_to_them_and_the_senco_does_not(login, head_a, senco_a, teacher_a, pupil_oak):
    today = timezone.localdate()
    escalated = _duty(pupil_oak, today - timedelta(days=3), teacher_a, title="Escalated review")
    _duty(pupil_oak, today - timedelta(days=2), teacher_a, title="Not yet escalated", kind="test.recent")
    head = login(head_a).get(reverse("overview:dashboard")).context["head"]
    assert [d.pk for d in head.escalations] == [escalated.pk]
    assert login(senco_a).get(reverse("overview:dashboard")).context["head"] is None


# --- The pupil page -----------------------------------------------------------------------------------------


def test_the_pupil_page_summarises_the_support_plan_and_keeps_contacts_off_the_print(
    login, teacher_a, pupil_oak, provision_plan
):
    page = login(teacher_a).get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()
    summary, rest = page.split('<div class="no-print">', 1)
    assert "SEND summary" in summary
    assert "Reads 40 words a minute" in summary and "Word mat on the desk." in summary
    assert "Support plan review" in summary and "Upcoming" in summary  # the next review, with its state
    assert "Contacts" not in summary and "Contacts" in rest
    assert "css/pupil-print" in page


def test_a_teacher_sees_the_ehc_outcomes_through_the_plan_summary_they_may_read(
    login, teacher_a, teacher_b, pupil_oak, ehc_plan
):
    page = login(teacher_a).get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()
    assert "From the EHC plan (section E)" in page
    assert login(teacher_b).get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 404


# --- After SEN support starts ---------------------------------------------------------------------------------


def test_adding_sen_support_takes_the_senco_to_start_the_plan_with_the_evidence(login, senco_a, pupil_oak, needs):
    client = login(senco_a)
    SenConcern.objects.create(
        pupil=pupil_oak, raised_by=senco_a, description="Cannot blend three-letter words.", status=ConcernStatus.OPEN
    )
    response = client.post(
        reverse("pupils:register-add", args=[pupil_oak.pk]),
        {
            "status": RegisterStatus.SEN_SUPPORT,
            "primary_need": "SLCN",
            "started_on": timezone.localdate().isoformat(),
            "reason": "Assessment shows a phonics gap.",
        },
    )
    start = reverse("provision:plan-start", args=[pupil_oak.pk]) + "?after=sen-support"
    assert response.status_code == 302 and response["Location"] == start
    form_page = client.get(start)
    assert "Cannot blend three-letter words." in form_page.context["form"].initial["evidence"]
    assert "is now on SEN support" in form_page.content.decode()

    # The parents-told duty shows on the pupil page at once, before any sweep opened it.
    pupil_page = client.get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()
    assert "Tell the parents that SEN support has started" in pupil_page

    client.post(start, {"started_on": timezone.localdate().isoformat(), "evidence": "Phonics screening: 12/40."})
    plan = pupil_oak.support_plans.get()
    assert plan.cycles.get().assessment_evidence == "Phonics screening: 12/40."
    assert Deadline.objects.filter(pupil=pupil_oak, kind=PARENTS_TOLD.key, status=DeadlineStatus.OPEN).exists()


def test_triaging_a_concern_to_sen_support_goes_on_to_the_plan(login, senco_a, pupil_oak, oak_concern, needs):
    response = login(senco_a).post(
        reverse("pupils:concern-triage", args=[oak_concern.pk]),
        {"outcome": ConcernStatus.SEN_SUPPORT, "reason": "Needs more than the class offers.", "primary_need": "SLCN"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("provision:plan-start", args=[pupil_oak.pk]) + "?after=sen-support"


# --- Dates that moved -----------------------------------------------------------------------------------------


def test_a_review_held_on_another_day_asks_for_confirmation_and_says_what_moves(ehc_review, senco_a):
    # Set for Monday 11 May 2026, held on Wednesday 13 May: the report is due 2 weeks later (27 May), the LA's
    # decision 4 weeks later (10 June), the next review within 12 months (by 12 May 2027).
    with pytest.raises(ValidationError) as refused:
        ehc_services.review_hold(
            review=ehc_review, held_on=date(2026, 5, 13), today=timezone.localdate(), actor=senco_a
        )
    message = " ".join(refused.value.message_dict["confirm_moved"])
    assert "set for 11 May 2026" in message
    assert "27 May 2026" in message and "10 June 2026" in message and "12 May 2027" in message
    ehc_review.refresh_from_db()
    assert ehc_review.held_on is None and ehc_review.meeting_on == date(2026, 5, 11)


def test_invitation_letters_already_sent_are_superseded_when_the_meeting_moves(login, ehc_review, senco_a):
    ehc_services.review_invitee_add(
        review=ehc_review,
        role="parent",
        name="Ms Parent",
        invited_on=date(2026, 3, 23),
        today=timezone.localdate(),
        actor=senco_a,
    )
    ehc_services.review_hold(
        review=ehc_review, held_on=date(2026, 5, 13), today=timezone.localdate(), actor=senco_a, confirm_moved=True
    )
    ehc_review.refresh_from_db()
    assert ehc_review.invited_meeting_on == date(2026, 5, 11) and ehc_review.meeting_on == date(2026, 5, 13)
    letter = login(senco_a).get(reverse("ehc:review-invitation", args=[ehc_review.pk])).content.decode()
    assert "Superseded." in letter and "Monday 11 May 2026" in letter


def test_a_support_plan_review_on_another_day_needs_confirmation(login, teacher_a, pupil_oak, provision_plan):
    cycle = provision_plan.cycles.get()
    outcome = cycle.outcomes.get()
    url = reverse("provision:cycle-review", args=[pupil_oak.pk, cycle.pk])
    data = {
        "reviewed_on": timezone.localdate().isoformat(),
        f"progress-{outcome.pk}": "achieved",
        f"evidence-{outcome.pk}": "Timed read: 45 words a minute.",
        "impact": "Reads fluently.",
        "next_steps": "Longer books.",
    }
    client = login(teacher_a)
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Tick to confirm" in refused.content.decode()
    assert "Timed read: 45 words a minute." in refused.content.decode()  # what was typed is kept
    assert client.post(url, {**data, "confirm_moved": "on"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.reviewed_on == timezone.localdate()


def test_the_plan_shows_its_review_state(login, teacher_a, pupil_oak, provision_plan):
    page = login(teacher_a).get(reverse("provision:plan-detail", args=[pupil_oak.pk, provision_plan.pk]))
    assert "Upcoming" in page.content.decode()


def test_the_pupil_page_runs_the_same_queries_however_many_pupils_the_school_has(
    login, teacher_a, pupil_oak, class_oak, provision_plan, make_pupils
):
    client = login(teacher_a)
    url = reverse("overview:pupil", args=[pupil_oak.pk])
    make_pupils(5, class_oak.school, class_oak)
    client.get(url)
    small = _count(client, url)
    make_pupils(60, class_oak.school, class_oak)
    large = _count(client, url)
    assert small[0] == large[0], f"{small[0]} then {large[0]}:\n{large[1]}"


def test_the_pupil_page_reads_the_register_history_once(login, senco_a, pupil_oak, oak_entry):
    """The header, the summary and the register button all show the current entry: read with the history, not
    asked for again (a LIMIT 1 query) each time the template names it."""
    with CaptureQueriesContext(connection) as captured:
        page = login(senco_a).get(reverse("overview:pupil", args=[pupil_oak.pk]))
    assert "SEN support" in page.content.decode()
    entry_reads = [q["sql"] for q in captured.captured_queries if 'FROM "pupils_registerentry"' in q["sql"]]
    assert not [sql for sql in entry_reads if sql.rstrip().endswith("LIMIT 1")], entry_reads


def test_the_pupil_page_runs_the_same_queries_however_many_duties_the_pupil_has(
    login, senco_a, pupil_oak, make_deadline
):
    client = login(senco_a)
    url = reverse("overview:pupil", args=[pupil_oak.pk])
    today = timezone.localdate()
    make_deadline(pupil_oak, today + timedelta(days=3), responsible=senco_a)
    client.get(url)
    few = _count(client, url)
    for days in range(6):
        make_deadline(pupil_oak, today + timedelta(days=10 + days), responsible=senco_a)
    many = _count(client, url)
    assert "Give advice for an EHC needs assessment" in client.get(url).content.decode()
    assert few[0] == many[0], f"{few[0]} then {many[0]}:\n{many[1]}"


def test_without_a_plan_is_those_on_sen_support_less_those_with_an_open_plan(login, senco_a, school_a, make_pupils):
    """The dashboard finds the panel's total as the register's count of pupils on SEN support less those of them
    with an open support plan: the same number as counting the list, whatever else has a plan (a pupil with an
    EHC plan or being monitored, a plan ended, a pupil who has left)."""
    today = timezone.localdate()
    pupils = make_pupils(120, school_a)  # 18 on the register: 6 on SEN support, 6 with EHC plans, 6 monitored
    entries = {
        status: list(RegisterEntry.objects.filter(pupil__in=pupils, status=status, ended_on__isnull=True))
        for status in ("K", "E", "M")
    }

    def plan(entry, *, ended_on=None) -> None:
        SupportPlan.objects.create(pupil=entry.pupil, started_on=today, ended_on=ended_on, created_by=senco_a)

    plan(entries["K"][0])
    plan(entries["K"][1])
    plan(entries["K"][2], ended_on=today)  # ended: still without one
    plan(entries["E"][0])  # an EHC plan's pupil with a support plan: not among those on SEN support
    plan(entries["M"][0])
    left = entries["K"][3].pupil
    plan(entries["K"][3])
    left.left_on = today - timedelta(days=1)  # left: on neither side
    left.save()

    panels = login(senco_a).get(reverse("overview:dashboard")).context["panels"]

    listed = provision_selectors.pupils_without_plan(school_a, today=today)
    assert panels.without_plan_total == listed.count() == 3  # six on SEN support, one left, two with plans
    assert [pupil.pk for pupil in panels.without_plan] == [pupil.pk for pupil in listed]
    assert overview_selectors.senco_panels(senco_a, school_a, today=today).without_plan_total == 3


def test_parents_not_told_is_those_on_sen_support_less_those_told(login, senco_a, school_a, make_pupils):
    """The dashboard finds how many parents are not yet told as the register's count of pupils on SEN support
    less those whose parents' deadline is settled: the same rows and number as counting the list, whatever
    else is settled (a pupil who has left, an entry since ended, a deadline still open)."""
    from deadlines import school_duties
    from deadlines.selectors import parents_not_told
    from pupils.selectors import register_counts

    today = timezone.localdate()
    pupils = make_pupils(120, school_a)  # 6 on SEN support
    sen_support = list(RegisterEntry.objects.filter(pupil__in=pupils, status="K", ended_on__isnull=True))
    school_duties.parents_told_deadlines_open(school=school_a, today=today)

    def settle(entry) -> None:
        deadlines = Deadline.objects.filter(kind=PARENTS_TOLD.key, source_id=str(entry.pk))
        assert deadlines.update(status=DeadlineStatus.MET, met_on=today) == 1

    settle(sen_support[0])
    settle(sen_support[1])
    settle(sen_support[2])  # and then left: on neither side
    Pupil.objects.filter(pk=sen_support[2].pupil_id).update(left_on=today - timedelta(days=1))
    settle(sen_support[3])  # and then the entry ended: on neither side
    RegisterEntry.objects.filter(pk=sen_support[3].pk).update(ended_on=today, end_reason="No longer needed")

    panels = login(senco_a).get(reverse("overview:dashboard")).context["panels"]

    on_sen_support = register_counts(school_a, on=today).count_of(RegisterStatus.SEN_SUPPORT)
    counted = parents_not_told(school_a, today=today, limit=10)
    subtracted = parents_not_told(school_a, today=today, limit=10, on_sen_support=on_sen_support)
    assert on_sen_support == 4 and counted.total == subtracted.total == panels.not_told_total == 2
    assert [row.entry.pk for row in counted.rows] == [row.entry.pk for row in subtracted.rows]
    assert {row.entry.pk for row in panels.not_told} == {sen_support[4].pk, sen_support[5].pk}


def test_recording_the_meeting_on_another_day_in_the_app_asks_and_keeps_the_date(login, senco_a, ehc_review):
    client = login(senco_a)
    url = reverse("ehc:review-held", args=[ehc_review.pk])
    refused = client.post(url, {"held_on": "2026-05-13"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "set for 11 May 2026" in page and 'value="2026-05-13"' in page
    assert client.post(url, {"held_on": "2026-05-13", "confirm_moved": "on"}).status_code == 302
    ehc_review.refresh_from_db()
    assert ehc_review.held_on == date(2026, 5, 13)


def test_the_senco_panels_show_ten_rows_and_say_how_many_more(login, senco_a, school_a, make_pupils):
    """A school with many pupils on SEN support: each panel builds the ten rows it shows and counts the rest."""
    make_pupils(300, school_a)  # 45 on the register, 15 of them on SEN support, none with a plan or parents told
    on_support = RegisterEntry.objects.filter(pupil__school=school_a, status="K", ended_on__isnull=True).count()
    assert on_support == 15

    response = login(senco_a).get(reverse("overview:dashboard"))

    panels = response.context["panels"]
    assert (len(panels.without_plan), panels.without_plan_total, panels.without_plan_more) == (10, 15, 5)
    assert (len(panels.not_told), panels.not_told_total, panels.not_told_more) == (10, 15, 5)
    assert [row.entry.started_on for row in panels.not_told] == sorted(row.entry.started_on for row in panels.not_told)
    page = response.content.decode()
    assert 'On SEN support without a support plan <span class="muted">(15)</span>' in page
    assert page.count("And 5 more.") == 2


def test_the_dashboards_rows_link_to_the_pupil_or_to_the_triage(login, senco_a, head_a, oak_entry, oak_concern):
    """The rows' links are built from one prefix a page (send_mis/links.py): each must still reach its page."""
    parents_told_open(entry=oak_entry)  # started in 2024: overdue, in the dashboard's first panel
    pupil = reverse("overview:pupil", args=[oak_entry.pupil_id])
    triage = reverse("pupils:concern-triage", args=[oak_concern.pk])

    senco_page = login(senco_a).get(reverse("overview:dashboard")).content.decode()
    # The overdue duty and the latest register change link to the pupil; the concern to its triage (the SENCO's).
    assert senco_page.count(f'href="{pupil}"') == 2
    assert senco_page.count(f'href="{triage}"') == 1

    head_page = login(head_a).get(reverse("overview:dashboard")).content.decode()
    # The head may not triage: their concern row links to the pupil.
    concerns = head_page.split('id="concerns-heading"')[1].split("</section>")[0]
    assert f'href="{pupil}"' in concerns
    assert triage not in head_page


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_the_dashboard_and_pupil_page_read_afresh_what_was_written_since_their_statements_were_kept(
    login, senco_a, teacher_a, oak_entry, oak_concern, pupil_ash
):
    """Their statements are compiled once per process (send_mis/statements.py), as in production with the check
    off: asked again after writes, each page shows the new rows, not the first request's."""
    statements.forget()
    client = login(senco_a)
    dashboard = reverse("overview:dashboard")
    profile = reverse("overview:pupil", args=[oak_entry.pupil_id])
    first = client.get(dashboard).content.decode()
    assert pupil_ash.display_name not in first.split('id="concerns-heading"')[1].split("</section>")[0]
    assert "Second worry" not in client.get(profile).content.decode()

    SenConcern.objects.create(pupil=pupil_ash, raised_by=teacher_a, description="Reading", status=ConcernStatus.OPEN)
    SenConcern.objects.create(
        pupil=oak_entry.pupil, raised_by=teacher_a, description="Second worry", status=ConcernStatus.OPEN
    )

    again = client.get(dashboard).content.decode()
    assert pupil_ash.display_name in again.split('id="concerns-heading"')[1].split("</section>")[0]
    assert "Second worry" in client.get(profile).content.decode()
    assert any(key[3] == "pupils.concerns_open" for key in statements._kept)  # the kept statement was used
