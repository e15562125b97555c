"""The demo seed: refuses in production, loads once, and builds the school the README describes, with the EHC
and graduated-approach work a SENCO sees on the dashboard."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.management.commands.seed_demo import DEMO_URN, easter_sunday, term_dates
from pupils.models import Pupil, RegisterEntry, RegisterStatus, School

FIXED_TODAY = date(2026, 11, 27)


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def frozen_today(monkeypatch):
    """Make timezone.localdate() (no argument) return FIXED_TODAY, so the services' "not in the future" checks
    and the pages' deadline states agree with --today whenever the test is run."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return FIXED_TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return FIXED_TODAY


def test_refuses_under_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _seed()


def test_refuses_a_future_or_malformed_today():
    with pytest.raises(CommandError, match="future"):
        _seed("--today", (timezone.localdate() + timedelta(days=1)).isoformat())
    with pytest.raises(CommandError):
        _seed("--today", "27/11/2026")


def test_term_dates_are_english_style_half_terms():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    terms = term_dates(2026)
    assert [name for name, _, _ in terms] == ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]
    assert terms[0][1:] == (date(2026, 9, 2), date(2026, 10, 23))
    assert terms[1][1:] == (date(2026, 11, 2), date(2026, 12, 18))
    assert terms[5][1] == date(2027, 6, 7)
    for (_, _, ends), (_, starts, _) in itertools.pairwise(terms):
        assert starts > ends  # a holiday between each half term
    for _, starts, ends in terms:
        assert starts.weekday() < 5 and ends.weekday() < 5 and starts < ends


@pytest.mark.django_db
def test_seed_builds_the_documented_school_once_and_the_senco_sees_live_work(frozen_today, login):
    first = _seed("--today", FIXED_TODAY.isoformat())
    assert "Demo school loaded as of 2026-11-27" in first
    assert "already loaded" in _seed("--today", FIXED_TODAY.isoformat())
    assert School.objects.filter(urn=DEMO_URN).count() == 1

    school = School.objects.get(urn=DEMO_URN)
    assert Pupil.objects.filter(school=school).count() == 420
    current = RegisterEntry.objects.filter(pupil__school=school, ended_on__isnull=True)
    k = current.filter(status=RegisterStatus.SEN_SUPPORT).count()
    e = current.filter(status=RegisterStatus.EHC_PLAN).count()
    assert 0.12 <= k / 420 <= 0.16
    assert 0.02 <= e / 420 <= 0.03
    # the terms are this academic year's and next year's, not fixed dates
    assert school.terms.order_by("starts_on").first().starts_on == date(2026, 9, 2)
    assert school.terms.order_by("starts_on").last().ends_on == date(2028, 7, 21)

    from django.contrib.auth import get_user_model

    senco = get_user_model().objects.get(username="senco")
    client = login(senco)
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    panels = {panel.key: panel for panel in dashboard.context["deadline_panels"]}
    assert panels["overdue"].count >= 1
    assert panels["due_soon"].count >= 1

    ehc_list = client.get("/ehc/")
    assert ehc_list.status_code == 200
    # ten plans, and one issued ten days ago whose pupil's register entry still says SEN support (demo/law.py)
    assert ehc_list.context["page"].paginator.count == 11
    assert len(ehc_list.context["assessments"]) == 2

    from deadlines.models import Deadline, DeadlineStatus
    from ehc.models import AnnualReview, Disagreement, DraftPlanConsultation
    from provision.models import Passport, ProgressFlag, ProgressScore, SupportPlan

    open_ehc = Deadline.objects.filter(school=school, kind__startswith="ehc.", status=DeadlineStatus.OPEN)
    overdue_reviews = open_ehc.filter(kind="ehc.annual_review", due_on__lt=FIXED_TODAY)
    assert overdue_reviews.count() == 1
    assert open_ehc.get(kind="ehc.review_invitations").due_on - FIXED_TODAY <= timedelta(days=14)
    assert open_ehc.get(kind="ehc.advice").due_on - FIXED_TODAY <= timedelta(days=14)
    assert open_ehc.get(kind="ehc.draft_views").due_on == FIXED_TODAY + timedelta(days=4)
    assert open_ehc.filter(kind="ehc.review_report").count() == 1
    assert AnnualReview.objects.filter(plan__pupil__school=school, held_on__isnull=True).count() == 2
    assert DraftPlanConsultation.objects.filter(pupil__school=school).count() == 1
    assert Disagreement.objects.filter(pupil__school=school).count() == 1

    assert ProgressScore.objects.filter(pupil__school=school).count() > 2500
    assert ProgressFlag.objects.filter(pupil__school=school).exists()
    plans = SupportPlan.objects.filter(pupil__school=school)
    assert 0.4 * k <= plans.count() <= 0.6 * k
    assert plans.filter(pupil__school_class__name="3 Oak").count() >= 2
    oak_k = current.filter(status=RegisterStatus.SEN_SUPPORT, pupil__school_class__name="3 Oak")
    assert Passport.objects.filter(pupil__in=oak_k.values("pupil")).values("pupil").distinct().count() == oak_k.count()


