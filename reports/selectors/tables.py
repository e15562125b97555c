"""The shapes every part of the governors' report shares: a table as the page, the PDF and the CSV export show
it, a section fed by an area, and the date conditions every count uses (on the register, on roll, on a day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from pupils.models import RegisterStatus

from .. import charts

REPORTED = (RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN)


@dataclass
class Row:
    label: str
    cells: list[str]
    is_subtotal: bool = False


@dataclass
class Table:
    key: str  # the CSV export's name for it
    caption: str
    columns: list[str]  # the first is the row labels' heading
    rows: list[Row]
    foot: Row | None = None
    note: str = ""

    def as_lists(self) -> list[list[str]]:
        return [self.columns] + [[row.label, *row.cells] for row in [*self.rows, *([self.foot] if self.foot else [])]]


@dataclass
class Section:
    """A part of the report fed by an area that may not exist yet: `available` False says so plainly."""

    title: str
    available: bool
    message: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)
    headline: dict[str, str] = field(default_factory=dict)


def on_register_q(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def on_roll_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}admitted_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def day_text(value: date) -> str:
    """14 March 2027."""
    return f"{value.day} {value:%B %Y}"
