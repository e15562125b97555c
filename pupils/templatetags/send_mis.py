from django import template

from pupils.selectors import suppress as suppress_count

register = template.Library()


@register.filter
def suppress(count: int) -> str:
    """Anonymised reports show counts of 1 to 4 as 'fewer than 5'."""
    return suppress_count(count)
