"""School-level deadlines (a duty of the school itself, with no pupil): who sees them, how they are listed,
emailed and fed, and the three duties that open them (the SENCO's qualification, the accessibility plan, the
SEN information report)."""

from __future__ import annotations

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines import emails, feeds, school_duties, services
from deadlines.access import deadlines_visible_to
from deadlines.models import Deadline, DeadlineStatus, Reminder
from pupils import school_setup
from pupils.models import Membership, Role, School
from reports import services as report_services
from reports.information import SECTION_KEYS
from reports.periods import current_term
from tests.factories import UserFactory

TODAY = D(2026, 11, 18)


def _school_deadline(school, *, due_on=D(2026, 12, 1), responsible=None) -> Deadline:
    return services.deadlines_sync(
        source=school,
        school=school,
        specs=[
            school_duties.DeadlineSpec(
                kind=school_duties.SEN_INFORMATION_REPORT, due_on=due_on, responsible=responsible
            )
        ],
    )[0]


def test_a_deadline_names_a_pupil_or_the_school_never_both_nor_neither(school_a, pupil_oak):
    spec = school_duties.DeadlineSpec(kind=school_duties.SEN_INFORMATION_REPORT, due_on=TODAY)
    with pytest.raises(ValueError):
        services.deadlines_sync(source=school_a, specs=[spec])
    with pytest.raises(ValueError):
        services.deadlines_sync(source=school_a, pupil=pupil_oak, school=school_a, specs=[spec])


def test_school_level_deadlines_are_seen_by_the_head_and_sencos_only(
    school_a, senco_a, head_a, dsl_a, teacher_a, governor_a, senco_b, class_oak
):
    deadline = _school_deadline(school_a)
    assert deadline.pupil is None and deadline.school == school_a

    for user in (senco_a, head_a):
        assert deadlines_visible_to(user).filter(pk=deadline.pk).exists(), user
    for user in (dsl_a, teacher_a, governor_a, senco_b):
        assert not deadlines_visible_to(user).filter(pk=deadline.pk).exists(), user


def test_the_person_responsible_always_sees_a_school_level_deadline(school_a, governor_a, teacher_a, class_oak):
    deadline = _school_deadline(school_a, responsible=governor_a)
    assert deadlines_visible_to(governor_a).filter(pk=deadline.pk).exists()
    assert not deadlines_visible_to(teacher_a).filter(pk=deadline.pk).exists()


def test_the_list_and_dashboard_say_the_school_with_no_pupil(login, school_a, senco_a, head_a):
    _school_deadline(school_a, due_on=timezone.localdate())
    page = login(senco_a).get(reverse("deadlines:deadline-list")).content.decode()
    assert "Publish the SEN information report" in page and "The school" in page
    dashboard = login(head_a).get(reverse("overview:dashboard")).content.decode()
    assert "Publish the SEN information report" in dashboard


def test_reminder_email_and_feed_carry_no_pupil(school_a, senco_a):
    deadline = _school_deadline(school_a, due_on=TODAY)
    reminder = Reminder.objects.create(deadline=deadline, kind="due", for_date=TODAY, recipient=senco_a)
    message = emails.reminder_message(reminder, today=TODAY)
    html = message.alternatives[0][0]
    assert "For: the school" in message.body and "Pupil:" not in message.body
    assert "The school" in html and "Pupil</th>" not in html
    digest = emails.digest_message(senco_a, [deadline], today=TODAY)
    assert "Publish the SEN information report: the school." in digest.body
    assert feeds.summary(deadline) == "Publish the SEN information report – the school"
    assert b"/deadlines/" in feeds.deadlines_calendar([deadline], today=TODAY)


def test_the_sweep_records_reminders_for_a_school_level_deadline(school_a, senco_a, head_a):
    from tests.fixtures.deadlines import SCHOOL_DAY_NOON

    _school_deadline(school_a, due_on=timezone.localdate(SCHOOL_DAY_NOON))
    services.reminders_record(now=SCHOOL_DAY_NOON)
    assert Reminder.objects.filter(deadline__pupil__isnull=True, recipient=senco_a).exists()


# --- The SENCO's qualification -------------------------------------------------------------------------------


