"""Who may see and do what: the only module that decides access, and the only one that calls guardian.

Role rules (DESIGN.md section 2) cover the common case; django-guardian holds explicit per-pupil grants for
the exceptions (a teaching assistant, a visiting professional, a supply teacher). A record outside what the
user may see answers 404, so probing ids teaches nothing; an action the user may not take on a record they
can see answers 403.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import Membership, Pupil, Role, School, SchoolClass

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

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
}


_PUPIL_READS = frozenset({Action.VIEW})


class SchoolAction(enum.StrEnum):
    DASHBOARD = "dashboard"
    PUPIL_LIST = "pupil_list"
    PUPIL_ADD = "pupil_add"
    CONCERN_TRIAGE = "concern_triage"
    REGISTER_SUMMARY = "register_summary"
    AUDIT_LOG = "audit_log"


_SCHOOL_ACTIONS: dict[SchoolAction, frozenset[str]] = {
    SchoolAction.DASHBOARD: frozenset({Role.SENCO, Role.HEAD, Role.DSL}),
    SchoolAction.PUPIL_LIST: frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.TEACHER}),
    SchoolAction.PUPIL_ADD: frozenset({Role.SENCO}),
    SchoolAction.CONCERN_TRIAGE: frozenset({Role.SENCO}),
    SchoolAction.REGISTER_SUMMARY: frozenset({Role.SENCO, Role.HEAD, Role.GOVERNOR}),
    SchoolAction.AUDIT_LOG: frozenset({Role.HEAD}),
}


@dataclass(frozen=True)
class SchoolRoles:
    """The roles a user holds, per school; loaded once per request."""

    by_school: dict[uuid.UUID, frozenset[str]]

    def in_school(self, school_id: uuid.UUID) -> frozenset[str]:
        return self.by_school.get(school_id, frozenset())

    def schools_with(self, roles: frozenset[str] | set[str]) -> list[uuid.UUID]:
        return [school_id for school_id, held in self.by_school.items() if held & roles]


def roles_of(user: User) -> SchoolRoles:
    if not user.is_authenticated:
        return SchoolRoles({})
    cached = getattr(user, "_send_mis_roles", None)
    if cached is None:
        by_school: dict[uuid.UUID, set[str]] = {}
        for school_id, role in Membership.objects.filter(user=user).values_list("school_id", "role"):
            by_school.setdefault(school_id, set()).add(role)
        cached = SchoolRoles({k: frozenset(v) for k, v in by_school.items()})
        user._send_mis_roles = cached  # type: ignore[union-attr]
    return cached


def schools_of(user: User) -> QuerySet[School]:
    return School.objects.filter(pk__in=list(roles_of(user).by_school))


# Each area's school-wide actions, by enum: the roles allowed each action. Areas register their table below.
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
    school = School.objects.filter(pk__in=[school_id] if school_id else school_ids).order_by("name")[0]
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


def pupils_visible_to(user: User) -> QuerySet[Pupil]:
    """Every pupil the user may see with a name: whole schools for the SENCO, head and DSL; a teacher's own
    classes; any pupil granted to them explicitly. Governors see no pupil. Never a global list."""
    if not user.is_authenticated:
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
    return bool(pupil.school_class_id) and pupil.school_class.teachers.filter(pk=user.pk).exists()


def unless_left(pupil: Pupil, actions: frozenset, reads: frozenset) -> frozenset:
    """A pupil whose leaving is recorded is read-only in every area: only the reading actions remain (the
    record goes with the pupil; nothing may be added to it here). Areas filter their actions through this."""
    return actions & reads if pupil.has_left else actions


def pupil_actions(user: User, pupil: Pupil) -> frozenset[Action]:
    """What the user may do to a pupil they can see (the caller has already checked visibility)."""
    held = roles_of(user).in_school(pupil.school_id)
    if held & WHOLE_SCHOOL_ROLES:
        allowed: set[Action] = set()
        for role in held:
            allowed |= _PUPIL_ACTIONS[role]
        return unless_left(pupil, frozenset(allowed), _PUPIL_READS)
    if Role.TEACHER in held and teaches(user, pupil):
        return unless_left(pupil, _PUPIL_ACTIONS[Role.TEACHER], _PUPIL_READS)
    # A grant gives sight of the record and nothing more.
    return frozenset({Action.VIEW})


def get_pupil_for_user(user: User, pupil_id: uuid.UUID | str, *, action: Action = Action.VIEW) -> Pupil:
    """The pupil, if the user may see it (else 404) and take this action on it (else 403)."""
    pupil = (
        pupils_visible_to(user).select_related("school", "school_class").filter(pk=pupil_id).first()
        if _is_uuid(pupil_id)
        else None
    )
    if pupil is None:
        raise Http404("No such pupil.")
    if action not in pupil_actions(user, pupil):
        raise PermissionDenied
    return pupil


def pupil_can(user: User, pupil: Pupil) -> dict[str, bool]:
    """The `can` mapping templates use to show or hide controls."""
    actions = pupil_actions(user, pupil)
    return {action.name.lower(): action in actions for action in Action} | ehc_pupil_can(user, pupil)


def grant_pupil_access(*, user: User, pupil: Pupil) -> None:
    assign_perm(GRANT_PERMISSION, user, pupil)


def revoke_pupil_access(*, user: User, pupil: Pupil) -> None:
    remove_perm(GRANT_PERMISSION, user, pupil)


def _is_uuid(value: uuid.UUID | str) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# === provision (the graduated approach): progress data, flags, support plans, meetings, passports ===========
# SENCO: everything in the school, and agrees plans. Teacher: plans, reviews, logs, meetings, passports and
# flag actions for their own pupils, score entry for their own classes. Head and DSL: view. Governor: nothing
# (404 for a pupil, 403 for a school-wide page). Another school: 404. A grant holder: view only.


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
_SCHOOL_RULES[ProvisionSchoolAction] = _PROVISION_SCHOOL_ACTIONS


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
    klass = SchoolClass.objects.filter(school=school, pk=class_id).first() if _is_uuid(class_id) else None
    if klass is None:
        raise Http404("No such class.")
    if not classes_for_scores(user, school).filter(pk=klass.pk).exists():
        raise PermissionDenied
    return klass


def provision_pupils_in_view(user: User, school: School) -> QuerySet[Pupil]:
    """The pupils whose flags, meetings and passports a list shows: the school for the SENCO, head and DSL;
    a teacher's own classes otherwise (explicit grants do not fill school-wide lists)."""
    if sees_whole_school_provision(user, school.pk):
        return Pupil.objects.filter(school=school)
    if Role.TEACHER in roles_of(user).in_school(school.pk):
        return Pupil.objects.filter(school=school, school_class__teachers=user)
    return Pupil.objects.none()


