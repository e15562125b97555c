"""The demo school's reports as a governor and the public read them: never a pupil's name, initials or UPN, in
any page or PDF; the headline figures the demo gives."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo.management.commands.seed_demo import DEMO_URN
from pupils.models import Pupil

pytestmark = pytest.mark.django_db

FIXED_TODAY = date(2026, 11, 27)
# Two capital letters standing alone that a report may print: census need codes and "LA". Anything else that
# looks like initials fails the test.
ALLOWED_PAIRS = {"HI", "VI", "PD", "LA"}


@pytest.fixture
def demo(monkeypatch):
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: FIXED_TODAY if value is None else real(value),
    )
    call_command("seed_demo", "--today", FIXED_TODAY.isoformat(), stdout=io.StringIO())
    return list(Pupil.objects.filter(school__urn=DEMO_URN))


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _assert_no_pupil(text: str, pupils: list[Pupil]) -> None:
    for pupil in pupils:
        assert pupil.upn not in text
        for name in (pupil.display_name, f"{pupil.legal_forename} {pupil.legal_surname}"):
            assert name not in text
        assert not re.search(rf"\b{re.escape(pupil.legal_surname)}\b", text), pupil.legal_surname
    assert set(re.findall(r"\b[A-Z]{2}\b", text)) <= ALLOWED_PAIRS


def test_a_governor_never_sees_a_pupil_in_the_demo_schools_reports(demo, login):
    from django.contrib.auth import get_user_model

    client = login(get_user_model().objects.get(username="governor"))
    pages = [
        client.get(reverse("reports:governors")),
        client.get(reverse("reports:governors"), {"period": "2025-year"}),
        client.get(reverse("reports:governors"), {"period": "2025-spring"}),
        client.get(reverse("reports:information", args=[2026])),
        client.get(reverse("reports:information", args=[2025])),
        client.get(reverse("reports:public-information", args=[DEMO_URN])),
        client.get(reverse("pupils:register-summary")),
    ]
    for response in pages:
        assert response.status_code == 200
        _assert_no_pupil(_visible_text(response.content.decode()), demo)

    pdf = client.get(reverse("reports:governors-pdf"), {"period": "2025-year"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Spr 25/26" in text and "Communication and interaction" in text  # the charts' own labels, drawn in the PDF
    _assert_no_pupil(text, demo)


def test_the_provision_and_safeguarding_sections_name_no_pupil_on_the_page_or_in_the_pdf(demo, login):
    from django.contrib.auth import get_user_model

    client = login(get_user_model().objects.get(username="governor"))
    page = _visible_text(client.get(reverse("reports:governors")).content.decode())
    pdf = client.get(reverse("reports:governors-pdf"))
    printed = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    for text in (page, printed):
        assert "Hours and spend by area of need" in text and "Impact of each provision" in text
        assert "Spend against the notional SEN budget" in text
        assert "Safeguarding concerns by category and term" in text and "Neglect" in text
        assert "Lego therapy" in text  # a provision, by its catalogue name only
        _assert_no_pupil(text, demo)
    # The charts are drawn in the PDF: their own legends and scales are text there.
    assert "Hours delivered" in printed and "£" in printed
    # Group leads are never named: a provision is shown by its catalogue name only.
    from provision.models import Group

    leads = {g.lead for g in Group.objects.filter(provision__school__urn=DEMO_URN, lead__isnull=False)}
    assert leads
    for lead in leads:
        assert lead.get_full_name() not in page and lead.get_full_name() not in printed


def test_the_demo_schools_headline_figures(demo, login):
    from reports import selectors
    from reports.periods import Period

    school = demo[0].school
    report = selectors.governors_report(school, Period(2026, "autumn"), today=FIXED_TODAY)
    headline = report.register.headline
    assert headline["roll"] == "420"
    assert (headline["sen_support"], headline["ehc_plan"]) == ("59", "10")
    assert len(report.register.tables[0].rows) == selectors.TREND_TERMS
    provision = report.provision.headline
    # One demo session (30 minutes of the lunchtime social club, £8) is withdrawn as recorded by mistake.
    assert (provision["hours"], provision["spend"], provision["pupils"]) == ("268.8", "£7,926", "50")
    assert (provision["budget"], provision["budget_spent"], provision["budget_spent_percent"]) == (
        "£110,000",
        "£8,932",
        "8.1%",
    )
    assert report.safeguarding.headline == {"concerns": "25"}
