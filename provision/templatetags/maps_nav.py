"""The provision map's navigation links, asked of provision.access (the core's context processor knows no
area's map rules)."""

from django import template

from pupils import access

from ..access import maps_can

register = template.Library()


@register.simple_tag(takes_context=True)
def maps_nav(context) -> dict[str, bool]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not access.roles_of(request.user).by_school:
        return {}
    return maps_can(request.user, access.current_school(request).pk)
