"""`{% load deadline_tags %}`: a deadline's state as a tag, and the warnings on its due date.

Tags in Python rather than included templates: a list of fifty deadlines shows both on every row, and an
``{% include %}`` per row costs a context and a template render each time."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from deadlines.models import DeadlineState

register = template.Library()

_STATE_TAGS = {
    DeadlineState.OVERDUE: mark_safe('<span class="tag tag-overdue">Overdue</span>'),
    DeadlineState.DUE_SOON: mark_safe('<span class="tag tag-soon">Due soon</span>'),
    DeadlineState.UPCOMING: mark_safe('<span class="tag">Upcoming</span>'),
    DeadlineState.MET: mark_safe('<span class="tag tag-open">Met</span>'),
    DeadlineState.MET_LATE: mark_safe('<span class="tag tag-overdue">Met late</span>'),
    DeadlineState.EXCUSED: mark_safe('<span class="tag tag-m">Excused</span>'),
}


@register.simple_tag
def state_tag(state) -> SafeString:
    """The deadline state's tag (nothing for a state without one)."""
    return _STATE_TAGS.get(str(state) if state is not None else "", mark_safe(""))


@register.simple_tag
def date_warnings(warnings) -> SafeString:
    """The warnings on a due date (send_mis.dates) as one sentence, "Warning: the due date ...; ...", nothing
    without any."""
    if not warnings:
        return mark_safe("")
    return format_html(
        '<span class="warning-text">Warning: the due date {}.</span>',
        format_html_join("; ", "{}", ((warning,) for warning in warnings)),
    )
