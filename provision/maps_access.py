"""Who may see and do what with the provision map, built only from the access core (pupils/access.py).

SENCO and head manage the catalogue, groups and allocations. Staff rates and the SEN budget, and every cost,
are for the head and the SENCO only; the head alone changes rates and budgets. The DSL sees the map without
costs. A teacher sees the groups they lead and the groups of their own pupils, and records sessions and scores
for them; the class view shows their own pupils. Governors see nothing here (their anonymised totals belong in
the reports). A group out of sight answers 404; a refused action on a visible group, 403.
"""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from pupils import access
from pupils.access import WHOLE_SCHOOL_ROLES, roles_of
from pupils.models import Pupil, Role, School, SchoolClass

from .models_maps import Group

if TYPE_CHECKING:
    from pupils.access import User

MANAGERS = frozenset({Role.SENCO, Role.HEAD})
STAFF = frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER})


class MapAction(enum.StrEnum):
    CATALOGUE = "maps.catalogue"  # read the catalogue of provisions
    MANAGE = "maps.manage"  # change the catalogue, start groups, allocate pupils
    MAP = "maps.map"  # the whole-school map and the impact table
    COSTS = "maps.costs"  # any cost, the element-2 meter, exports
    RATES = "maps.rates"  # read staff rates and the SEN budget
    RATES_CHANGE = "maps.rates_change"  # set staff rates and the SEN budget
    TIMETABLE = "maps.timetable"  # the groups' timetable (a teacher sees their own)
    CLASS_VIEW = "maps.class_view"  # a teacher's pupils' provisions and this week's sessions


access.register_school_actions(
    MapAction,
    {
        MapAction.CATALOGUE: STAFF,
        MapAction.MANAGE: MANAGERS,
        MapAction.MAP: frozenset({Role.SENCO, Role.HEAD, Role.DSL}),
        MapAction.COSTS: MANAGERS,
        MapAction.RATES: MANAGERS,
        MapAction.RATES_CHANGE: frozenset({Role.HEAD}),
        MapAction.TIMETABLE: STAFF,
        MapAction.CLASS_VIEW: STAFF,
    },
)


class GroupAction(enum.StrEnum):
    VIEW = "group.view"
    RECORD = "group.record"  # sessions, attendance, entry and exit scores
    MANAGE = "group.manage"  # allocate pupils, end places


def groups_visible_to(user: User, school: School) -> QuerySet[Group]:
    """The school's groups the user may see: all for the SENCO, head and DSL; for a teacher, the groups they
    lead and the groups with a pupil of their classes; none for anyone else."""
    held = roles_of(user).in_school(school.pk)
    groups = Group.objects.filter(provision__school=school)
    if held & WHOLE_SCHOOL_ROLES:
        return groups
    if Role.TEACHER in held:
        taught = SchoolClass.objects.filter(school=school, teachers=user).values("pk")
        return groups.filter(Q(lead=user) | Q(allocations__pupil__school_class__in=taught)).distinct()
    return groups.none()


def group_actions(user: User, group: Group) -> frozenset[GroupAction]:
    """What the user may do with a group they can see."""
    held = roles_of(user).in_school(group.provision.school_id)
    if held & MANAGERS:
        return frozenset(GroupAction)
    if Role.TEACHER in held:
        return frozenset({GroupAction.VIEW, GroupAction.RECORD})
    return frozenset({GroupAction.VIEW})


def get_group_for_user(user: User, group_id: uuid.UUID | str, *, action: GroupAction = GroupAction.VIEW) -> Group:
    """The group, if the user may see it (else 404) and take this action on it (else 403)."""
    school_ids = list(roles_of(user).by_school)
    group = None
    if _is_uuid(group_id):
        group = (
            Group.objects.select_related("provision", "provision__school", "lead")
            .filter(pk=group_id, provision__school_id__in=school_ids)
            .first()
        )
    if group is None or not groups_visible_to(user, group.provision.school).filter(pk=group.pk).exists():
        raise Http404("No such group.")
    if action not in group_actions(user, group):
        raise PermissionDenied
    return group


def group_can(user: User, group: Group) -> dict[str, bool]:
    actions = group_actions(user, group)
    return {action.name.lower(): action in actions for action in GroupAction} | {
        "costs": access.can_in_school(user, group.provision.school_id, MapAction.COSTS)
    }


def get_pupil_for_maps(user: User, pupil_id: uuid.UUID | str, *, costs: bool = False) -> Pupil:
    """The pupil whose provision history is asked for (404 out of sight); `costs` pages (the costed map and its
    exports) are refused (403) to anyone who may not see costs."""
    pupil = access.get_pupil_for_user(user, pupil_id)
    if costs and not access.can_in_school(user, pupil.school_id, MapAction.COSTS):
        raise PermissionDenied
    return pupil


def maps_can(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """The `can` mapping the map's templates use, and the navigation links."""
    return {action.name.lower(): access.can_in_school(user, school_id, action) for action in MapAction}


def _is_uuid(value: uuid.UUID | str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
