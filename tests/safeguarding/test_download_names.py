"""The child protection file and a file received from the previous school download as kind, initials and date
(child-protection-file-TT-2026-11-28.pdf), never the child's name or the sender's file name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_download_names import NAME


@pytest.mark.parametrize(
    "name, key, kind, extension",
    [
        ("safeguarding:file-export", "file", "child-protection-file", "pdf"),
        ("safeguarding:incoming-download", "incoming", "incoming-file", "pdf"),
    ],
)
def test_safeguarding_downloads_are_named_by_kind_initials_and_date(
    name, key, kind, extension, oak_records, dsl_a, stepped, pupil_oak
):
    response = stepped(dsl_a).get(reverse(name, args=[oak_records[key].pk]))
    assert response.status_code == 200
    match = NAME.match(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    assert (match[2], match[3], match[5]) == (kind, pupil_oak.initials, extension)
    assert pupil_oak.legal_surname not in response["Content-Disposition"]
