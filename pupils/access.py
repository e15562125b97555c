"""The access core: roles per school, the pupil scope, per-pupil grants and the school-wide permission check.

Each area states its own rules in its own access module (ehc/access.py, provision/access.py,
deadlines/access.py, ...) built only from what is here; this module imports no area. It is the only code that
calls guardian. docs/ACCESS.md lists every permission, the roles that hold it and the module that decides it.

Role rules (DESIGN.md section 2) cover the common case; django-guardian holds explicit per-pupil grants for
the exceptions (a teaching assistant, a visiting professional, a supply teacher). A record outside what the
user may see answers 404, so probing ids teaches nothing; an action the user may not take on a record they
can see answers 403.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from send_mis import pagecache, statements

from .models import Membership, Pupil, PupilQuerySet, Role, School, SchoolClass

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser

    # Access is asked of signed-in staff; the few functions that also answer for anonymous visitors say so.
    User = AuthUser
    AnyUser = AuthUser | AnonymousUser

GRANT_PERMISSION = "pupils.view_pupil"
SESSION_SCHOOL_KEY = "send_mis_school"

# Roles that see every pupil of their school with names.
WHOLE_SCHOOL_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.DSL})


class Action(enum.StrEnum):
    VIEW = "view"
    REGISTER_CHANGE = "register.change"
    CONCERN_RAISE = "concern.raise"
    GRANTS_MANAGE = "grants.manage"
    PUPIL_EDIT = "pupil.edit"


# What each role may do to a pupil it can see. Teachers (and grant holders) reach only their own pupils.
_PUPIL_ACTIONS: dict[str, frozenset[Action]] = {
    Role.SENCO: frozenset(
        {Action.VIEW, Action.REGISTER_CHANGE, Action.CONCERN_RAISE, Action.GRANTS_MANAGE, Action.PUPIL_EDIT}
    ),
    Role.HEAD: frozenset({Action.VIEW, Action.CONCERN_RAISE}),
    Role.DSL: frozenset({Action.VIEW, Action.CONCERN_RAISE}),
    Role.TEACHER: frozenset({Action.VIEW, Action.CONCERN_RAISE}),
    Role.GOVERNOR: frozenset(),
    # A deputy DSL's safeguarding rights live in safeguarding/access.py; here it adds nothing to a pupil.
    Role.DEPUTY_DSL: frozenset(),
}


_PUPIL_READS = frozenset({Action.VIEW})


class SchoolAction(enum.StrEnum):
    DASHBOARD = "dashboard"
    PUPIL_LIST = "pupil_list"
    PUPIL_ADD = "pupil_add"
    CONCERN_TRIAGE = "concern_triage"
    REGISTER_SUMMARY = "register_summary"
    AUDIT_LOG = "audit_log"
    STATUTORY_SETTINGS = "statutory_settings"


_SCHOOL_ACTIONS: dict[SchoolAction, frozenset[str]] = {
    # The DSL's own dashboard (safeguarding) replaces the SENCO's copy they had.
    SchoolAction.DASHBOARD: frozenset({Role.SENCO, Role.HEAD}),
    SchoolAction.PUPIL_LIST: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    SchoolAction.PUPIL_ADD: frozenset({Role.SENCO}),
    SchoolAction.CONCERN_TRIAGE: frozenset({Role.SENCO}),
    SchoolAction.REGISTER_SUMMARY: frozenset({Role.SENCO, Role.HEAD, Role.GOVERNOR}),
    SchoolAction.AUDIT_LOG: frozenset({Role.HEAD}),
    SchoolAction.STATUTORY_SETTINGS: frozenset({Role.SENCO}),
}


@dataclass(frozen=True)
class SchoolRoles:
    """The roles a user holds, per school; loaded once per request."""

    by_school: dict[uuid.UUID, frozenset[str]]
    # Schools where the user teaches a class of their own (for "My class"): read with the roles, no query more.
    teaching: frozenset[uuid.UUID] = frozenset()

    def in_school(self, school_id: uuid.UUID) -> frozenset[str]:
        return self.by_school.get(school_id, frozenset())

    def schools_with(self, roles: frozenset[str] | set[str]) -> list[uuid.UUID]:
        return [school_id for school_id, held in self.by_school.items() if held & roles]

    @property
    def key(self) -> tuple:
        """The roles as a key for a kept statement (send_mis/statements.py) whose SQL the visibility rules built
        from them: in the order they were read, as the rules' SQL lists them."""
        return (tuple((school_id, tuple(sorted(held))) for school_id, held in self.by_school.items()), *self.teaching)


