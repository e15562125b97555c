"""Who may see and do what with child protection files: built only from the access core (pupils/access.py).

The model as built (KCSIE Annex C; DESIGN.md section 2):

| who | report a concern | the file (chronology, entries, log) | inbox, dashboard, work on files | counts |
|---|---|---|---|---|
| DSL, deputy DSL of the school | yes | every file of the school | yes | yes |
| staff given a share until a date | yes | that file, read only, until the date; then 404 | no | no |
| SENCO | yes | 403: they may know a file exists and whom to ask (the pupil notice); content only if shared | no | no |
| teacher (the reporter too) | yes | 404 (the reporter sees a receipt, may add to it, never reads it) | no | no |
| head | yes | 404: no automatic access (the school may make the head a deputy DSL) | no | no |
| governor | no | 404 | no | anonymised counts by category and term, small numbers suppressed |
| another school's DSL | their own school only | 404 | their own school only | their own |

Reading any part of a file also needs a second-factor verification in the last 15 minutes: the views apply
`pupils.twofactor.require_recent_second_factor`. Every read, refused attempt and export is logged by the views
in the file's who-viewed log (services.access_record). Shares are held both as a `Share` row (the end date,
the reason, who granted it) and as a django-guardian object permission; both must hold for a share to count.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from deadlines.access import register_restricted_deadline_kinds
from pupils import access
from pupils.models import Membership, Pupil, Role

from .models import ChildFile, Entry, EntryKind, Share

if TYPE_CHECKING:
    from pupils.access import User

SHARE_PERMISSION = "safeguarding.read_childfile"
DSL_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})
STAFF_ROLES = frozenset({Role.SENCO, Role.TEACHER, Role.HEAD, Role.DSL, Role.DEPUTY_DSL})


class SafeguardingAction(enum.StrEnum):
    REPORT = "safeguarding.report"  # report a concern about any child of the school
    WORK = "safeguarding.work"  # inbox, dashboard, every file: read, record, share, transfer, categories
    COUNTS = "safeguarding.counts"  # anonymised counts by category and term


access.register_school_actions(
    SafeguardingAction,
    {
        SafeguardingAction.REPORT: STAFF_ROLES,
        SafeguardingAction.WORK: DSL_ROLES,
        SafeguardingAction.COUNTS: frozenset({Role.GOVERNOR, Role.DSL, Role.DEPUTY_DSL}),
    },
)


# A safeguarding deadline's title and pupil would tell a teacher or the SENCO that a file exists.
register_restricted_deadline_kinds("safeguarding.", DSL_ROLES)


class FileAction(enum.StrEnum):
    READ = "read"
    WORK = "work"  # record entries, share, transfer, read the who-viewed log, export


def is_dsl_team(user: User, school_id: uuid.UUID) -> bool:
    """Whether the user is the DSL or a deputy DSL of the school."""
    return access.can_in_school(user, school_id, SafeguardingAction.WORK)


def _shared_file_ids(user: User, *, today: date) -> QuerySet:
    granted = get_objects_for_user(
        user, SHARE_PERMISSION, klass=ChildFile, accept_global_perms=False, with_superuser=False
    ).values("pk")
    return Share.objects.filter(user=user, revoked_at__isnull=True, until_on__gte=today, file__in=granted).values(
        "file_id"
    )


def files_visible_to(user: User, *, today: date) -> QuerySet[ChildFile]:
    """Every file the user may read: their schools' files for the DSL team; files shared with them until the
    share's end date. Nobody else reads a file, whatever else they may see of the pupil."""
    if not user.is_authenticated:
        return ChildFile.objects.none()
    dsl_schools = access.roles_of(user).schools_with(DSL_ROLES)
    return ChildFile.objects.filter(Q(school_id__in=dsl_schools) | Q(pk__in=_shared_file_ids(user, today=today)))


def file_actions(user: User, file: ChildFile) -> frozenset[FileAction]:
    """What the user may do with a file they can read: the DSL team works on it; a share reads only."""
    if is_dsl_team(user, file.school_id):
        return frozenset(FileAction)
    return frozenset({FileAction.READ})


def knows_file_exists_in(user: User, school_id: uuid.UUID) -> bool:
    """Whether the user may know which children of the school have a file: the SENCO (so SEND and
    safeguarding work together) and the DSL team."""
    return bool(access.roles_of(user).in_school(school_id) & (DSL_ROLES | {Role.SENCO}))


def knows_file_exists(user: User, file: ChildFile) -> bool:
    """The SENCO may know that a file exists and whom to ask (so a refusal is a 403, not a 404)."""
    return knows_file_exists_in(user, file.school_id)


class Refused(Exception):
    """An attempt the who-viewed log records before the refusal (404 or 403) is raised."""

    def __init__(self, file: ChildFile | None, error: Exception) -> None:
        super().__init__(str(error))
        self.file = file
        self.error = error


