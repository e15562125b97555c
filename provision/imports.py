"""Checking a CSV of scores (UPN, subject, point, score) before anything is imported.

Every bad row is reported with its line number and the reason, so the SENCO can fix the file. Reading is
done with the csv module on the decoded text; a file that is empty, not UTF-8 or has the wrong header is
refused as a whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pupils.models import Pupil, School

from .models import AssessmentPoint, SchoolSettings, Subject
from .services import ImportRow

HEADER = ("upn", "subject", "point", "score")
MAX_BYTES = 5 * 1024 * 1024
ERRORS_SHOWN = 100


@dataclass
class ImportCheck:
    good: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    file_error: str = ""

    @property
    def rows_read(self) -> int:
        return len(self.good) + len(self.errors)

    @property
    def errors_shown(self) -> list[tuple[int, str]]:
        """The first bad rows, enough to see what is wrong: a file of thousands of bad rows stays a short page."""
        return self.errors[:ERRORS_SHOWN]

    @property
    def errors_not_shown(self) -> int:
        return max(0, len(self.errors) - ERRORS_SHOWN)


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text, or an explanation of why it cannot be read."""
    if len(raw) > MAX_BYTES:
        return "", "The file is larger than 5 MB. Split it into smaller files."
    if not raw.strip():
        return "", "The file is empty."
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return "", (
            "The file is not UTF-8 text. In Excel, choose Save As and 'CSV UTF-8 (comma delimited)', "
            "then upload it again."
        )


def check_scores_csv(text: str, *, school: School, school_settings: SchoolSettings) -> ImportCheck:
    """Check every row of the text against the school's pupils, subjects and assessment points."""
    result = ImportCheck()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        result.file_error = f"The file could not be read as CSV: {error}."
        return result
    if header is None or not any(cell.strip() for cell in header):
        result.file_error = "The file is empty."
        return result
    if tuple(cell.strip().lower() for cell in header) != HEADER:
        result.file_error = (
            f"The first line must be the header UPN,subject,point,score; it is {','.join(header)[:100]}."
        )
        return result

    pupils = dict(Pupil.objects.filter(school=school).values_list("upn", "pk"))
    subjects = {s.name.lower(): s.pk for s in Subject.objects.filter(school=school, is_active=True)}
    points = {p.name.lower(): p for p in AssessmentPoint.objects.filter(school=school)}
    seen: dict[tuple, int] = {}
    low, high = school_settings.score_min, school_settings.score_max
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != 4:
                result.errors.append((line, f"Expected 4 values (UPN, subject, point, score); found {len(cells)}."))
                continue
            upn, subject_name, point_name, score_text = (cell.strip() for cell in cells)
            upn = upn.replace(" ", "").upper()
            reasons = []
            if upn not in pupils:
                reasons.append(f"Unknown UPN {upn or '(blank)'}: no pupil of this school has it.")
            if subject_name.lower() not in subjects:
                reasons.append(f"Unknown subject '{subject_name}'.")
            if point_name.lower() not in points:
                reasons.append(f"Unknown assessment point '{point_name}'.")
            score = _number(score_text)
            if score is None:
                reasons.append(f"The score '{score_text}' is not a number.")
            elif not low <= score <= high:
                reasons.append(f"The score {score_text} is outside the school's range ({low} to {high}).")
            if reasons:
                result.errors.append((line, " ".join(reasons)))
                continue
            key = (upn, subject_name.lower(), point_name.lower())
            if key in seen:
                result.errors.append((line, f"Duplicate row: line {seen[key]} already gives this pupil's score."))
                continue
            seen[key] = line
            result.good.append(
                ImportRow(
                    line=line,
                    pupil_id=pupils[upn],
                    subject_id=subjects[subject_name.lower()],
                    point=points[point_name.lower()],
                    score=score,
                )
            )
    except csv.Error as error:
        result.file_error = f"The file could not be read as CSV near line {reader.line_num}: {error}."
    return result


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if abs(value) >= 100000:
        return value  # refused by the range check; too large to round
    return value.quantize(Decimal("0.1"))
