"""The demo teacher's "Today" lists exactly the duties they are responsible for that are overdue or due in the
next 14 days, worked out here from the database on its own; the SENCO's and the head's panels have work in them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from deadlines.models import Deadline, DeadlineStatus
from pupils.models import ConcernStatus
from tests.test_seed_demo import FIXED_TODAY, frozen_today  # noqa: F401  (a fixture)


def _section(page: str, heading_id: str) -> str:
    """The HTML of one section of the page, from its heading to the end of the section."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.django_db
def test_the_demo_teachers_today_lists_exactly_their_overdue_and_due_soon_duties(frozen_today, login):  # noqa: F811
    call_command("seed_demo", "--today", FIXED_TODAY.isoformat(), stdout=io.StringIO())
    teacher = get_user_model().objects.get(username="teacher")
    mine = Deadline.objects.filter(responsible=teacher, status=DeadlineStatus.OPEN)
    overdue = set(mine.filter(due_on__lt=FIXED_TODAY).values_list("pk", flat=True))
    due_soon = set(
        mine.filter(due_on__gte=FIXED_TODAY, due_on__lte=FIXED_TODAY + timedelta(days=14)).values_list("pk", flat=True)
    )
    assert overdue and due_soon, "the demo gives the teacher duties of both kinds"

    response = login(teacher).get("/today/")

    todo = response.context["todo"]
    assert {d.pk for d in todo.duties.overdue} == overdue
    assert {d.pk for d in todo.duties.due_soon} == due_soon
    page = response.content.decode()
    for heading, expected in (("overdue-heading", overdue), ("due-soon-heading", due_soon)):
        section = _section(page, heading)
        assert section.count("<li>") == len(expected)
        for deadline in Deadline.objects.filter(pk__in=expected).select_related("pupil"):
            assert deadline.pupil.display_name in section
            assert f"due {deadline.due_on:%-d %B %Y}" in section
    # Each duty links to the support plan where the review is done.
    assert len(re.findall(r'href="/provision/pupils/[^"]+/plans/[^"]+/"', _section(page, "overdue-heading"))) == len(
        overdue
    )
    assert any(c.status == ConcernStatus.CLOSED and c.outcome_reason for c in todo.concerns)

    senco = get_user_model().objects.get(username="senco")
    panels = login(senco).get("/dashboard/").context["panels"]
    assert panels.without_plan and panels.not_told
    head = get_user_model().objects.get(username="head")
    assert login(head).get("/dashboard/").context["head"].escalations
