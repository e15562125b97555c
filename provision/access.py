"""Who may do what in the graduated approach: progress data, flags, support plans, meetings, passports.

SENCO: everything in the school, and agrees plans. Teacher: plans, reviews, logs, meetings, passports and flag
actions for their own pupils, score entry for their own classes. Head and DSL: view. Governor: nothing (404 for
a pupil, 403 for a school-wide page). Another school: 404. A grant holder: view only. Built from pupils.access.

The provision map (below the graduated approach's rules): SENCO and head manage the catalogue, groups and
allocations. Staff rates and the SEN budget, and every cost, are for the head and the SENCO only; the head alone
changes rates and budgets. The DSL sees the map without costs. A teacher sees the groups they lead and the
groups of their own pupils, and records sessions and scores for them; the class view shows their own pupils.
Governors see nothing here (their anonymised totals belong in the reports). A group out of sight answers 404; a
refused action on a visible group, 403."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from pupils.access import (
    WHOLE_SCHOOL_ROLES,
    Action,
    can_in_school,
    get_pupil_for_user,
    is_uuid,
    register_school_actions,
    roles_of,
    teaches,
    unless_left,
)
from pupils.models import Pupil, PupilQuerySet, Role, School, SchoolClass

from .models_maps import Group

if TYPE_CHECKING:
    from pupils.access import User


class ProvisionAction(enum.StrEnum):
    VIEW = "provision.view"
    WORK = "provision.work"  # plan, review, log a note, record a meeting, write a passport, act on a flag
    AGREE = "provision.agree"
    END_PLAN = "provision.end_plan"  # end a support plan: the SENCO, and the class teacher of their own pupil


class ProvisionSchoolAction(enum.StrEnum):
    SCORES = "provision.scores"  # enter scores for a class (own classes for a teacher)
    SCORES_IMPORT = "provision.scores_import"
    SETTINGS = "provision.settings"  # thresholds, subjects, assessment points; recompute flags
    FLAGS = "provision.flags"  # the flag list (own classes for a teacher)
    MEETINGS_DUE = "provision.meetings_due"
    PASSPORTS = "provision.passports"


_PROVISION_PUPIL_ACTIONS: dict[str, frozenset[ProvisionAction]] = {
    Role.SENCO: frozenset(ProvisionAction),
    Role.HEAD: frozenset({ProvisionAction.VIEW}),
    Role.DSL: frozenset({ProvisionAction.VIEW}),
    Role.TEACHER: frozenset({ProvisionAction.VIEW, ProvisionAction.WORK, ProvisionAction.END_PLAN}),
    Role.GOVERNOR: frozenset(),
}

_PROVISION_SCHOOL_ACTIONS: dict[ProvisionSchoolAction, frozenset[str]] = {
    ProvisionSchoolAction.SCORES: frozenset({Role.SENCO, Role.TEACHER}),
    ProvisionSchoolAction.SCORES_IMPORT: frozenset({Role.SENCO}),
    ProvisionSchoolAction.SETTINGS: frozenset({Role.SENCO}),
    ProvisionSchoolAction.FLAGS: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    ProvisionSchoolAction.MEETINGS_DUE: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    ProvisionSchoolAction.PASSPORTS: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
}
register_school_actions(ProvisionSchoolAction, _PROVISION_SCHOOL_ACTIONS)


def provision_actions(user: User, pupil: Pupil) -> frozenset[ProvisionAction]:
    """What the user may do in the graduated approach for a pupil they can see."""
    held = roles_of(user).in_school(pupil.school_id)
    allowed: set[ProvisionAction] = set()
    for role in held & WHOLE_SCHOOL_ROLES:
        allowed |= _PROVISION_PUPIL_ACTIONS[role]
    if Role.TEACHER in held and teaches(user, pupil):
        allowed |= _PROVISION_PUPIL_ACTIONS[Role.TEACHER]
    return unless_left(pupil, frozenset(allowed or {ProvisionAction.VIEW}), frozenset({ProvisionAction.VIEW}))


def get_pupil_for_provision(
    user: User, pupil_id: uuid.UUID | str, *, action: ProvisionAction = ProvisionAction.VIEW
) -> Pupil:
    """The pupil, if the user may see them (else 404) and take this provision action (else 403)."""
    pupil = get_pupil_for_user(user, pupil_id, action=Action.VIEW)
    if action not in provision_actions(user, pupil):
        raise PermissionDenied
    return pupil


def provision_can(user: User, pupil: Pupil) -> dict[str, bool]:
    actions = provision_actions(user, pupil)
    return {action.name.lower(): action in actions for action in ProvisionAction}


def sees_whole_school_provision(user: User, school_id: uuid.UUID) -> bool:
    return bool(roles_of(user).in_school(school_id) & WHOLE_SCHOOL_ROLES)


def classes_for_scores(user: User, school: School) -> QuerySet[SchoolClass]:
    """Classes whose scores the user may enter: every class for the SENCO, their own for a teacher."""
    held = roles_of(user).in_school(school.pk)
    classes = SchoolClass.objects.filter(school=school)
    if Role.SENCO in held:
        return classes
    if Role.TEACHER in held:
        return classes.filter(teachers=user)
    return classes.none()


def get_class_for_scores(user: User, school: School, class_id: uuid.UUID | str) -> SchoolClass:
    """A class of the user's school (else 404) whose scores they may enter (else 403)."""
    klass = SchoolClass.objects.filter(school=school, pk=class_id).first() if is_uuid(class_id) else None
    if klass is None:
        raise Http404("No such class.")
    if not classes_for_scores(user, school).filter(pk=klass.pk).exists():
        raise PermissionDenied
    return klass


