"""The governors' report: trend figures from the dated register history against a hand count, suppression that
holds across every table, the period chooser, CSV exports, the PDF with its charts, and the query budget."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from provision.models import AssessmentPoint, ProgressScore, SenBudget, Subject
from pupils import services as pupil_services
from pupils.models import NeedType, RegisterStatus
from reports import selectors
from reports.csv_export import rows_to_csv, safe_cell
from reports.periods import Period, census_day, parse_period, terms_up_to
from safeguarding.models import Category
from send_mis.suppression import revealed
from tests.factories import PupilFactory
from tests.fixtures.maps import make_provision
from tests.fixtures.reports import concerns, half_terms, run_group

pytestmark = pytest.mark.django_db

K, E, M = RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN, RegisterStatus.MONITORING


# --- Census days and periods (no database needed, but cheap) ---------------------------------------------


@pytest.mark.parametrize(
    ("year", "season", "expected"),
    [
        (2024, "autumn", date(2024, 10, 3)),  # first Thursday of October
        (2024, "spring", date(2025, 1, 16)),  # third Thursday of January
        (2024, "summer", date(2025, 5, 15)),  # third Thursday of May
        (2025, "autumn", date(2025, 10, 2)),
        (2026, "spring", date(2027, 1, 21)),  # 1 January 2027 is a Friday
    ],
)
def test_census_days_follow_the_dfe_pattern(year, season, expected):
    assert census_day(year, season) == expected


def test_a_year_is_counted_on_its_last_census_day_that_has_come():
    year = Period(2025)
    assert year.snapshot_day(date(2026, 2, 1)) == date(2026, 1, 15)
    assert year.snapshot_day(date(2025, 9, 20)) == date(2025, 9, 20)  # before the autumn census: today
    assert year.snapshot_day(date(2026, 8, 1)) == date(2026, 5, 21)


def test_a_period_in_the_future_or_garbled_falls_back_to_the_current_term():
    today = date(2026, 2, 1)
    assert parse_period("2025-spring", today=today) == Period(2025, "spring")
    assert parse_period("2025-year", today=today) == Period(2025)
    assert parse_period("2030-autumn", today=today) == Period(2025, "spring")
    assert parse_period("'; drop table", today=today) == Period(2025, "spring")


def test_the_trend_runs_over_at_least_six_terms_ending_with_the_period():
    terms = terms_up_to(Period(2025, "spring"), selectors.TREND_TERMS)
    assert len(terms) >= 6
    assert terms[-1] == Period(2025, "spring") and terms[-2] == Period(2025, "autumn")
    assert terms[-4] == Period(2024, "spring")


# --- Trend against a hand count -------------------------------------------------------------------------------


@pytest.fixture
def history(school_a, senco_a, needs):
    """Six pupils whose register histories cross the census days of 2024 to 2025 (census days 3 October 2024,
    16 January 2025 and 15 May 2025)."""

    def pupil(**kwargs):
        return PupilFactory(school=school_a, admitted_on=kwargs.pop("admitted_on", date(2021, 9, 1)), **kwargs)

    def add(p, status, on, need="SLCN"):
        return pupil_services.register_entry_add(
            pupil=p,
            status=status,
            primary_need=needs[need] if status != M else None,
            started_on=on,
            start_reason="Hand-count fixture",
            actor=senco_a,
        )

    p1, p2, p3, p4 = pupil(), pupil(), pupil(), pupil()
    p5 = pupil(left_on=date(2024, 12, 20))
    p6 = pupil(admitted_on=date(2025, 1, 20))
    add(p1, K, date(2024, 9, 2))  # K throughout
    entry = add(p2, K, date(2024, 9, 2), "ASD")  # K, then E from the spring census day itself
    pupil_services.register_entry_change(
        entry=entry,
        status=E,
        primary_need=needs["ASD"],
        secondary_need=None,
        changed_on=date(2025, 1, 16),
        reason="EHC plan issued",
        actor=senco_a,
    )
    add(p3, M, date(2024, 9, 2))  # monitoring: never counted
    entry = add(p4, K, date(2024, 11, 1), "MLD")  # K from November, ended on the summer census day
    pupil_services.register_entry_end(entry=entry, ended_on=date(2025, 5, 15), end_reason="Caught up", actor=senco_a)
    entry = add(p5, K, date(2023, 9, 4), "SEMH")  # K, left the school in December
    pupil_services.register_entry_end(entry=entry, ended_on=date(2024, 12, 20), end_reason="Left", actor=senco_a)
    add(p6, E, date(2025, 2, 1), "HI")  # joined in January with an EHC plan from February
    return school_a


def test_trend_figures_match_a_hand_count_of_the_register_history(history):
    terms = [Period(2024, "autumn"), Period(2024, "spring"), Period(2024, "summer")]

    trend = selectors.register_trend(history, terms, today=date(2026, 1, 1))

    # 3 Oct 2024: p1, p2, p5 on K; roll p1 to p5.
    # 16 Jan 2025: p1, p4 on K, p2 on E from that day; p5 has left; p6 not yet admitted.
    # 15 May 2025: p1 on K (p4 ended that day); p2 and p6 on E; roll p1 to p4 and p6.
    assert [(p.day, p.roll, p.counts[K], p.counts[E]) for p in trend] == [
        (date(2024, 10, 3), 5, 3, 0),
        (date(2025, 1, 16), 4, 2, 1),
        (date(2025, 5, 15), 5, 1, 2),
    ]


def test_a_term_whose_census_day_is_ahead_is_counted_today(history):
    (point,) = selectors.register_trend(history, [Period(2024, "summer")], today=date(2025, 4, 30))
    assert point.day == date(2025, 4, 30)
    assert (point.counts[K], point.counts[E]) == (2, 2)


# --- Suppression across the register tables -----------------------------------------------------------------


def test_no_register_figure_can_be_worked_out_from_the_figures_shown(history):
    figures = selectors.register_figures(history, Period(2024, "summer"), today=date(2026, 1, 1))

    assert revealed(figures.shown, figures.groups) == {}
    assert figures.headline["sen_support"] == "fewer than 5"
    assert figures.headline["sen_support_percent"] == "fewer than 5"
    needs_table = next(t for t in figures.tables if t.key == "register-needs")
    assert needs_table.foot.cells == ["fewer than 5", "fewer than 5", "fewer than 5"]


def test_a_larger_register_is_shown_with_its_percentages(school_a, make_pupils):
    make_pupils(100, school_a)  # 5 on SEN support, 5 with EHC plans, 5 monitoring

    figures = selectors.register_figures(school_a, Period(2025, "autumn"), today=date(2025, 11, 1))

    assert figures.headline == {
        "roll": "100",
        "sen_support": "5",
        "sen_support_percent": "5.0%",
        "ehc_plan": "5",
        "ehc_plan_percent": "5.0%",
        "all": "10",
        "all_percent": "10.0%",
    }
    national = next(t for t in figures.tables if t.key == "register-national")
    assert national.rows[0].cells == ["5.0%", "14.2%", "January 2025"]
    assert national.rows[1].cells == ["5.0%", "5.3%", "January 2025"]


# --- The page, the CSV and the PDF ----------------------------------------------------------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_governor_sees_charts_with_tables_and_no_pupil(login, governor_a, history, pupil_oak, oak_entry):
    _unmistakable_surnames(history)
    response = login(governor_a).get(reverse("reports:governors"), {"period": "2024-summer"})
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count("<svg") == 2  # the trend and the broad areas (no progress data in this fixture)
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "style=" not in page.split("<main", 1)[1]  # presentation attributes only: a strict CSP holds
    assert "Pupils with SEN on each term&#x27;s census day" in page
    assert "No provision is recorded for Summer term 2024 to 2025" in page
    assert "No school terms are set up for Summer term 2024 to 2025" in page
    for pupil in (pupil_oak, *history.pupils.all()):
        assert pupil.legal_surname not in page and pupil.upn not in page


def _unmistakable_surnames(school) -> None:
    """Faker's surnames include words a report prints anyway ("May", "Summer"): name the pupils unmistakably so
    that finding a surname in the text means a name leaked."""
    for number, pupil in enumerate(school.pupils.all()):
        type(pupil).objects.filter(pk=pupil.pk).update(legal_surname=f"Qzsurname{number}")


def test_every_table_downloads_as_csv(login, governor_a, history):
    client = login(governor_a)
    report = selectors.governors_report(history, Period(2024, "summer"), today=date(2026, 1, 1))
    for table in report.tables:
        response = client.get(reverse("reports:governors-csv", args=[table.key]), {"period": "2024-summer"})
        assert response.status_code == 200, table.key
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[0].split(",")[0] == table.columns[0]
    assert client.get(reverse("reports:governors-csv", args=["no-such-table"])).status_code == 404


def test_csv_cells_cannot_run_as_formulas(login, governor_a, history):
    NeedType.objects.filter(code="OTH").update(name='=HYPERLINK("http://evil.example","click")')
    response = login(governor_a).get(reverse("reports:governors-csv", args=["register-needs"]))
    assert "'=HYPERLINK" in response.content.decode()
    assert safe_cell("+1+2") == "'+1+2" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("\tx") == "'\tx"
    assert safe_cell("-5.7") == "-5.7" and safe_cell("12") == "12" and safe_cell("-x") == "'-x"
    assert rows_to_csv([["a,b", 1]]) == '"a,b",1\r\n'


def test_the_report_renders_as_a_real_pdf_with_its_charts(login, governor_a, history):
    _unmistakable_surnames(history)
    response = login(governor_a).get(reverse("reports:governors-pdf"), {"period": "2024-summer"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="governors-send-report-{history.urn}-2024-summer.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "SEND report for governors" in text
    assert "SEN support" in text and "EHC plan" in text  # the charts' legends, drawn as SVG text
    assert "Pupils with SEN on each term's census day" in text
    assert "Download this table as CSV" not in text
    for pupil in history.pupils.all():
        assert pupil.legal_surname not in text and pupil.upn not in text


def test_pdf_unavailable_is_a_clear_page_not_a_500(login, governor_a, history, monkeypatch):
    from send_mis.pdf import PdfUnavailable

    def broken(html):
        raise PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("reports.pdf.html_to_pdf", broken)
    response = login(governor_a).get(reverse("reports:governors-pdf"))
    assert response.status_code == 503
    assert "PDFs cannot be made on this server" in response.content.decode()


# --- Progress --------------------------------------------------------------------------------------------------


@pytest.fixture
def scored(school_a, make_pupils):
    """60 pupils (6 on SEN support or with an EHC plan) with reading scores at two points of 2025 to 2026: pupils with SEN gain 2
    points, the others 5."""
    pupils = make_pupils(60, school_a)
    loader = get_user_model().objects.get(username="data-loader")
    reading = Subject.objects.create(school=school_a, name="Reading", ordering=1)
    autumn = AssessmentPoint.objects.create(
        school=school_a, name="Autumn 2025", season="autumn", academic_year=2025, assessed_on=date(2025, 12, 1)
    )
    summer = AssessmentPoint.objects.create(
        school=school_a, name="Summer 2026", season="summer", academic_year=2025, assessed_on=date(2026, 6, 20)
    )
    on_register = {p.pk for p in pupils if p.register_entries.exclude(status=M).exists()}
    rows = []
    for p in pupils:
        gain = 2 if p.pk in on_register else 5
        rows.append(ProgressScore(pupil=p, subject=reading, point=autumn, score=Decimal(95), entered_by=loader))
        rows.append(ProgressScore(pupil=p, subject=reading, point=summer, score=Decimal(95 + gain), entered_by=loader))
    ProgressScore.objects.bulk_create(rows)
    return school_a, len(on_register)


def test_progress_compares_pupils_with_sen_against_the_rest(scored):
    school, with_sen = scored
    figures = selectors.progress_figures(school, Period(2025), today=date(2026, 7, 10))
    assert figures.start.name == "Autumn 2025" and figures.end.name == "Summer 2026"
    assert figures.table.rows[0].cells == [str(with_sen), "+2.0", str(60 - with_sen), "+5.0", "-3.0"]
    assert figures.chart is not None and len(figures.chart.bars) == 2


def test_a_mean_over_fewer_than_5_pupils_is_not_shown(school_a, scored):
    school, _ = scored
    # Keep only 3 pupils with SEN scored at the later point.
    with_sen = ProgressScore.objects.filter(point__name="Summer 2026", pupil__register_entries__status__in=[K, E])
    keep = list(with_sen.values_list("pk", flat=True)[:3])
    with_sen.exclude(pk__in=keep).delete()
    figures = selectors.progress_figures(school, Period(2025), today=date(2026, 7, 10))
    assert figures.table.rows[0].cells[:2] == ["fewer than 5", "fewer than 5 pupils"]
    assert figures.table.rows[0].cells[-1] == "–"


# --- Query budget ------------------------------------------------------------------------------------------------


GOVERNORS_REPORT_QUERIES = 42  # the letterhead's school details and signatory included


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"period": "2025-year"})
    assert response.status_code == 200
    return len(captured)


def _scores_for(school, pupils, subject, points, user) -> None:
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=subject, point=point, score=Decimal(90 + i % 20 + k), entered_by=user)
        for i, p in enumerate(pupils)
        for k, point in enumerate(points)
    )


def _provision_and_concerns(school, pupils, *, provisions, category, actor) -> None:
    """A reading group linked to the Reading subject (so the effect size reads the scores) for most of the
    pupils, a calm-space group for two, and a triaged concern for every fourth pupil."""
    reading, calm = provisions
    run_group(reading, pupils[2:], actor=actor, starts_on=date(2025, 12, 8), sessions=30, changes=[3, -1, 4])
    run_group(calm, pupils[:2], actor=actor, starts_on=date(2026, 5, 4), sessions=6, changes=[1])
    concerns(pupils[::4], school=school, actor=actor, on=date(2025, 11, 10), category=category)


def test_the_governors_report_runs_a_fixed_number_of_queries(login, governor_a, school_a, make_pupils, senco_a):
    # session, user, memberships, school; trend (roll, register); needs by status, years by status, roll by
    # year, need types, national figures; EHC plans held, assessments, plans issued, annual reviews, LA
    # timeliness deadlines; support plan reviews, termly meetings, flags by status, pupils flagged; progress
    # points, score changes (one grouped query), subjects; provision: spend in the period and in the financial
    # year (sessions, groups started, places, pupils: four each), the budget, the impact table (places, costs,
    # assessment points, settings, scores); safeguarding: terms, categories, concerns; the navigation's
    # lookups. None per pupil, term, need, provision or concern.
    client = login(governor_a)
    loader_pupils = make_pupils(20, school_a)
    loader = get_user_model().objects.get(username="data-loader")
    reading = Subject.objects.create(school=school_a, name="Reading", ordering=1)
    points = [
        AssessmentPoint.objects.create(school=school_a, name=name, season=season, academic_year=2025, assessed_on=day)
        for name, season, day in (("A25", "autumn", date(2025, 12, 1)), ("S26", "summer", date(2026, 6, 20)))
    ]
    _scores_for(school_a, loader_pupils, reading, points, loader)
    half_terms(school_a, 2025)
    category = Category.objects.create(school=school_a, name="Neglect")
    provisions = (
        make_provision(school_a, senco_a, subject=reading, measure_scale="standardised"),
        make_provision(school_a, senco_a, name="Calm space", broad_area="semh", wave=3),
    )
    SenBudget.objects.create(school=school_a, financial_year=2026, notional_budget=Decimal(90000))
    _provision_and_concerns(school_a, loader_pupils, provisions=provisions, category=category, actor=senco_a)
    _queries(client, reverse("reports:governors"))  # the first request also fills per-process caches
    few = _queries(client, reverse("reports:governors"))
    more = make_pupils(200, school_a)
    _scores_for(school_a, more, reading, points, loader)
    _provision_and_concerns(school_a, more, provisions=provisions, category=category, actor=senco_a)
    many = _queries(client, reverse("reports:governors"))
    assert few == many
    assert many <= GOVERNORS_REPORT_QUERIES
    page = client.get(reverse("reports:governors"), {"period": "2025-year"}).content.decode()
    assert "Impact of each provision" in page and "Safeguarding concerns by category and term" in page