def test_a_senco_qualification_opens_for_the_head_and_closes_on_a_qualifying_award(school_a, senco_a, head_a):
    record = school_setup.senco_qualification_save(
        school=school_a,
        senco=senco_a,
        took_up_on=D(2024, 2, 29),
        award="",
        begun_on=None,
        completed_on=None,
        today=TODAY,
        actor=head_a,
    )
    deadline = Deadline.objects.get(kind=school_duties.SENCO_QUALIFICATION.key)
    # 29 Feb 2024 + 3 years: 28 Feb 2027 (no 29 February).
    assert (deadline.due_on, deadline.responsible, deadline.pupil) == (D(2027, 2, 28), head_a, None)
    assert deadline.status == DeadlineStatus.OPEN

    school_setup.senco_qualification_save(
        school=school_a,
        senco=senco_a,
        took_up_on=D(2024, 2, 29),
        award="npq_senco",
        begun_on=D(2025, 10, 1),
        completed_on=D(2026, 7, 15),
        today=TODAY,
        actor=head_a,
    )
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, D(2026, 7, 15))
    assert Deadline.objects.filter(kind=school_duties.SENCO_QUALIFICATION.key).count() == 1
    assert record.senco == senco_a


def test_a_nasenco_begun_too_late_is_refused_with_a_reason(school_a, senco_a, head_a):
    with pytest.raises(ValidationError) as error:
        school_setup.senco_qualification_save(
            school=school_a,
            senco=senco_a,
            took_up_on=D(2024, 9, 1),
            award="nasenco",
            begun_on=D(2024, 9, 1),
            completed_on=D(2025, 7, 1),
            today=TODAY,
            actor=head_a,
        )
    assert "1 September 2024" in str(error.value)
    assert not Deadline.objects.exists()


def test_only_a_senco_of_the_school_has_a_qualification_record(school_a, teacher_a, head_a):
    with pytest.raises(ValidationError, match="SENCO of this school"):
        school_setup.senco_qualification_save(
            school=school_a,
            senco=teacher_a,
            took_up_on=D(2025, 9, 1),
            award="",
            begun_on=None,
            completed_on=None,
            today=TODAY,
            actor=head_a,
        )


def test_a_senco_who_leaves_the_role_has_their_deadline_excused(school_a, senco_a, head_a):
    school_setup.senco_qualification_save(
        school=school_a,
        senco=senco_a,
        took_up_on=D(2025, 9, 1),
        award="",
        begun_on=None,
        completed_on=None,
        today=TODAY,
        actor=head_a,
    )
    Membership.objects.filter(user=senco_a, school=school_a, role=Role.SENCO).delete()
    school_duties.school_calendar_sync(school=school_a, today=TODAY)
    assert Deadline.objects.get(kind=school_duties.SENCO_QUALIFICATION.key).status == DeadlineStatus.EXCUSED


# --- The accessibility plan ----------------------------------------------------------------------------------


def test_each_accessibility_plan_opens_the_next_and_meets_the_one_before(school_a, head_a, senco_a):
    first = school_setup.accessibility_plan_add(
        school=school_a,
        plan_on=D(2023, 9, 1),
        held_by=senco_a,
        published_at="https://example.org/access",
        today=TODAY,
        actor=head_a,
    )
    deadline = Deadline.objects.get(kind=school_duties.ACCESSIBILITY_PLAN.key)
    # 1 Sep 2023: the period runs to 31 Aug 2026.
    assert (deadline.due_on, deadline.responsible, deadline.status) == (D(2026, 8, 31), senco_a, "open")

    school_setup.accessibility_plan_add(
        school=school_a,
        plan_on=D(2026, 9, 14),
        held_by=None,
        published_at="On the school website",
        today=TODAY,
        actor=head_a,
    )
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, D(2026, 9, 14))  # met late
    latest = Deadline.objects.filter(kind=school_duties.ACCESSIBILITY_PLAN.key, status="open").get()
    assert latest.due_on == D(2029, 9, 13)
    assert first.published_at == "https://example.org/access"


def test_an_accessibility_plan_in_the_future_or_twice_on_a_day_is_refused(school_a, head_a):
    with pytest.raises(ValidationError, match="future"):
        school_setup.accessibility_plan_add(
            school=school_a, plan_on=D(2026, 11, 19), held_by=None, published_at="x", today=TODAY, actor=head_a
        )
    school_setup.accessibility_plan_add(
        school=school_a, plan_on=D(2026, 9, 1), held_by=None, published_at="x", today=TODAY, actor=head_a
    )
    with pytest.raises(ValidationError, match="already recorded"):
        school_setup.accessibility_plan_add(
            school=school_a, plan_on=D(2026, 9, 1), held_by=None, published_at="y", today=TODAY, actor=head_a
        )


# --- The SEN information report ------------------------------------------------------------------------------


