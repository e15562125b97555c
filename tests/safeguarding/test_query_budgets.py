"""Query budgets: the DSL's dashboard and inbox, and a child's file, run the same queries for 2 and for 12
children with files (and for a short and a long chronology)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding import services
from safeguarding.models import Agency, Category, EntryKind
from tests.factories import PupilFactory
from tests.safeguarding.conftest import stepped_client

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(f"{n}. {q['sql'][:160]}" for n, q in enumerate(captured.captured_queries, 1))


def _children(n, school, teacher, dsl, now, today):
    for _ in range(n):
        pupil = PupilFactory(school=school)
        concern = services.concern_report(
            pupil=pupil,
            occurred_at=now - timedelta(hours=3),
            location="Hall",
            account="Account",
            immediate_action="x",
            told_dsl_in_person=False,
            marks=[services.Mark(side="front", row=2, column=2, description="Mark")],
            actor=teacher,
            now=now,
        )
        services.referral_record(
            file=concern.file,
            agency=Agency.POLICE,
            occurred_at=now - timedelta(hours=2),
            reference="R",
            spoken_to="PC",
            text="Why",
            actor=dsl,
            now=now,
        )
        services.action_record(file=concern.file, text="Do", owner=dsl, due_on=today, actor=dsl, now=now)
        services.transfer_start(file=concern.file, destination="New school", left_on=today, actor=dsl)


# Both: 1. session, 2. user, 3. memberships, 4. the current school; then the inbox's new concerns (with their
# child, class and reporter) and one insert into the who-viewed log. The dashboard adds the open deadlines,
# the referrals awaiting a response, the transfers, the leavers with no transfer and the list of files.
BUDGETS = {"safeguarding:dashboard": 11, "safeguarding:inbox": 6}


@pytest.mark.parametrize("url_name", sorted(BUDGETS))
def test_dsl_lists_run_a_fixed_number_of_queries(url_name, school_a, teacher_a, dsl_a, now, today):
    client = stepped_client(dsl_a)
    _children(2, school_a, teacher_a, dsl_a, now, today)
    client.get(reverse(url_name))  # warm up ContentType's cache
    small = _count(client, reverse(url_name))
    _children(10, school_a, teacher_a, dsl_a, now, today)
    large = _count(client, reverse(url_name))
    assert small[0] == large[0] == BUDGETS[url_name], f"{small[0]} then {large[0]}:\n{large[1]}"


# 1. session, 2. user, 3. the file, 4. memberships, 5. the visibility check, 6. the who-viewed insert, 7. the
# chronology, 8. its body-map marks, 9. the SEND register entry, 10. the SENCOs, 11. files received, 12. whether
# the SENCO was told, 13. statuses, 14. shares, 15. transfers, 16. the navigation's school, 17. the class.
def test_a_files_page_runs_a_fixed_number_of_queries_whatever_its_length(oak_file, dsl_a, now):
    client = stepped_client(dsl_a)
    url = reverse("safeguarding:file", args=[oak_file.pk])
    client.get(url)
    small = _count(client, url)
    for i in range(15):
        services.note_record(
            file=oak_file, kind=EntryKind.NOTE, occurred_at=now - timedelta(days=i), text="Note", actor=dsl_a, now=now
        )
        services.referral_record(
            file=oak_file,
            agency=Agency.CAMHS,
            occurred_at=now - timedelta(days=i),
            reference="C",
            spoken_to="Nurse",
            text="Why",
            actor=dsl_a,
            now=now,
        )
    services.concern_triage(
        concern=oak_file.entries.get(kind=EntryKind.CONCERN),
        category=Category.objects.first(),
        text="t",
        actor=dsl_a,
        now=now,
    )
    large = _count(client, url)
    assert small[0] == large[0] == 17, f"{small[0]} then {large[0]}:\n{large[1]}"
