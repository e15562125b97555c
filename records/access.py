"""Who may record a leaver, download a pupil's SEND file and destroy records past retention; built only from
the access core (pupils.access). A pupil out of sight is a 404 (get_pupil_for_user); a refused action a 403."""

from __future__ import annotations

import enum

from pupils import access
from pupils.models import Role


class RecordsSchoolAction(enum.StrEnum):
    LEAVERS = "records.leavers"  # record that a pupil left; the leavers list
    SEND_FILE = "records.send_file"  # download a pupil's SEND file (PDF bundle)
    RETENTION = "records.retention"  # records past retention, and their destruction
    SUBJECT_ACCESS = "records.subject_access"  # export everything held about one pupil (a subject access request)


access.register_school_actions(
    RecordsSchoolAction,
    {
        RecordsSchoolAction.LEAVERS: frozenset({Role.SENCO, Role.HEAD}),
        RecordsSchoolAction.SEND_FILE: frozenset({Role.SENCO, Role.HEAD}),
        RecordsSchoolAction.RETENTION: frozenset({Role.HEAD}),
        RecordsSchoolAction.SUBJECT_ACCESS: frozenset({Role.HEAD}),
    },
)


def get_pupil_for_records(user, pupil_id, *, action: RecordsSchoolAction):
    """The pupil, if the user may see them (else 404) and take this records action in their school (else 403)."""
    pupil = access.get_pupil_for_user(user, pupil_id, action=access.Action.VIEW)
    access.require_school_action(user, pupil.school, action)
    return pupil


def records_nav(user, school_id) -> dict[str, bool]:
    return {action.name.lower(): access.can_in_school(user, school_id, action) for action in RecordsSchoolAction}
