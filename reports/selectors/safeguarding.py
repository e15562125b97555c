"""Safeguarding for governors: concerns counted by category and by term, suppressed, and nothing else (no child,
no content, no date finer than a term). The counts come from the safeguarding area's own selector."""

from __future__ import annotations

from datetime import date

from pupils.models import School
from safeguarding import selectors as safeguarding_selectors
from send_mis.suppression import suppress_table

from ..periods import Period
from .tables import Row, Section, Table

TITLE = "Safeguarding"


def safeguarding_section(school: School, period: Period, *, today: date) -> Section:
    """Concerns by category (as the DSL triaged them) and by the school term they happened in, for the terms of
    the period up to today, through the one suppression rule with every row, column and the whole as visible
    sums. Three queries."""
    found = safeguarding_selectors.concern_counts(
        school, starts_on=period.starts_on, ends_on=min(period.ends_on, today)
    )
    if not found.terms:
        return Section(
            TITLE,
            available=False,
            message=f"No school terms are set up for {period.label}, so concerns cannot be counted by term.",
        )
    table = suppress_table([[found.counts.get(c, {}).get(t, 0) for t in found.terms] for c in found.categories])
    concerns = Table(
        "safeguarding-concerns",
        f"Safeguarding concerns by category and term, {period.label}",
        ["Category", *found.terms, "All terms"],
        [
            Row(category, [*(cell.text for cell in table.cells[r]), table.row_totals[r].text])
            for r, category in enumerate(found.categories)
        ],
        Row("All categories", [*(cell.text for cell in table.column_totals), table.total.text]),
        note="Counts only: concerns recorded by staff, by the category the DSL gave them and the term the event "
        "happened in. Nothing about any child or what happened is in this report.",
    )
    return Section(TITLE, available=True, tables=[concerns], headline={"concerns": table.total.text})
