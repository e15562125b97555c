from django import template
from django.utils.safestring import SafeString, mark_safe

from pupils.models import RegisterStatus
from pupils.selectors import suppress as suppress_count

register = template.Library()


@register.filter
def suppress(count: int) -> str:
    """Anonymised reports show counts of 1 to 4 as 'fewer than 5'."""
    return suppress_count(count)


_STATUS_TAGS = {
    RegisterStatus.EHC_PLAN: mark_safe('<span class="tag tag-ehc">EHC plan</span>'),
    RegisterStatus.SEN_SUPPORT: mark_safe('<span class="tag tag-k">SEN support</span>'),
    RegisterStatus.MONITORING: mark_safe('<span class="tag tag-m">Monitoring</span>'),
}
_NO_STATUS = mark_safe('<span class="muted">—</span>')


@register.simple_tag
def status_tag(status) -> SafeString:
    """The register status as a tag (RegisterStatus's code), a dash for none: a tag in Python, not an included
    template, since a list shows one on each of its fifty rows."""
    return _STATUS_TAGS.get(str(status) if status is not None else "", _NO_STATUS)
