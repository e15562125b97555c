"""Who may set up a school, change its settings and manage its staff, built only from the access core.

DESIGN.md section 2: staff memberships and roles are the headteacher's; a superuser (who runs the installation)
may do the same for any school, and alone may create a school. A school the user holds no role in answers 404;
a member of the school without the head's role gets 403.
"""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import access
from .models import Role, School

if TYPE_CHECKING:
    from .access import User


class SchoolAdminAction(enum.StrEnum):
    SETTINGS = "school.settings"  # school details, terms, year groups and classes
    STAFF = "school.staff"  # invite staff, change and remove their roles, a teacher's classes
    PUPIL_IMPORT = "school.pupil_import"  # pupils from the MIS (CSV)
    CTF_IMPORT = "school.ctf_import"  # a joiner's common transfer file: pupil and SEN history


access.register_school_actions(
    SchoolAdminAction,
    {
        SchoolAdminAction.SETTINGS: frozenset({Role.HEAD}),
        SchoolAdminAction.STAFF: frozenset({Role.HEAD}),
        SchoolAdminAction.PUPIL_IMPORT: frozenset({Role.HEAD, Role.SENCO}),
        SchoolAdminAction.CTF_IMPORT: frozenset({Role.HEAD, Role.SENCO}),
    },
)


def can_create_school(user: User) -> bool:
    """Only a superuser creates a school: the installation's owner, not a school's staff."""
    return bool(user.is_authenticated and user.is_superuser)


def can_admin_school(user: User, school_id: uuid.UUID, action: SchoolAdminAction) -> bool:
    """The head of the school, or a superuser, may take the action."""
    return can_create_school(user) or access.can_in_school(user, school_id, action)


def get_school_for_admin(user: User, school_id: uuid.UUID | str, *, action: SchoolAdminAction) -> School:
    """The school, if the user is a superuser or holds a role in it (else 404), and may take this action on
    it (else 403)."""
    school = School.objects.filter(pk=school_id).first()
    if school is None or not (can_create_school(user) or access.roles_of(user).in_school(school.pk)):
        raise Http404("No such school.")
    if not can_admin_school(user, school.pk, action):
        raise PermissionDenied
    return school


def school_admin_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """Navigation flags for the school settings and staff links."""
    return {action.name.lower(): can_admin_school(user, school_id, action) for action in SchoolAdminAction}
