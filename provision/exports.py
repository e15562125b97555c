"""Costed provision maps as files: xlsx (openpyxl), CSV with formula-injection-safe cells, and PDF (the same
template as the page). Columns come from an LA's preset (ExportPreset: data, in the LA's order)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from send_mis.dates import format_long

from .export_columns import COLUMNS
from .selectors_maps import MapRow

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = set("[]:*?/\\")


def _date(value: date | None) -> str:
    return format_long(value) if value else ""


def cell(row: MapRow, key: str):
    """The value of one column for one place: numbers stay numbers, dates are written out."""
    p, g, a = row.provision, row.group, row.allocation
    values = {
        "pupil": row.pupil.display_name,
        "upn": row.pupil.upn,
        "year": row.pupil.get_year_group_display(),
        "sen_status": row.sen_status,
        "primary_need": row.primary_need,
        "area": p.get_broad_area_display(),
        "outcome": p.intended_outcome,
        "provision": p.name,
        "category": p.get_cost_category_display(),
        "delivered_by": p.get_staff_type_display(),
        "group_size": p.group_size,
        "session_minutes": p.session_minutes,
        "sessions_per_week": p.sessions_per_week,
        "weeks": p.weeks,
        "minutes_per_pupil_week": row.minutes_per_pupil_week,
        "unit_rate": row.unit_rate,
        "annual_cost": row.planned_cost,
        "delivered_cost": row.delivered_cost,
        "non_hour_costs": row.non_hour_share,
        "funding_source": p.funding_source,
        "start": _date(max(a.joined_on, g.starts_on)),
        "end": _date(a.left_on or g.ends_on),
        "review": _date(g.ends_on),
        "entry": a.entry_score,
        "exit": a.exit_score,
    }
    return values[key]


def table(rows: Sequence[MapRow], columns: Sequence[str]) -> tuple[list[str], list[list]]:
    """Headings and values of the chosen columns (unknown keys in a preset are left out)."""
    keys = [k for k in columns if k in COLUMNS]
    return [COLUMNS[k] for k in keys], [[cell(r, k) for k in keys] for r in rows]


def safe_text(value) -> str:
    """A CSV cell that a spreadsheet will show, never run: text starting with a formula character is prefixed
    with an apostrophe. Numbers are written as numbers (a negative change stays a number)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(headings: Sequence[str], values: Sequence[Sequence], footer: Sequence[Sequence] = ()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(h) for h in headings])
    for row in [*values, *footer]:
        writer.writerow([safe_text(v) for v in row])
    return out.getvalue()


def to_xlsx(title: str, headings: Sequence[str], values: Sequence[Sequence], footer: Sequence[Sequence] = ()) -> bytes:
    """One worksheet: a title row, the headings in bold, the rows, then any footer rows. openpyxl writes text
    as text (a leading '=' is not a formula unless written as one), and money as numbers to two places."""
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(ch for ch in title if ch not in SHEET_TITLE_FORBIDDEN)[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headings))
    for c in sheet[2]:
        c.font = Font(bold=True)
    for row in [*values, *footer]:
        sheet.append([_xlsx_value(v) for v in row])
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(40, max(10, *(len(str(c.value or "")) for c in column[1:])))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith("="):
        return "'" + value  # openpyxl would otherwise store it as a formula
    return value
