"""Writes of the top layer: section F lines of an EHC plan, linked to the provisions that deliver them."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from ehc.models import EhcPlan
from provision.models import Provision
from pupils.services import audited

from .models import SectionFLine


def section_f_line_add(
    *,
    plan: EhcPlan,
    description: str,
    minutes_per_week: int,
    delivered_by: str,
    provisions: Sequence[Provision] = (),
    actor: AbstractBaseUser,
) -> SectionFLine:
    """Add a line of section F (what, minutes a week, by whom) to a plan, linked to the school's provisions that
    deliver it. Provisions of another school are refused."""
    if any(p.school_id != plan.pupil.school_id for p in provisions):
        raise ValidationError({"provisions": "Link only this school's provisions."})
    with audited(actor):
        line = SectionFLine(
            plan=plan,
            description=description.strip(),
            minutes_per_week=minutes_per_week,
            delivered_by=delivered_by.strip(),
            position=plan.section_f_lines.count(),
        )
        line.full_clean()
        line.save()
        line.provisions.set(provisions)
    return line
