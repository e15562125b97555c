"""Every download of a pupil's document is named by what it is, the pupil's initials and the date
(annual-review-report-TT-2026-11-28.pdf), never a name or an opaque id; and every download URL of the project is
in one of the tables here (a new one must say which kind it is)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from ehc import services as ehc_services
from records import leavers

NAME = re.compile(r'^(attachment|inline); filename="([a-z-]+)-([A-Z]{1,2})-(\d{4}-\d{2}-\d{2})\.([a-z]+)"$')

# Pupil downloads tested here: (URL name, how to get its argument, the kind in the file name, extension).
PUPIL_DOWNLOADS = {
    "ehc:advice-cover-pdf": ("assessment", "ehc-advice-cover", "pdf"),
    "ehc:review-report-pdf": ("review", "annual-review-report", "pdf"),
    "overview:review-report-pdf": ("review", "annual-review-report", "pdf"),
    "ehc:review-invitation-pdf": ("review", "annual-review-invitation", "pdf"),
    "provision:passport-pdf": ("pupil", "passport", "pdf"),
    "maps:pupil-costed-pdf": ("pupil", "costed-provision-map", "pdf"),
    "maps:pupil-costed-csv": ("pupil", "costed-provision-map", "csv"),
    "maps:pupil-costed-xlsx": ("pupil", "costed-provision-map", "xlsx"),
    "records:send-file": ("leaver", "send-file", "pdf"),
    "records:ctf": ("leaver", "ctf", "xml"),
}
# Pupil downloads behind the safeguarding step-up, tested in tests/safeguarding/test_download_names.py.
SAFEGUARDING_DOWNLOADS = {"safeguarding:file-export", "safeguarding:incoming-download"}
# School-level downloads: named by the school's URN and period, no pupil in them.
SCHOOL_DOWNLOADS = {
    "maps:map-xlsx",
    "reports:governors-pdf",
    "reports:governors-csv",
    "reports:census-csv",
    "reports:public-information-pdf",
    "deadlines:feed",
}
DOWNLOAD_PATH = re.compile(r"(\.(pdf|csv|xlsx|xml|ics)$|/(pdf|csv|download)/)")


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from ((name, str(pattern.pattern) + path) for name, path in _names(pattern.url_patterns, inner))
        else:
            yield f"{namespace}:{pattern.name}".strip(":"), str(pattern.pattern)


def test_every_download_url_is_in_a_table_here():
    downloads = {
        name
        for name, path in _names(get_resolver().url_patterns)
        if not name.startswith("admin:") and (DOWNLOAD_PATH.search(path) or "download" in name or "export" in name)
    }
    known = set(PUPIL_DOWNLOADS) | SAFEGUARDING_DOWNLOADS | SCHOOL_DOWNLOADS
    assert downloads <= known, f"say what kind of download these are: {sorted(downloads - known)}"


@pytest.fixture
def targets(pupil_oak, oak_entry, senco_a, ehc_assessment, ehc_plan, provision_passport):
    review = ehc_services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 5, 11), actor=senco_a)
    ehc_services.review_invitee_add(
        review=review, role="health", name="Dr Nurse", today=timezone.localdate(), actor=senco_a
    )
    return {"assessment": ehc_assessment, "review": review, "pupil": pupil_oak}


RELEASE_FORM = {
    "ehc:advice-cover-pdf",
    "ehc:review-invitation-pdf",
    "ehc:review-report-pdf",
    "overview:review-report-pdf",
}
RELEASED = {"destination": "in_school"}


@pytest.mark.parametrize("name", sorted(PUPIL_DOWNLOADS))
def test_a_pupil_download_is_named_by_kind_initials_and_date(name, targets, pupil_oak, senco_a, login):
    target, kind, extension = PUPIL_DOWNLOADS[name]
    if target == "leaver":
        leavers.leaver_record(
            pupil=pupil_oak,
            left_on=timezone.localdate(),
            destination_school="Rise Park Primary",
            destination_urn="122610",
            actor=senco_a,
        )
        target = "pupil"
    url = reverse(name, args=[targets[target].pk])
    client = login(senco_a)
    # The EHC documents ask where they are going first (the disclosure log); the answer gives the PDF.
    response = client.post(url, RELEASED) if name in RELEASE_FORM else client.get(url)

    assert response.status_code == 200, response.content[:300]
    disposition = response["Content-Disposition"]
    match = NAME.match(disposition)
    assert match, disposition
    assert match[2] == kind and match[3] == pupil_oak.initials and match[5] == extension
    assert date.fromisoformat(match[4]) == timezone.localdate()
    for part in (pupil_oak.legal_forename, pupil_oak.legal_surname, str(pupil_oak.pk)[:8]):
        assert part.lower() not in disposition.lower()
