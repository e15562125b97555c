"""Exports of the provision map: CSV cells a spreadsheet shows but never runs, the presets' columns, the pupil's
costed map as CSV and xlsx, and the whole-school map as xlsx."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from provision import exports
from provision.export_columns import COLUMNS, STARTING_PRESETS
from provision.models import ExportPreset


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 115", "'+44 115"),
        ("-2 months", "'-2 months"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Reading boost", "Reading boost"),
        (Decimal("-2.5"), "-2.5"),  # a negative number stays a number
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert exports.safe_text(value) == expected


def test_every_starting_preset_names_known_columns():
    for _, columns in STARTING_PRESETS:
        assert set(columns) <= set(COLUMNS)


@pytest.mark.django_db
def test_the_presets_are_seeded_as_data():
    assert [p.name for p in ExportPreset.objects.all()] == [name for name, _ in STARTING_PRESETS]


@pytest.fixture
def risky(reading, oak_session):
    reading.name = "=cmd|' /C calc'!A0"
    reading.save()
    return reading


@pytest.mark.django_db
def test_the_costed_csv_holds_the_common_set_with_safe_cells(login, senco_a, risky, pupil_oak):
    response = login(senco_a).get(reverse("maps:pupil-costed-csv", args=[pupil_oak.pk]))
    assert response["Content-Disposition"].endswith('.csv"')
    assert pupil_oak.legal_surname not in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(COLUMNS.values())
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["UPN"] == pupil_oak.upn
    assert row["Provision"] == "'=cmd|' /C calc'!A0"
    assert row["Delivered cost to date (£)"] == "129.43"  # one session alone (9.43), and all 120.00 non-hour costs
    assert rows[-4][0] == "Annual cost of additional support (planned)"


@pytest.mark.django_db
def test_a_shorter_preset_changes_the_columns(login, senco_a, oak_session, pupil_oak):
    preset = ExportPreset.objects.get(name="Top-up request (costs)")
    response = login(senco_a).get(reverse("maps:pupil-costed-xlsx", args=[pupil_oak.pk]) + f"?preset={preset.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == [COLUMNS[k] for k in preset.columns]


@pytest.mark.django_db
def test_the_whole_school_map_xlsx_opens_with_rows_and_totals(login, head_a, oak_session, pupil_oak):
    response = login(head_a).get(reverse("maps:map-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [c.value for c in sheet[2]]
    assert sheet["A1"].value.startswith("Provision map ")
    assert sheet["A3"].value == pupil_oak.display_name
    assert sheet.cell(4, 1).value == "Totals"
    assert sheet.cell(4, headings.index("Delivered cost to date (£)") + 1).value == 129.43  # 9.43 + 120.00
