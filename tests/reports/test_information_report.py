"""The SEN information report: a section per Schedule 1 item and s.69(3) item in the law's order, facts drafted
from the records, last year's words carried over, every version kept, a governor's approval, and the public
page and PDF that need no sign-in and show only the approved version."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import services
from reports.forms import MAX_SECTION_LENGTH
from reports.information import SECTION_KEYS, SECTIONS
from reports.models import InformationReportVersion, NationalFigure
from reports.periods import current_term

pytestmark = pytest.mark.django_db

SCHEDULE_1 = (
    [f"Schedule 1, paragraph {n}" for n in ("1", "2")]
    + [f"Schedule 1, paragraph 3({letter})" for letter in "abcdefg"]
    + [f"Schedule 1, paragraph {n}" for n in range(4, 14)]
)
SECTION_69 = [f"Children and Families Act 2014, s.69(3)({letter})" for letter in "abcd"]


def _all_texts(word: str = "Our") -> dict[str, str]:
    return {key: f"{word} words for {key}." for key in SECTION_KEYS}


@pytest.fixture
def year() -> int:
    return current_term(timezone.localdate()).academic_year


def test_the_sections_follow_schedule_1_then_section_69_in_order():
    assert [s.reference for s in SECTIONS] == SCHEDULE_1 + SECTION_69
    assert len(set(SECTION_KEYS)) == len(SECTIONS)


def test_a_saved_version_drafts_facts_from_the_records(school_a, senco_a, make_pupils, year):
    make_pupils(100, school_a)  # 5 with SLCN on SEN support, 5 with ASD and an EHC plan
    senco_a.email = "senco@claremont.example"
    senco_a.save()

    version = services.information_report_save(
        school=school_a, academic_year=year, texts={}, today=timezone.localdate(), actor=senco_a
    )

    facts = {s["key"]: s["facts"] for s in version.sections}
    assert "speech, language and communication needs" in facts["kinds_of_sen"]
    assert "autistic spectrum disorder" in facts["kinds_of_sen"]
    assert "Sophie Ndlovu (senco@claremont.example)" in facts["senco"]
    assert "Nottingham City" in facts["local_offer"]
    assert "annual reviews of EHC plans were held" in facts["assessing_progress"]
    assert {s.key for s in SECTIONS if s.drafted} == {k for k, v in facts.items() if v}


def test_a_need_shared_by_fewer_than_5_pupils_is_not_named(school_a, senco_a, oak_entry, year):
    version = services.information_report_save(
        school=school_a, academic_year=year, texts={}, today=timezone.localdate(), actor=senco_a
    )
    kinds = version.sections[0]["facts"]
    assert "speech, language" not in kinds.split("most often")[-1]
    assert "fewer than 5 pupils are not listed" in kinds


def test_every_save_keeps_the_earlier_versions_and_carries_text_forward(login, school_a, senco_a, head_a, year):
    first = services.information_report_save(
        school=school_a, academic_year=year - 1, texts=_all_texts("Last year's"), today=date(2026, 1, 1), actor=senco_a
    )
    client = login(head_a)

    form = client.get(reverse("reports:information-edit", args=[year]))
    assert "Last year&#x27;s words for complaints." in form.content.decode()

    response = client.post(reverse("reports:information-edit", args=[year]), _all_texts("This year's"))
    assert response.status_code == 302
    response = client.post(reverse("reports:information-edit", args=[year]), _all_texts("Revised"))
    versions = list(InformationReportVersion.objects.filter(school=school_a, academic_year=year).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sections[14]["text"] == "This year's words for complaints."
    assert versions[1].sections[14]["text"] == "Revised words for complaints."
    first.refresh_from_db()
    assert first.sections[14]["text"] == "Last year's words for complaints."


def test_a_section_too_long_is_refused_with_the_text_kept(login, school_a, senco_a, year):
    data = _all_texts()
    data["complaints"] = "x" * (MAX_SECTION_LENGTH + 1)
    response = login(senco_a).post(reverse("reports:information-edit", args=[year]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Ensure this value has at most" in page
    assert "Our words for consulting_pupils." in page  # the rest of what was typed is still there
    assert not InformationReportVersion.objects.exists()


def test_a_year_not_started_or_out_of_range_has_no_report(login, senco_a, year):
    client = login(senco_a)
    assert client.get(reverse("reports:information", args=[year + 1])).status_code == 404
    assert client.get(reverse("reports:information", args=[1999])).status_code == 404


def test_a_governor_approves_the_newest_version_only(login, school_a, senco_a, governor_a, year):
    today = timezone.localdate()
    older = services.information_report_save(
        school=school_a, academic_year=year, texts=_all_texts(), today=today, actor=senco_a
    )
    newer = services.information_report_save(
        school=school_a, academic_year=year, texts=_all_texts("New"), today=today, actor=senco_a
    )
    client = login(governor_a)

    response = client.post(reverse("reports:information-approve", args=[year, older.pk]), follow=True)
    assert "A newer version has been saved since this one" in response.content.decode()
    older.refresh_from_db()
    assert not older.is_approved

    client.post(reverse("reports:information-approve", args=[year, newer.pk]))
    newer.refresh_from_db()
    assert newer.is_approved and newer.approved_by == governor_a and newer.approved_on == today
    # Approving again changes nothing.
    assert (
        services.information_report_approve(version=newer, today=date(2030, 1, 1), actor=senco_a).approved_on == today
    )


def test_a_report_with_an_empty_section_cannot_be_approved(school_a, senco_a, governor_a, year):
    texts = _all_texts()
    texts["complaints"] = ""
    version = services.information_report_save(
        school=school_a, academic_year=year, texts=texts, today=timezone.localdate(), actor=senco_a
    )
    with pytest.raises(ValidationError, match="Complaints about SEN provision"):
        services.information_report_approve(version=version, today=timezone.localdate(), actor=governor_a)


# --- The public page --------------------------------------------------------------------------------------------


@pytest.fixture
def published(school_a, senco_a, governor_a, oak_entry, year):
    """An approved version, then a newer draft not yet approved."""
    today = timezone.localdate()
    approved = services.information_report_save(
        school=school_a, academic_year=year, texts=_all_texts("Approved"), today=today, actor=senco_a
    )
    services.information_report_approve(version=approved, today=today, actor=governor_a)
    services.information_report_save(
        school=school_a, academic_year=year, texts=_all_texts("Draft"), today=today, actor=senco_a
    )
    return school_a


def test_the_public_report_needs_no_sign_in_and_shows_only_the_approved_version(client, published, pupil_oak):
    response = client.get(reverse("reports:public-information", args=[published.urn]))
    page = response.content.decode()

    assert response.status_code == 200
    assert reverse("reports:public-information", args=["122000"]) == "/sen-information-report/122000/"
    assert "Approved words for complaints." in page
    assert "Draft words" not in page
    positions = [page.index(f'id="section-{s.key}"') for s in SECTIONS]
    assert positions == sorted(positions)  # every item has a section, in the law's order
    for reference in SCHEDULE_1 + SECTION_69:
        assert reference in page
    assert pupil_oak.legal_surname not in page and pupil_oak.upn not in page and pupil_oak.legal_forename not in page


def test_the_public_report_as_a_pdf(client, published):
    response = client.get(reverse("reports:public-information-pdf", args=[published.urn]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "SEN information report" in text and "Approved words for complaints." in text
    assert "Draft words" not in text


def test_no_public_report_until_one_is_approved(client, school_a, senco_a, year):
    assert client.get(reverse("reports:public-information", args=[school_a.urn])).status_code == 404
    services.information_report_save(
        school=school_a, academic_year=year, texts=_all_texts(), today=timezone.localdate(), actor=senco_a
    )
    assert client.get(reverse("reports:public-information", args=[school_a.urn])).status_code == 404
    assert client.get(reverse("reports:public-information", args=["999999"])).status_code == 404


# --- National figures ---------------------------------------------------------------------------------------------


def test_the_head_enters_a_national_figure_and_bad_input_is_explained(login, head_a):
    client = login(head_a)
    url = reverse("reports:national-figures")
    bad = {"census_year": "2026", "measure": "ehc_plan", "percent": "150", "source": "DfE"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100" in response.content.decode()
    assert 'value="2026"' in response.content.decode()

    good = {"census_year": "2026", "measure": "ehc_plan", "percent": "5.6", "source": "DfE, June 2026"}
    assert client.post(url, good).status_code == 302
    assert "5.6%" in client.get(url).content.decode()


def test_an_empty_national_figure_post_binds_and_says_what_is_missing(login, head_a):
    figures_before = NationalFigure.objects.count()

    response = login(head_a).post(reverse("reports:national-figures"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["percent"] == ["This field is required."]
    assert NationalFigure.objects.count() == figures_before
