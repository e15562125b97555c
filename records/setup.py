"""Finishing a school's first set-up: the pupils layer records it, and each area makes its defaults.

This lives in the top layer because it composes areas (pupils may not import provision); the set-up pages in
pupils link to this one step.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser

from provision.services import school_defaults_ensure
from pupils import school_setup
from pupils.models import School
from pupils.services import audited
from send_mis.dates import academic_year_start


def school_setup_complete(*, school: School, today: date, now: datetime, actor: AbstractBaseUser) -> School:
    """Finish the set-up, audited and all or nothing: the school is marked set up and given the progress
    defaults (settings, subjects, the year's assessment points) of the academic year `today` falls in.
    Repeating it changes nothing."""
    with audited(actor):
        school = school_setup.school_setup_finish(school=school, now=now, actor=actor)
        school_defaults_ensure(school=school, academic_year=academic_year_start(today).year, actor=actor)
    return school
