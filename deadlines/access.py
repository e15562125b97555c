"""Who sees which deadlines, who may excuse one, who has a calendar feed.

SENCO and head: every deadline of their school; DSL: view; a teacher: the deadlines of their own pupils only;
a governor: none. A school-level deadline (a duty of the school itself, with no pupil) is seen by the head and
the SENCOs of its school and by the person responsible for it, never by anyone else. Excusing a deadline is
the SENCO's alone. Built from pupils.access."""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from pupils.access import (
    WHOLE_SCHOOL_ROLES,
    can_in_school,
    is_uuid,
    register_school_actions,
    roles_of,
)
from pupils.models import Role, SchoolClass

from .models import Deadline

if TYPE_CHECKING:
    from pupils.access import User


class DeadlineAction(enum.StrEnum):
    LIST = "deadline.list"
    CALENDAR = "deadline.calendar"
    EXCUSE = "deadline.excuse"
    FEED = "deadline.feed"


_DEADLINE_ACTIONS: dict[DeadlineAction, frozenset[str]] = {
    DeadlineAction.LIST: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    DeadlineAction.CALENDAR: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    DeadlineAction.EXCUSE: frozenset({Role.SENCO}),
    DeadlineAction.FEED: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
}
register_school_actions(DeadlineAction, _DEADLINE_ACTIONS)


# Who sees the school's own duties (a school-level deadline, with no pupil), besides the person responsible.
SCHOOL_LEVEL_ROLES: frozenset[str] = frozenset({Role.HEAD, Role.SENCO})


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Every deadline the user may see: whole schools for the SENCO, head and DSL; the deadlines of a
    teacher's own classes' pupils; none for governors or anyone else. School-level deadlines (no pupil): the
    head and SENCOs of the school, and the person responsible, only."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    roles = roles_of(user)
    whole = roles.schools_with(WHOLE_SCHOOL_ROLES)
    teaching = roles.schools_with({Role.TEACHER})
    condition = Q(school_id__in=whole, pupil__isnull=False)
    condition |= Q(pupil__isnull=True) & (
        Q(school_id__in=roles.schools_with(SCHOOL_LEVEL_ROLES)) | Q(responsible_id=user.pk)
    )
    if teaching:
        condition |= Q(
            pupil__school_class__in=SchoolClass.objects.filter(teachers=user, school_id__in=teaching).values("pk")
        )
    visible = Deadline.objects.filter(condition)
    for prefix, allowed in _RESTRICTED_DEADLINE_KINDS.items():
        visible = visible.exclude(
            Q(kind__startswith=prefix) & ~Q(school_id__in=roles.schools_with(allowed)) & ~Q(responsible_id=user.pk)
        )
    return visible


# Deadline kinds (by key prefix) that only some roles see, besides the person responsible: an area's
# confidential duties (a safeguarding action must not tell a pupil's teacher that a file exists).
_RESTRICTED_DEADLINE_KINDS: dict[str, frozenset[str]] = {}


def register_restricted_deadline_kinds(prefix: str, roles: frozenset[str]) -> None:
    """An area states that its deadlines (kinds starting `prefix`) are seen only by `roles` of the school.
    Their reminders and escalations go only to the person responsible (deadlines.services)."""
    _RESTRICTED_DEADLINE_KINDS[prefix] = frozenset(roles)


def confidential_kind_prefixes() -> list[str]:
    """The key prefixes of the deadline kinds only some roles may know of (see register_restricted_deadline_kinds)."""
    return sorted(_RESTRICTED_DEADLINE_KINDS)


def get_deadline_for_user(
    user: User, deadline_id: uuid.UUID | str, *, action: DeadlineAction = DeadlineAction.LIST
) -> Deadline:
    """The deadline, if the user may see it (else 404) and take this action on it (else 403)."""
    deadline = (
        deadlines_visible_to(user).select_related("pupil", "school", "responsible").filter(pk=deadline_id).first()
        if is_uuid(deadline_id)
        else None
    )
    if deadline is None:
        raise Http404("No such deadline.")
    if not can_in_school(user, deadline.school_id, action):
        raise PermissionDenied
    return deadline


def deadline_can(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """The `can` mapping deadline templates use (per school, so it is asked once per page, not per row)."""
    return {action.name.lower(): can_in_school(user, school_id, action) for action in DeadlineAction}


def can_use_deadline_feed(user: User) -> bool:
    """Anyone holding a role with deadlines somewhere may have a personal calendar feed."""
    return bool(roles_of(user).schools_with(_DEADLINE_ACTIONS[DeadlineAction.FEED]))


def deadline_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """Navigation flags for the deadline screens in the current school."""
    return {
        "list": can_in_school(user, school_id, DeadlineAction.LIST),
        "calendar": can_in_school(user, school_id, DeadlineAction.CALENDAR),
        "feed": can_use_deadline_feed(user),
    }


# --- end deadlines ---------------------------------------------------------------------------------------------