def provision_pupils_in_view(user: User, school: School) -> PupilQuerySet:
    """The pupils whose flags, meetings and passports a list shows: the school for the SENCO, head and DSL;
    a teacher's own classes otherwise (explicit grants do not fill school-wide lists)."""
    if sees_whole_school_provision(user, school.pk):
        return Pupil.objects.filter(school=school)
    if Role.TEACHER in roles_of(user).in_school(school.pk):
        return Pupil.objects.filter(school=school, school_class__teachers=user)
    return Pupil.objects.none()


def works_for(held: Collection[str], taught: Collection[uuid.UUID], pupil: Pupil) -> bool:
    """The work rule on one pupil (plan, act on a flag, record a meeting), given the user's roles in the pupil's
    school and the classes they teach: the SENCO, or a teacher of the pupil's class. For pages deciding a list."""
    return Role.SENCO in held or (Role.TEACHER in held and pupil.school_class_id in taught)


def provision_work_ids(user: User, pupils: list[Pupil]) -> set[uuid.UUID]:
    """Ids of the listed pupils the user may work for (plan, act on a flag): one query, not one per row."""
    taught = set(SchoolClass.objects.filter(teachers=user).values_list("pk", flat=True)) if pupils else set()
    return {pupil.pk for pupil in pupils if works_for(roles_of(user).in_school(pupil.school_id), taught, pupil)}


def provision_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """Navigation flags for the provision links in base.html."""
    return {action.name.lower(): can_in_school(user, school_id, action) for action in ProvisionSchoolAction}


# --- The provision map --------------------------------------------------------------------------------------

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


register_school_actions(
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
    if is_uuid(group_id):
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
        "costs": can_in_school(user, group.provision.school_id, MapAction.COSTS)
    }


def get_pupil_for_maps(user: User, pupil_id: uuid.UUID | str, *, costs: bool = False) -> Pupil:
    """The pupil whose provision history is asked for (404 out of sight); `costs` pages (the costed map and its
    exports) are refused (403) to anyone who may not see costs."""
    pupil = get_pupil_for_user(user, pupil_id)
    if costs and not can_in_school(user, pupil.school_id, MapAction.COSTS):
        raise PermissionDenied
    return pupil


def maps_can(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """The `can` mapping the map's templates use, and the navigation links."""
    return {action.name.lower(): can_in_school(user, school_id, action) for action in MapAction}
