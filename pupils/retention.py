"""How long a pupil's SEND file is kept: pure, no database and no clock.

IRMS toolkit for schools (STATUTORY.md section 7, second-hand): SEN files, reviews and EHC plans, and advice
given to parents, are kept until the pupil's date of birth + 31 years, then reviewed for destruction.
"""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 31


def send_file_retained_until(date_of_birth: date) -> date:
    """Date of birth + 31 years: the last day the file is kept. A 29 February birthday gives 28 February in a
    year that has no 29th. Destruction is allowed only after this day."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + RETENTION_YEARS)
    except ValueError:
        return date(date_of_birth.year + RETENTION_YEARS, 2, 28)


def is_past_retention(date_of_birth: date, *, today: date) -> bool:
    """The retention period has ended: its last day is before today."""
    return send_file_retained_until(date_of_birth) < today
