from django.http import HttpRequest

from deadlines.access import deadline_nav
from ehc.access import ehc_nav
from provision.access import provision_nav
from pupils import access, school_access
from pupils.access import SchoolAction


def navigation(request: HttpRequest) -> dict:
    """Which navigation links to show: each area's access module says, never the template."""
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
        # "My class" only for a teacher with a class of their own here (not the head, DSL or a class-less teacher).
        "nav_my_class": school.pk in roles.teaching,
        "nav_deadlines": deadline_nav(user, school.pk),
        "nav_provision": provision_nav(user, school.pk),
        "nav_ehc": ehc_nav(user, school.pk)["index"],
        "nav_staff_security": access.can_in_school(user, school.pk, access.StaffSecurityAction.MANAGE),
        "nav_school_admin": school_access.school_admin_nav(user, school.pk),
    }
