"""docs/ACCESS.md stays true: every permission the access modules define is listed there."""

from __future__ import annotations

from pathlib import Path

import pytest

import deadlines.access
import ehc.access
import provision.access
import records.access
import reports.access
import safeguarding.access
from pupils import access, school_access

DOC = (Path(__file__).resolve().parent.parent / "docs" / "ACCESS.md").read_text()

ENUMS = [
    access.Action,
    access.SchoolAction,
    deadlines.access.DeadlineAction,
    ehc.access.EhcAction,
    ehc.access.EhcSchoolAction,
    provision.access.ProvisionAction,
    provision.access.ProvisionSchoolAction,
    provision.access.MapAction,
    provision.access.GroupAction,
    access.StaffSecurityAction,
    access.DisclosureAction,
    safeguarding.access.SafeguardingAction,
    safeguarding.access.FileAction,
    reports.access.ReportAction,
    school_access.SchoolAdminAction,
    records.access.RecordsSchoolAction,
]


@pytest.mark.parametrize("permission", [member for enum in ENUMS for member in enum], ids=str)
def test_every_permission_is_documented(permission):
    assert f"`{permission.value}`" in DOC, f"{permission.value} is missing from docs/ACCESS.md"


def test_every_school_wide_action_has_roles_registered():
    for enum in ENUMS:
        if enum in access._SCHOOL_RULES:
            assert set(access._SCHOOL_RULES[enum]) == set(enum)