def roles_of(user: AnyUser) -> SchoolRoles:
    if not user.is_authenticated:
        return SchoolRoles({})
    cached = getattr(user, "_send_mis_roles", None)
    if cached is None:
        by_school: dict[uuid.UUID, set[str]] = {}
        teaching: set[uuid.UUID] = set()
        has_class = Exists(SchoolClass.objects.filter(school_id=OuterRef("school_id"), teachers=OuterRef("user_id")))
        memberships = (
            Membership.objects.filter(user=user)
            .annotate(has_class=has_class)
            .values_list("school_id", "role", "has_class")
        )
        for school_id, role, teaches_a_class in statements.rows(memberships, key=("pupils.roles", user.pk)):
            by_school.setdefault(school_id, set()).add(role)
            if role == Role.TEACHER and teaches_a_class:
                teaching.add(school_id)
        cached = SchoolRoles({k: frozenset(v) for k, v in by_school.items()}, frozenset(teaching))
        setattr(user, "_send_mis_roles", cached)  # noqa: B010  (a per-request cache on the user object)
    return cached


def schools_of(user: User) -> QuerySet[School]:
    return School.objects.filter(pk__in=list(roles_of(user).by_school))


# Each area's school-wide actions, by enum: the roles allowed each action. Areas register their own table with
# register_school_actions from their own access module.
_SCHOOL_RULES: dict[type[enum.StrEnum], dict] = {SchoolAction: _SCHOOL_ACTIONS}


def register_school_actions(actions: type[enum.StrEnum], roles_by_action: dict) -> None:
    """An area states its school-wide actions (an enum) and the roles allowed each; can_in_school and
    require_school_action then answer for them. Every member of the enum needs a row."""
    missing = set(actions) - set(roles_by_action)
    if missing:
        raise ValueError(f"no roles given for {sorted(missing)}")
    _SCHOOL_RULES[actions] = roles_by_action


def can_in_school(user: User, school_id: uuid.UUID, action: enum.StrEnum) -> bool:
    """Whether the user's roles in the school allow a school-wide action of any area."""
    return bool(roles_of(user).in_school(school_id) & _SCHOOL_RULES[type(action)][action])


def require_school_action(user: User, school: School, action: enum.StrEnum) -> None:
    """403 unless the user may take this school-wide action (they already know the school exists)."""
    if not can_in_school(user, school.pk, action):
        raise PermissionDenied


ViewFunc = Callable[..., HttpResponse]


def page_vary(request: HttpRequest) -> tuple[object, ...]:
    """What a cached page varies by beyond its session and path: the school chosen in the session (every
    page's navigation shows it). The school it resolves to depends only on rows, so on the generation."""
    return (request.session.get(SESSION_SCHOOL_KEY),)


def school_action_required(action: enum.StrEnum, *, cached_page: bool = False) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a school-wide view: sign-in required, then the user's current school must allow `action`
    (403 otherwise); the view receives the school as its second argument: `view(request, school, ...)`.

    With `cached_page` (a view that renders through `pupils.pages.render_page`), a page this session was shown
    in the current generation is served before the check: the check passed when it was stored, and what it
    reads (roles, memberships, the chosen school) cannot change without a write, which starts a new generation,
    or a new day, which is in the key. Sign-in, its limits and the second factor run first, in middleware."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if cached_page and (stored := pagecache.cached_response(request, vary=page_vary(request))):
                return stored
            school = current_school(request)
            require_school_action(request.user, school, action)  # type: ignore[arg-type]
            return view(request, school, *args, **kwargs)

        return wrapped

    return decorate