def provision_work_ids(user: User, pupils: list[Pupil]) -> set[uuid.UUID]:
    """Ids of the listed pupils the user may work for (plan, act on a flag): one query, not one per row."""
    taught = set(SchoolClass.objects.filter(teachers=user).values_list("pk", flat=True)) if pupils else set()
    allowed = set()
    for pupil in pupils:
        held = roles_of(user).in_school(pupil.school_id)
        if Role.SENCO in held or (Role.TEACHER in held and pupil.school_class_id in taught):
            allowed.add(pupil.pk)
    return allowed


def provision_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    """Navigation flags for the provision links in base.html."""
    return {action.name.lower(): can_in_school(user, school_id, action) for action in ProvisionSchoolAction}


# === end provision ==========================================================================================


# =====================================================================================================
# EHC (ehc app): EHC needs assessments, plans, annual reviews, re-assessments, disagreements.
# DESIGN.md s.2: the SENCO views and changes; the head and DSL view all; a teacher reads only the plan
# summary (needs, outcomes, provision) of their own pupils and confirms they have read it; governors see
# nothing EHC. Pupil-scoped pages answer 404 where the pupil is out of sight, 403 where it is in sight but
# the page is not for this role. Grant holders (a TA, a visiting professional) get nothing EHC.
# =====================================================================================================


class EhcAction(enum.StrEnum):
    VIEW = "ehc.view"  # the whole EHC record: overview, full plan (A to K), reviews, documents
    CHANGE = "ehc.change"  # record any step of the workflow
    PLAN_SUMMARY = "ehc.plan_summary"  # the current plan's sections B, E and F
    CONFIRM_READ = "ehc.confirm_read"  # a teacher of the pupil confirms they have read the summary
    CEASE = "ehc.cease"  # record that the LA ceased the plan: the SENCO alone


