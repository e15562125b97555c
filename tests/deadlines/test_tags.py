"""The state and warning tags every list of deadlines shows on each row, and the register's status tag."""

import pytest
from django.template import Context, Template

from deadlines.models import DeadlineState
from pupils.models import RegisterStatus


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("state", "markup"),
    [
        (DeadlineState.OVERDUE, '<span class="tag tag-overdue">Overdue</span>'),
        (DeadlineState.DUE_SOON, '<span class="tag tag-soon">Due soon</span>'),
        (DeadlineState.UPCOMING, '<span class="tag">Upcoming</span>'),
        (DeadlineState.MET, '<span class="tag tag-open">Met</span>'),
        (DeadlineState.MET_LATE, '<span class="tag tag-overdue">Met late</span>'),
        (DeadlineState.EXCUSED, '<span class="tag tag-m">Excused</span>'),
    ],
)
def test_each_state_has_its_tag(state, markup):
    assert _render("{% load deadline_tags %}{% state_tag state %}", state=state) == markup
    assert _render("{% load deadline_tags %}{% state_tag state %}", state=state.value) == markup


def test_every_state_has_a_tag_and_nothing_else_does():
    for state in DeadlineState:
        assert _render("{% load deadline_tags %}{% state_tag state %}", state=state).startswith('<span class="tag')
    assert _render("{% load deadline_tags %}[{% state_tag state %}]", state=None) == "[]"
    assert _render("{% load deadline_tags %}[{% state_tag state %}]", state="closed") == "[]"


def test_warnings_are_joined_escaped_and_absent_when_none():
    rendered = _render(
        "{% load deadline_tags %}{% date_warnings warnings %}",
        warnings=["falls in the school holidays", "falls on <Boxing Day>"],
    )
    assert rendered == (
        '<span class="warning-text">Warning: the due date falls in the school holidays; '
        "falls on &lt;Boxing Day&gt;.</span>"
    )
    assert _render("{% load deadline_tags %}[{% date_warnings warnings %}]", warnings=[]) == "[]"
    assert _render("{% load deadline_tags %}[{% date_warnings warnings %}]", warnings=None) == "[]"


@pytest.mark.parametrize(
    ("status", "markup"),
    [
        (RegisterStatus.EHC_PLAN, '<span class="tag tag-ehc">EHC plan</span>'),
        (RegisterStatus.SEN_SUPPORT, '<span class="tag tag-k">SEN support</span>'),
        (RegisterStatus.MONITORING, '<span class="tag tag-m">Monitoring</span>'),
        (None, '<span class="muted">—</span>'),
        ("", '<span class="muted">—</span>'),
    ],
)
def test_register_status_tag(status, markup):
    assert _render("{% load send_mis %}{% status_tag status %}", status=status) == markup