def test_the_first_sen_information_report_date_opens_moves_and_clears(school_a, head_a):
    school_setup.information_report_first_due_set(school=school_a, due_on=D(2027, 1, 31), today=TODAY, actor=head_a)
    deadline = Deadline.objects.get(kind=school_duties.SEN_INFORMATION_REPORT.key)
    assert (deadline.due_on, deadline.pupil, deadline.status) == (D(2027, 1, 31), None, "open")
    school_setup.information_report_first_due_set(school=school_a, due_on=D(2027, 2, 28), today=TODAY, actor=head_a)
    deadline.refresh_from_db()
    assert deadline.due_on == D(2027, 2, 28)
    school_setup.information_report_first_due_set(school=school_a, due_on=None, today=TODAY, actor=head_a)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.EXCUSED


def test_a_governor_approving_the_report_meets_the_deadline_and_opens_next_years(school_a, head_a, senco_a, governor_a):
    today = timezone.localdate()
    school_setup.information_report_first_due_set(school=school_a, due_on=today, today=today, actor=head_a)
    year = current_term(today).academic_year
    version = report_services.information_report_save(
        school=school_a,
        academic_year=year,
        texts=dict.fromkeys(SECTION_KEYS, "Our words."),
        today=today,
        actor=senco_a,
    )
    report_services.information_report_approve(version=version, today=today, actor=governor_a)

    first = Deadline.objects.get(kind=school_duties.SEN_INFORMATION_REPORT.key, source_id=str(school_a.pk))
    assert (first.status, first.met_on) == (DeadlineStatus.MET, today)
    following = Deadline.objects.get(kind=school_duties.SEN_INFORMATION_REPORT.key, source_id=str(version.pk))
    assert following.status == DeadlineStatus.OPEN
    assert following.due_on == school_duties.school_statutory.information_report_due(today)
    # The daily sweep leaves the published cycle alone: the first date no longer applies.
    school_duties.school_calendar_sync(school=school_a, today=today)
    assert Deadline.objects.filter(kind=school_duties.SEN_INFORMATION_REPORT.key, status="open").count() == 1


# --- The head's pages ---------------------------------------------------------------------------------------


def test_the_head_records_a_senco_qualification_and_bad_input_is_kept(login, school_a, head_a, senco_a):
    client = login(head_a)
    url = reverse("school:duties-senco", args=[school_a.pk])
    response = client.post(
        url, {"senco": senco_a.pk, "took_up_on": "2024-09-02", "award": "nasenco", "begun_on": "2024-10-01"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "does not count" in page and "2024-10-01" in page

    response = client.post(url, {"senco": senco_a.pk, "took_up_on": "2024-09-02", "award": "", "begun_on": ""})
    assert response.status_code == 302
    duties = client.get(reverse("school:duties", args=[school_a.pk])).content.decode()
    assert "2 September 2024" in duties and "2 September 2027" in duties


def test_the_head_records_an_accessibility_plan_and_a_bad_date_is_explained(login, school_a, head_a):
    client = login(head_a)
    url = reverse("school:duties-accessibility-plan", args=[school_a.pk])
    response = client.post(url, {"plan_on": "not a date", "published_at": "https://example.org/plan"})
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    assert "https://example.org/plan" in response.content.decode()
    response = client.post(url, {"plan_on": "2026-09-01", "published_at": "https://example.org/plan"})
    assert response.status_code == 302
    assert Deadline.objects.filter(kind=school_duties.ACCESSIBILITY_PLAN.key, due_on=D(2029, 8, 31)).exists()


def test_the_head_sets_the_first_report_date_on_the_duties_page(login, school_a, head_a):
    client = login(head_a)
    url = reverse("school:duties", args=[school_a.pk])
    assert client.post(url, {"due_on": "31/02/2027"}).status_code == 200
    assert client.post(url, {"due_on": "2027-03-31"}).status_code == 302
    school_a.refresh_from_db()
    assert school_a.information_report_first_due_on == D(2027, 3, 31)
    assert isinstance(school_a, School)


def test_the_duties_are_audited(school_a, head_a):
    from auditlog.models import LogEntry

    school_setup.accessibility_plan_add(
        school=school_a, plan_on=D(2026, 9, 1), held_by=None, published_at="x", today=TODAY, actor=head_a
    )
    entry = LogEntry.objects.filter(content_type__model="accessibilityplan").get()
    assert entry.actor == head_a and entry.additional_data == {"school_id": str(school_a.pk)}


def test_a_new_user_is_nobody_here(school_a):
    assert not deadlines_visible_to(UserFactory()).exists()