def get_file_for_user(user: User, file_id: uuid.UUID | str, *, action: FileAction, today: date) -> ChildFile:
    """The file, if the user may read it and take this action; else `Refused` wrapping the 404 (out of sight)
    or 403 (the SENCO, who may know it exists; a share holder asking to work on it). The caller logs the
    refusal against the file, when there is one, and raises the wrapped error."""
    file = ChildFile.objects.select_related("pupil", "school").filter(pk=file_id).first() if is_uuid(file_id) else None
    if file is None:
        raise Refused(None, Http404("No such file."))
    if not files_visible_to(user, today=today).filter(pk=file.pk).exists():
        error = PermissionDenied() if knows_file_exists(user, file) else Http404("No such file.")
        raise Refused(file, error)
    if action not in file_actions(user, file):
        raise Refused(file, PermissionDenied())
    return file


def entries_shared_with(user: User, file: ChildFile, *, today: date) -> set | None:
    """Which entries of a file the user may read: None for all of them (the DSL team, a whole-file share),
    else the ids of the entries shared with them one by one (the caller shows those, their corrections and
    what followed from them)."""
    if is_dsl_team(user, file.school_id):
        return None
    live = Share.objects.filter(file=file, user=user, revoked_at__isnull=True, until_on__gte=today)
    ids = set(live.values_list("entry_id", flat=True))
    return None if None in ids else ids


def file_can(user: User, file: ChildFile) -> dict[str, bool]:
    """The `can` mapping file templates use to show or hide controls."""
    actions = file_actions(user, file)
    return {action.value: action in actions for action in FileAction}


def get_own_concern(user: User, entry_id: uuid.UUID | str) -> Entry:
    """A concern the user reported (for its receipt and to add to it): anyone else's is 404. The reporter
    never reads it back: the caller shows a receipt, not the content."""
    entry = (
        Entry.objects.select_related("file").filter(pk=entry_id, kind=EntryKind.CONCERN).first()
        if is_uuid(entry_id)
        else None
    )
    if entry is None or entry.recorded_by_id != user.pk:
        raise Http404("No such concern.")
    if not access.can_in_school(user, entry.file.school_id, SafeguardingAction.REPORT):
        raise Http404("No such concern.")
    return entry


def pupils_to_report_on(user: User, school_id: uuid.UUID) -> QuerySet[Pupil]:
    """Any child of the school: a concern may come from anyone who saw or heard something (a lunchtime
    supervisor, a teacher on the playground), not only the child's own teachers."""
    if not access.can_in_school(user, school_id, SafeguardingAction.REPORT):
        return Pupil.objects.none()
    return Pupil.objects.filter(school_id=school_id, left_on__isnull=True)


def get_pupil_to_report_on(user: User, school_id: uuid.UUID, pupil_id: uuid.UUID | str) -> Pupil:
    pupil = pupils_to_report_on(user, school_id).filter(pk=pupil_id).first() if is_uuid(pupil_id) else None
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def get_pupil_for_notice(user: User, pupil_id: uuid.UUID | str, *, today: date) -> Pupil:
    """The pupil whose safeguarding page (a file exists, whom to ask, a link for those who may read) is asked
    for: anyone who may see the pupil in the core, the DSL team of the pupil's school, or the holder of a live
    share of the pupil's file; 404 otherwise."""
    pupil = Pupil.objects.select_related("school").filter(pk=pupil_id).first() if is_uuid(pupil_id) else None
    if pupil is None:
        raise Http404("No such pupil.")
    if (
        is_dsl_team(user, pupil.school_id)
        or access.pupils_visible_to(user).filter(pk=pupil.pk).exists()
        or files_visible_to(user, today=today).filter(pupil=pupil).exists()
    ):
        return pupil
    raise Http404("No such pupil.")


def dsl_team_of(school_id: uuid.UUID) -> list:
    """The DSL and deputy DSLs of a school (whom to ask), active users only, by name."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(school_id=school_id, role__in=DSL_ROLES).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))


def may_receive_share(user: User, school_id: uuid.UUID) -> bool:
    """A share goes to a named member of staff of the school (never a governor)."""
    return access.is_staff_of(user, school_id)


def grant_file_share(*, user: User, file: ChildFile) -> None:
    assign_perm(SHARE_PERMISSION, user, file)


def revoke_file_share(*, user: User, file: ChildFile) -> None:
    remove_perm(SHARE_PERMISSION, user, file)


def require_work(user: User, school) -> None:
    """403 unless the user is the DSL team of the school (school-wide pages: inbox, dashboard, categories)."""
    access.require_school_action(user, school, SafeguardingAction.WORK)


def safeguarding_nav(user: User, school_id: uuid.UUID) -> dict[str, bool]:
    return {action.name.lower(): access.can_in_school(user, school_id, action) for action in SafeguardingAction}


def is_uuid(value: uuid.UUID | str) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