@pytest.mark.django_db
def test_the_demo_shows_each_new_deadline_of_the_law_at_least_once(frozen_today, login):
    _seed("--today", FIXED_TODAY.isoformat())
    from deadlines.models import Deadline, DeadlineStatus
    from ehc.models import AnnualReview, PhaseTransfer

    school = School.objects.get(urn=DEMO_URN)
    deadlines = Deadline.objects.filter(school=school)
    for kind in (
        "ehc.phase_transfer",
        "ehc.la_reassessment_final_plan",
        "ehc.la_transfer_notice",
        "pupils.parents_told",
        "provision.healthcare_plan_review",
        "school.sen_information_report",
        "school.accessibility_plan",
        "school.senco_qualification",
    ):
        assert deadlines.filter(kind=kind, status=DeadlineStatus.OPEN).exists(), kind
    # the school's own duties have no pupil; the SENCO is in her second year without the award yet
    school_level = deadlines.filter(kind__startswith="school.")
    assert school_level.count() == 3 and not school_level.filter(pupil__isnull=False).exists()
    senco_deadline = school_level.get(kind="school.senco_qualification")
    assert FIXED_TODAY < senco_deadline.due_on <= FIXED_TODAY + timedelta(days=2 * 366)
    assert senco_deadline.responsible.username == "head"
    assert school_level.get(kind="school.sen_information_report").due_on <= FIXED_TODAY + timedelta(days=31)
    # Year 6 transfers in September 2027: amended plan by 14 February 2027, review planned by 1 November 2026
    transfer = PhaseTransfer.objects.filter(plan__pupil__school=school).first()
    assert (transfer.due_on, transfer.review_by) == (date(2027, 2, 14), date(2026, 11, 1))
    # the parents-told deadlines of pupils who went onto SEN support long ago are met; one is still open
    assert deadlines.filter(kind="pupils.parents_told", status=DeadlineStatus.OPEN).count() == 1
    # a review with the five reg 20(2) invitees covered has its invitations met
    assert deadlines.filter(kind="ehc.review_invitations", status=DeadlineStatus.MET).exists()
    assert AnnualReview.objects.filter(plan__pupil__school=school, roles_not_applicable__isnull=False).exists()
    # the register prompt for the plan issued to a pupil still on SEN support
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from ehc.models import EhcPlan

    fresh = EhcPlan.objects.filter(pupil__school=school, issued_on=FIXED_TODAY - timedelta(days=10)).get()
    client = login(get_user_model().objects.get(username="senco"))
    page = client.get(reverse("ehc:overview", args=[fresh.pupil_id])).content.decode()
    assert "Change the register to EHC plan" in page


@pytest.mark.parametrize(
    ("day", "school_day"),
    [
        (date(2026, 11, 27), date(2026, 11, 27)),  # a Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # a Sunday: the Friday before
        (date(2026, 12, 28), date(2026, 12, 24)),  # the Boxing Day substitute holiday, after Christmas Day
        (date(2027, 1, 1), date(2026, 12, 31)),  # New Year's Day
    ],
)
def test_the_demos_today_is_a_school_day(day, school_day):
    from demo.school_day import last_school_day

    assert last_school_day(day) == school_day


@pytest.mark.django_db
def test_the_demo_shows_the_disclosure_log_and_a_subject_access_export(frozen_today, login):
    _seed("--today", FIXED_TODAY.isoformat())
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from pupils.models import Disclosure

    school = School.objects.get(urn=DEMO_URN)
    log = Disclosure.objects.filter(pupil__school=school)
    sent = log.get(purpose="next_setting")
    assert sent.recipient.startswith("Headteacher") and sent.document == "ehc_review_report"
    assert {"ehc_review_report", "ehc_advice", "passport", "provision_map", "school_provision_map", "send_file"} <= set(
        log.values_list("document", flat=True)
    )
    assert log.filter(document="subject_access", purpose="consent").exists()
    head = get_user_model().objects.get(username="head")
    page = login(head).get(reverse("disclosures:pupil-log", args=[sent.pupil_id])).content.decode()
    assert "Bulwell Academy" in page and "Subject access export" in page
