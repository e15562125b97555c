from django.http import HttpRequest

from . import access, school_access
from .access import SchoolAction


def navigation(request: HttpRequest) -> dict:
    """Which navigation links to show: decided by the access module, never by the template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = access.roles_of(user)
    if not roles.by_school:
        return {"nav": {}, "nav_school_start": school_access.can_create_school(user)}
    school = access.current_school(request)
    return {
        "current_school": school,
        "nav": {action.value: access.can_in_school(user, school.pk, action) for action in SchoolAction},
        "nav_many_schools": len(roles.by_school) > 1,
        "nav_schools": access.schools_of(user) if len(roles.by_school) > 1 else [],
        "nav_roles": sorted(roles.in_school(school.pk)),
        "nav_deadlines": access.deadline_nav(user, school.pk),
        "nav_provision": access.provision_nav(user, school.pk),
        "nav_ehc": access.can_in_school(user, school.pk, access.EhcSchoolAction.INDEX),
        "nav_school_admin": school_access.school_admin_nav(user, school.pk),
    }
