"""Schools, staff roles, classes, pupils, their contacts, the SEND register and SEN concerns.

Each part lives in a module of its own; this package re-exports them all, so `pupils.models` stays the one
import. The modules are imported in the order the models were once declared in one file, so Django registers
them (and creates their content types and permissions) in that same order.
"""

# isort: off
from .school import (
    DEFAULT_TRANSFER_YEAR_GROUPS,
    Membership,
    Phase,
    Role,
    School,
    SchoolClass,
    Term,
    YearGroup,
    _school_logo_path,
)
from .pupil import Contact, Gender, Pupil, PupilManager, PupilQuerySet, on_roll_q
from .register import BroadArea, ConcernStatus, NeedType, RegisterEntry, RegisterStatus, SenConcern
from .disclosure import Disclosure, DisclosedDocument, DisclosurePurpose, PupilAccessGrant
from .pupil_import import ImportStatus, PupilImport
from .statutory_calendar import AccessibilityPlan, SencoAwardChoice, SencoQualification
# isort: on

__all__ = [
    "DEFAULT_TRANSFER_YEAR_GROUPS",
    "AccessibilityPlan",
    "BroadArea",
    "ConcernStatus",
    "Contact",
    "DisclosedDocument",
    "Disclosure",
    "DisclosurePurpose",
    "Gender",
    "ImportStatus",
    "Membership",
    "NeedType",
    "Phase",
    "Pupil",
    "PupilAccessGrant",
    "PupilImport",
    "PupilManager",
    "PupilQuerySet",
    "RegisterEntry",
    "RegisterStatus",
    "Role",
    "School",
    "SchoolClass",
    "SenConcern",
    "SencoAwardChoice",
    "SencoQualification",
    "Term",
    "YearGroup",
    "_school_logo_path",  # migration 0007 names it as School.logo's upload_to
    "on_roll_q",
]