def current_school(request: HttpRequest) -> School:
    """The school the user is working in: the one chosen in this session, else their first. A user with no
    membership anywhere may see nothing (403)."""
    cached = getattr(request, "_send_mis_school", None)
    if cached is not None:
        return cached
    roles = roles_of(request.user)
    chosen = request.session.get(SESSION_SCHOOL_KEY)
    school_ids = list(roles.by_school)
    if not school_ids:
        raise PermissionDenied
    school_id = next((s for s in school_ids if str(s) == chosen), None)
    among = [school_id] if school_id else school_ids
    school = statements.rows(
        School.objects.filter(pk__in=among).order_by("name")[:1], key=("pupils.current_school", *among)
    )[0]
    request._send_mis_school = school  # type: ignore[attr-defined]
    return school


def choose_school(request: HttpRequest, school_id: str) -> None:
    """Remember the school to work in; a school the user holds no role in is refused (404)."""
    if not any(str(s) == school_id for s in roles_of(request.user).by_school):
        raise Http404("No such school.")
    request.session[SESSION_SCHOOL_KEY] = school_id


def is_staff_of(user: User, school_id: uuid.UUID) -> bool:
    """Whether the user holds a role other than governor in the school (who may be given a pupil's record)."""
    return Membership.objects.filter(user=user, school_id=school_id).exclude(role=Role.GOVERNOR).exists()


def staff_of(school: School):
    """The active staff of a school (anyone holding a role there other than governor), by name."""
    from django.contrib.auth import get_user_model

    staff_ids = Membership.objects.filter(school=school).exclude(role=Role.GOVERNOR).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=staff_ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def _granted_pupils(user: User) -> QuerySet[Pupil]:
    return get_objects_for_user(user, GRANT_PERMISSION, klass=Pupil, accept_global_perms=False, with_superuser=False)


def pupils_visible_to(user: AnyUser) -> PupilQuerySet:
    """Every pupil the user may see with a name: whole schools for the SENCO, head and DSL; a teacher's own
    classes; any pupil granted to them explicitly. Governors see no pupil. Never a global list."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Pupil.objects.none()
    roles = roles_of(user)
    whole = roles.schools_with(WHOLE_SCHOOL_ROLES)
    teaching = roles.schools_with({Role.TEACHER})
    condition = Q(school_id__in=whole)
    if teaching:
        condition |= Q(school_class__in=SchoolClass.objects.filter(teachers=user, school_id__in=teaching).values("pk"))
    condition |= Q(pk__in=_granted_pupils(user).values("pk"))
    return Pupil.objects.filter(condition)


def teaches(user: User, pupil: Pupil) -> bool:
    """Whether the user is a teacher of the pupil's class."""
    school_class = pupil.school_class
    return school_class is not None and school_class.teachers.filter(pk=user.pk).exists()


def unless_left(pupil: Pupil, actions: frozenset, reads: frozenset) -> frozenset:
    """A pupil whose leaving is recorded is read-only in every area: only the reading actions remain (the
    record goes with the pupil; nothing may be added to it here). Areas filter their actions through this."""
    return actions & reads if pupil.has_left else actions


def pupil_actions(user: User, pupil: Pupil) -> frozenset[Action]:
    """What the user may do to a pupil they can see (the caller has already checked visibility)."""
    return _pupil_actions(user, pupil, taught=None)


def _pupil_actions(user: User, pupil: Pupil, *, taught: bool | None) -> frozenset[Action]:
    """pupil_actions, given whether the user teaches the pupil's class when that is known already."""
    held = roles_of(user).in_school(pupil.school_id)
    if held & WHOLE_SCHOOL_ROLES:
        allowed: set[Action] = set()
        for role in held:
            allowed |= _PUPIL_ACTIONS[role]
        return unless_left(pupil, frozenset(allowed), _PUPIL_READS)
    if Role.TEACHER in held and (teaches(user, pupil) if taught is None else taught):
        return unless_left(pupil, _PUPIL_ACTIONS[Role.TEACHER], _PUPIL_READS)
    # A grant gives sight of the record and nothing more.
    return frozenset({Action.VIEW})


