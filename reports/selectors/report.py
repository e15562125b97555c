"""The whole governors' report: every part, for one school and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pupils.models import School

from ..periods import Period
from .ehc import ehc_figures
from .graduated import graduated_figures
from .progress import ProgressFigures, progress_figures
from .provision import provision_section
from .register import RegisterFigures, register_figures
from .safeguarding import safeguarding_section
from .tables import Section, Table


@dataclass
class GovernorsReport:
    school: School
    period: Period
    register: RegisterFigures
    ehc_tables: list[Table]
    ehc_headline: dict[str, str]
    graduated_tables: list[Table]
    progress: ProgressFigures
    provision: Section
    safeguarding: Section

    @property
    def tables(self) -> list[Table]:
        return [
            *self.register.tables,
            *self.ehc_tables,
            *self.graduated_tables,
            self.progress.table,
            *self.provision.tables,
            *self.safeguarding.tables,
        ]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def governors_report(school: School, period: Period, *, today: date) -> GovernorsReport:
    """The governors' SEND report for a term or year: anonymised and suppressed throughout. About 25 queries,
    none per pupil, term or need."""
    ehc_tables, ehc_headline = ehc_figures(school, period, today=today)
    return GovernorsReport(
        school=school,
        period=period,
        register=register_figures(school, period, today=today),
        ehc_tables=ehc_tables,
        ehc_headline=ehc_headline,
        graduated_tables=graduated_figures(school, period, today=today),
        progress=progress_figures(school, period, today=today),
        provision=provision_section(school, period, today=today),
        safeguarding=safeguarding_section(school, period, today=today),
    )
