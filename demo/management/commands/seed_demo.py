"""Build the demo school, deterministically: about 420 pupils from Nursery to Year 6 and one user per role,
with the EHC work (plans, annual reviews, an assessment, a draft plan, a disagreement) and the graduated
approach (progress scores and flags, support plans, parent meetings, passports) a SENCO would have on the go.

Every date is relative to ``--today`` (default: today), so the demo always shows a live picture; the same
``--today`` gives the same school. EHC and provision records are written through their services, with the
SENCO as the actor, so deadlines and audit rows are made as in real use.
"""

import random
from base64 import b32decode
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp

from demo import disclosures as demo_disclosures
from demo import law, working_day
from demo import maps as demo_maps
from demo.ehc import EhcBuilder
from demo.graduated import GraduatedBuilder
from demo.reports import build_reports
from demo.safeguarding import build_safeguarding
from demo.school import (
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    DEMO_URN,
    SEED,
    SchoolBuilder,
    _demo_second_factor,
    make_upn,
)
from demo.school_day import last_school_day
from demo.terms import easter_sunday, term_dates
from pupils.models import School

# Re-exported: tests and benchmarks import these from the command.
__all__ = [
    "DEMO_PASSWORD",
    "DEMO_RECOVERY_CODES",
    "DEMO_TOTP_SECRET",
    "DEMO_URN",
    "SEED",
    "Command",
    "_demo_second_factor",
    "easter_sunday",
    "make_upn",
    "term_dates",
]


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Load the demo school (Claremont Primary and Nursery School, about 420 pupils) with EHC plans, reviews, "
        "progress data and support plans, all dated relative to --today. Refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_parse_day,
            default=None,
            metavar="YYYY-MM-DD",
            help="Build the demo as of this day (default: today). The same day always gives the same school.",
        )
        parser.add_argument(
            "--code",
            action="store_true",
            help="Only print the demo accounts' current sign-in code (what an authenticator app with the demo key "
            "shows now), then stop.",
        )

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_demo refuses to run under production settings: it creates known passwords.")
        if options.get("code"):
            self.stdout.write(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
            return
        today = options.get("today") or last_school_day(timezone.localdate())
        if today > timezone.localdate():
            raise CommandError("--today cannot be in the future: the services refuse events dated after today.")
        if School.objects.filter(urn=DEMO_URN).exists():
            self.stdout.write("The demo school is already loaded.")
            return
        with transaction.atomic():
            counts = Builder(today).build()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo school loaded as of {today}: {pupils} pupils, {k} on SEN support, {e} with EHC plans, "
                "{m} monitoring; {scores} progress scores, {flags} flags, {plans} support plans.".format(
                    today=today.isoformat(), **counts
                )
            )
        )


class Builder(SchoolBuilder, EhcBuilder, GraduatedBuilder):
    """The whole demo, in order: school and pupils (demo.school), EHC (demo.ehc), graduated approach
    (demo.graduated), then each area's own demo module."""

    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(SEED)

    def days_ago(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def build(self) -> dict:
        counts = self._build_pupils()
        self._build_ehc()
        counts.update(self._build_provision())
        build_safeguarding(school=self.school, users=self.users, today=self.today)
        build_reports(school=self.school, users=self.users, today=self.today)
        counts["maps"] = demo_maps.build(school=self.school, users=self.users, today=self.today)
        law.build(school=self.school, users=self.users, today=self.today)
        demo_disclosures.build(school=self.school, users=self.users, today=self.today)
        working_day.build(school=self.school, users=self.users, today=self.today)
        return counts
