"""The columns an LA's costed provision map may ask for, by key, with their headings. Presets (ExportPreset
rows) list keys in an LA's order; the starting presets are seeded by a migration and edited as data."""

from __future__ import annotations

COLUMNS: dict[str, str] = {
    "pupil": "Pupil",
    "upn": "UPN",
    "year": "Year group",
    "sen_status": "SEN status",
    "primary_need": "Primary need",
    "area": "Area of need",
    "outcome": "Outcome targeted",
    "provision": "Provision",
    "category": "Category of cost",
    "delivered_by": "Delivered by",
    "group_size": "Group size",
    "session_minutes": "Minutes per session",
    "sessions_per_week": "Sessions per week",
    "weeks": "Weeks",
    "minutes_per_pupil_week": "Minutes per pupil per week",
    "unit_rate": "Hourly rate with on-costs (£)",
    "annual_cost": "Annual cost per pupil (£)",
    "delivered_cost": "Delivered cost to date (£)",
    "non_hour_costs": "Non-hour costs per pupil (£)",
    "funding_source": "Funding source",
    "start": "Start date",
    "end": "End date",
    "review": "Review date",
    "entry": "Entry score",
    "exit": "Exit score",
}

COMMON_SET = list(COLUMNS)

# Starting presets (seeded by migration 0005): the common set, and two shorter layouts LAs commonly ask for.
STARTING_PRESETS: list[tuple[str, list[str]]] = [
    ("Common set (every column)", COMMON_SET),
    (
        "Top-up request (costs)",
        [
            "pupil",
            "upn",
            "year",
            "sen_status",
            "primary_need",
            "provision",
            "category",
            "delivered_by",
            "group_size",
            "minutes_per_pupil_week",
            "weeks",
            "unit_rate",
            "annual_cost",
            "non_hour_costs",
            "funding_source",
        ],
    ),
    (
        "Needs assessment request (provision and impact)",
        [
            "pupil",
            "upn",
            "year",
            "area",
            "outcome",
            "provision",
            "delivered_by",
            "session_minutes",
            "sessions_per_week",
            "start",
            "end",
            "entry",
            "exit",
            "annual_cost",
        ],
    ),
]