_EHC_ACTIONS: dict[str, frozenset[EhcAction]] = {
    Role.SENCO: frozenset({EhcAction.VIEW, EhcAction.CHANGE, EhcAction.PLAN_SUMMARY, EhcAction.CEASE}),
    Role.HEAD: frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}),
    Role.DSL: frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}),
    Role.TEACHER: frozenset({EhcAction.PLAN_SUMMARY, EhcAction.CONFIRM_READ}),
    Role.GOVERNOR: frozenset(),
}


class EhcSchoolAction(enum.StrEnum):
    INDEX = "ehc.index"  # the school's EHC caseload
    LA_TIMELINESS = "ehc.la_timeliness"  # the LA's decisions and final plans on time, late, outstanding


_EHC_SCHOOL_ACTIONS: dict[EhcSchoolAction, frozenset[str]] = {
    EhcSchoolAction.INDEX: frozenset({Role.SENCO, Role.HEAD, Role.DSL}),
    EhcSchoolAction.LA_TIMELINESS: frozenset({Role.SENCO, Role.HEAD}),
}
_SCHOOL_RULES[EhcSchoolAction] = _EHC_SCHOOL_ACTIONS


def ehc_actions(user: User, pupil: Pupil) -> frozenset[EhcAction]:
    """What the user may do with a pupil's EHC record (the caller has already checked the pupil is visible)."""
    held = roles_of(user).in_school(pupil.school_id)
    allowed: set[EhcAction] = set()
    for role in held & WHOLE_SCHOOL_ROLES:
        allowed |= _EHC_ACTIONS[role]
    if Role.TEACHER in held and teaches(user, pupil):
        allowed |= _EHC_ACTIONS[Role.TEACHER]
    return unless_left(pupil, frozenset(allowed), frozenset({EhcAction.VIEW, EhcAction.PLAN_SUMMARY}))


def ehc_get_pupil(user: User, pupil_id: uuid.UUID | str, *, action: EhcAction) -> Pupil:
    """The pupil whose EHC record is asked for: 404 if the user may not see the pupil, 403 if they may but
    not take this EHC action. Child records (plans, reviews...) resolve their pupil and call this."""
    pupil = get_pupil_for_user(user, pupil_id, action=Action.VIEW)
    if action not in ehc_actions(user, pupil):
        raise PermissionDenied
    return pupil


def ehc_pupil_can(user: User, pupil: Pupil) -> dict[str, bool]:
    """EHC entries of the `can` mapping; `ehc_plan_summary_link` also needs a current plan to link to."""
    actions = ehc_actions(user, pupil)
    can = {"ehc_" + action.name.lower(): action in actions for action in EhcAction}
    can["ehc_plan_summary_link"] = False
    if EhcAction.PLAN_SUMMARY in actions and EhcAction.VIEW not in actions:
        from ehc.models import EhcPlan, PlanStatus  # ehc depends on pupils, not the other way round

        can["ehc_plan_summary_link"] = EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).exists()
    return can


# === end EHC ===========================================================================================


# ---------------------------------------------------------------------------------------------------------------
# Deadlines (issue 3): who sees which deadlines, who may excuse one, who has a calendar feed.
# SENCO and head: every deadline of their school; DSL: view; a teacher: the deadlines of their own pupils only;
# a governor: none. Excusing a deadline is the SENCO's alone.
# ---------------------------------------------------------------------------------------------------------------

from deadlines.models import Deadline  # noqa: E402  (kept in this block; deadlines.models imports no pupils code)


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
_SCHOOL_RULES[DeadlineAction] = _DEADLINE_ACTIONS


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Every deadline the user may see: whole schools for the SENCO, head and DSL; the deadlines of a
    teacher's own classes' pupils; none for governors or anyone else."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    roles = roles_of(user)
    whole = roles.schools_with(WHOLE_SCHOOL_ROLES)
    teaching = roles.schools_with({Role.TEACHER})
    condition = Q(school_id__in=whole)
    if teaching:
        condition |= Q(
            pupil__school_class__in=SchoolClass.objects.filter(teachers=user, school_id__in=teaching).values("pk")
        )
    return Deadline.objects.filter(condition)


def get_deadline_for_user(
    user: User, deadline_id: uuid.UUID | str, *, action: DeadlineAction = DeadlineAction.LIST
) -> Deadline:
    """The deadline, if the user may see it (else 404) and take this action on it (else 403)."""
    deadline = (
        deadlines_visible_to(user).select_related("pupil", "school", "responsible").filter(pk=deadline_id).first()
        if _is_uuid(deadline_id)
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
