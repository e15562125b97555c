"""The annual review report composed in the top layer: the EHC area's report with section F specified against
the provision delivered, shortfalls flagged, as a page and a PDF, linked from the review workspace."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from ehc.models import AnnualReview
from overview.models import SectionFLine
from tests.test_seed_demo import FIXED_TODAY, frozen_today  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_plans_review_report_pdf_names_its_section_f_shortfall(frozen_today, login):  # noqa: F811
    call_command("seed_demo", "--today", FIXED_TODAY.isoformat(), stdout=io.StringIO())
    line = SectionFLine.objects.select_related("plan").get(minutes_per_week=60)  # the therapy: half delivered
    review = AnnualReview.objects.filter(plan=line.plan).order_by("-meeting_on").first()
    assert review is not None, "the demo schedules an annual review of the under-delivered plan"
    from pupils.models import Membership, Role

    senco = Membership.objects.get(school=line.plan.pupil.school, role=Role.SENCO).user
    client = login(senco)

    workspace = client.get(reverse("ehc:review-detail", args=[review.pk])).content.decode()
    assert reverse("overview:review-report", args=[review.pk]) in workspace

    page = client.get(reverse("overview:review-report", args=[review.pk])).content.decode()
    assert "section F) specified and delivered" in page and "Shortfall" in page
    assert reverse("overview:review-report-pdf", args=[review.pk]) in page

    # The PDF is given once the user says where it is going (the disclosure log).
    response = client.post(reverse("overview:review-report-pdf", args=[review.pk]), {"destination": "in_school"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "EHC plan annual review report" in text
    # The therapy line: an hour a week specified, half an hour a week delivered, flagged.
    therapy = re.search(r"Speech and language therapy, one to one.*? 60 (\d+) min (\d+) min \((\d+)%\) (\w+)", text)
    assert therapy is not None, text
    owed, delivered, percent, status = therapy.groups()
    assert int(delivered) < int(owed) * 0.9 and int(percent) < 90 and status == "Shortfall"