def get_pupil_for_user(user: User, pupil_id: uuid.UUID | str, *, action: Action = Action.VIEW) -> Pupil:
    """The pupil, if the user may see it (else 404) and take this action on it (else 403).

    Visibility is pupils_visible_to's rule, asked of the pupil once it is read: whoever holds a whole-school role
    in its school (the SENCO, head and DSL: most pupil pages) sees it from the roles already read for the
    request, with no query but the pupil's own; a teacher of its class costs the one query that their actions
    needed anyway; only an explicit grant is asked of the database separately. Building the rule's whole query
    (its three branches, the grants' subquery) for one pupil cost more than the pupil's page's other queries."""
    pupil = (
        statements.first(
            Pupil.objects.select_related("school", "school_class").filter(pk=pupil_id).order_by("pk"),
            key=("pupils.pupil", str(pupil_id)),
        )
        if is_uuid(pupil_id) and user.is_authenticated
        else None
    )
    if pupil is None:
        raise Http404("No such pupil.")
    roles = roles_of(user)
    taught = None
    if not roles.in_school(pupil.school_id) & WHOLE_SCHOOL_ROLES:
        school_class = pupil.school_class
        if school_class is not None and school_class.school_id in roles.schools_with({Role.TEACHER}):
            taught = teaches(user, pupil)
        if not taught and not _granted_pupils(user).filter(pk=pupil.pk).exists():
            raise Http404("No such pupil.")
    if action not in _pupil_actions(user, pupil, taught=taught):
        raise PermissionDenied
    return pupil


def pupil_can(user: User, pupil: Pupil) -> dict[str, bool]:
    """The `can` mapping templates use to show or hide controls."""
    actions = pupil_actions(user, pupil)
    return {action.name.lower(): action in actions for action in Action}


def grant_pupil_access(*, user: User, pupil: Pupil) -> None:
    assign_perm(GRANT_PERMISSION, user, pupil)


def revoke_pupil_access(*, user: User, pupil: Pupil) -> None:
    remove_perm(GRANT_PERMISSION, user, pupil)


def is_uuid(value: uuid.UUID | str) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# Staff sign-in security (two factors, lockouts): the head manages the colleagues of their school.
class StaffSecurityAction(enum.StrEnum):
    MANAGE = "staff_security.manage"


register_school_actions(StaffSecurityAction, {StaffSecurityAction.MANAGE: frozenset({Role.HEAD})})


def colleagues_managed_by(user: User, school: School):
    """The members of staff (any role, governors included) whose sign-in security the user may manage in the
    school: all of them for its head, none for anyone else."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.order_by("last_name", "first_name", "username")
    if not can_in_school(user, school.pk, StaffSecurityAction.MANAGE):
        return users.none()
    return users.filter(pk__in=Membership.objects.filter(school=school).values("user_id")).distinct()


# The disclosure log (policy section 17): the SENCO and the head read and add to it, per pupil.
class DisclosureAction(enum.StrEnum):
    VIEW = "disclosure.view"
    RECORD = "disclosure.record"


register_school_actions(
    DisclosureAction,
    {
        DisclosureAction.VIEW: frozenset({Role.SENCO, Role.HEAD}),
        DisclosureAction.RECORD: frozenset({Role.SENCO, Role.HEAD}),
    },
)


def get_pupil_for_disclosures(user: User, pupil_id: uuid.UUID | str, *, action: DisclosureAction) -> Pupil:
    """The pupil, if the user may see them (else 404) and read or add to their disclosure log (else 403)."""
    pupil = get_pupil_for_user(user, pupil_id)
    if not can_in_school(user, pupil.school_id, action):
        raise PermissionDenied
    return pupil
