"""What every letter and PDF a school sends carries: its letterhead (logo, name, address, phone, email, from the
school's set-up) and a named signatory with their role (the head or the SENCO: the name given at set-up, else
the member of staff holding the role). Read-only; used by the `letters` template tags."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from .models import Membership, Role, School

ROLE_TITLES = {Role.HEAD: "Headteacher", Role.SENCO: "SENCO", Role.DSL: "Designated safeguarding lead"}
LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


def signatory(school: School, role: str = Role.SENCO) -> Signatory:
    """Who signs the school's letters in `role`: the name from the set-up, else the staff member holding the
    role (the longest-standing), else the role alone."""
    named = {Role.HEAD: school.head_name, Role.SENCO: school.senco_name}.get(role, "")
    if not named:
        member = (
            Membership.objects.filter(school=school, role=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        named = member.user.get_full_name() if member else ""
    return Signatory(name=named.strip(), role=ROLE_TITLES.get(role, str(Role(role).label)))


def logo_data_uri(school: School) -> str:
    """The school's logo as a data: address, for a PDF (which fetches nothing but our own files); "" if none."""
    if not school.logo:
        return ""
    suffix = school.logo.name.rsplit(".", 1)[-1].lower()
    try:
        with school.logo.open("rb") as handle:
            body = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    return f"data:{LOGO_TYPES.get(suffix, 'image/png')};base64,{base64.b64encode(body).decode()}"


def download_name(kind: str, pupil, day, extension: str = "pdf") -> str:
    """What a pupil's download is called: the kind, the pupil's initials and the date, never a name
    (annual-review-report-JH-2026-11-28.pdf)."""
    return f"{kind}-{pupil.initials}-{day:%Y-%m-%d}.{extension}"
