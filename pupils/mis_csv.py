"""Pupils from the school's MIS as CSV: the columns, and every row checked. Pure: no database and no clock;
the school's classes, the census need codes and `today` are passed in.

Columns (a header row, any order, case and spaces ignored; the first seven are required):

| column              | what                                                       | example           |
|---------------------|------------------------------------------------------------|-------------------|
| UPN                 | unique pupil number, check letter verified                 | B801200005001     |
| Legal forename      |                                                            | Amara             |
| Legal surname       |                                                            | Thistlewood       |
| Date of birth       | 2017-11-03, 03/11/2017 or 3 November 2017                  | 03/11/2017        |
| Sex                 | M or F (census)                                            | F                 |
| Year group          | N1, N2, R, 1 to 13 (or "Year 3")                           | 3                 |
| Admission date      | as date of birth                                           | 02/09/2021        |
| Preferred forename  | optional                                                   | Amy               |
| Preferred surname   | optional                                                   |                   |
| Class               | optional; a class set up in School settings                | 3 Oak             |
| EAL                 | Y or N (blank is N)                                        | N                 |
| First language      | optional                                                   | Polish            |
| Pupil premium       | Y or N                                                     | Y                 |
| LAC                 | looked after: Y or N                                       | N                 |
| SEN status          | census SEN provision: E (EHC plan), K (SEN support), N or blank | K             |
| SEN need 1          | census type of need ranked 1; required with E or K         | SLCN              |
| SEN need 2          | optional, ranked 2                                         | SEMH              |
| SEN start date      | optional; the admission date if blank                      | 01/10/2024        |
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from .term_csv import parse_date
from .upn import normalise_upn

COLUMNS = {
    "upn": "upn",
    "legal forename": "legal_forename",
    "legal surname": "legal_surname",
    "preferred forename": "preferred_forename",
    "preferred surname": "preferred_surname",
    "date of birth": "date_of_birth",
    "dob": "date_of_birth",
    "sex": "gender",
    "gender": "gender",
    "year group": "year_group",
    "class": "class_name",
    "admission date": "admitted_on",
    "eal": "is_eal",
    "first language": "first_language",
    "pupil premium": "is_pupil_premium",
    "lac": "is_looked_after",
    "sen status": "sen_status",
    "sen need 1": "need_1",
    "sen need 2": "need_2",
    "sen start date": "sen_started_on",
}
REQUIRED = ("upn", "legal_forename", "legal_surname", "date_of_birth", "gender", "year_group", "admitted_on")
YES, NO = {"y", "yes", "true", "1"}, {"", "n", "no", "false", "0"}
NAME_MAX = 100
HISTORIC_SEN = {"S", "A", "P"}  # school action, school action plus, statement: replaced by K and E in 2014


@dataclass
class PupilRow:
    line: int
    upn: str
    legal_forename: str
    legal_surname: str
    preferred_forename: str
    preferred_surname: str
    date_of_birth: date
    gender: str
    year_group: int
    class_name: str
    admitted_on: date
    is_eal: bool
    first_language: str | None
    is_pupil_premium: bool
    is_looked_after: bool
    sen_status: str  # "", "E" or "K"
    need_1: str
    need_2: str
    sen_started_on: date | None


@dataclass
class RowProblem:
    line: int
    upn: str
    reasons: list[str] = field(default_factory=list)


def header_keys(header: Iterable[str]) -> tuple[list[str | None], list[str]]:
    """Each column's field (None for a column we do not use) and a message for each required one missing."""
    keys = [COLUMNS.get(" ".join(name.replace("_", " ").lower().split())) for name in header]
    missing = [name for name in REQUIRED if name not in keys]
    labels = {v: k for k, v in reversed(COLUMNS.items())}
    return keys, [f"The file has no '{labels[name]}' column." for name in missing]


def read(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The data rows of a CSV (line number, values by field) and any problem with its header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        return [], ["The file is empty."]
    keys, problems = header_keys(header)
    if problems:
        return [], problems
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((number, {key: cell.strip() for key, cell in zip(keys, cells, strict=False) if key}))
    return rows, []


def parse_year_group(value: str) -> int | None:
    """N1, N2, R or 0 to 13, with or without 'Year'."""
    text = value.strip().upper().removeprefix("YEAR").removeprefix("Y").strip()
    named = {"N1": -2, "N2": -1, "R": 0, "RECEPTION": 0}
    if text in named:
        return named[text]
    return int(text) if text.isdigit() and 0 <= int(text) <= 13 else None


def check_rows(
    rows: list[tuple[int, dict[str, str]]],
    *,
    classes: Mapping[str, int],
    needs: Mapping[str, bool],
    today: date,
) -> tuple[list[PupilRow], list[RowProblem]]:
    """Every row checked against the census and the school: the good rows, and each bad row with every reason
    (a bad UPN, an unknown class, an impossible date, a UPN twice in the file, an SEN code the census does not
    allow). `classes` maps a class name (lower case) to its year group; `needs` maps each census need code to
    whether it is valid only with SEN support (NSA)."""
    good: list[PupilRow] = []
    problems: list[RowProblem] = []
    first_line_of: dict[str, int] = {}
    for line, values in rows:
        reasons: list[str] = []
        upn = values.get("upn", "")
        try:
            upn = normalise_upn(upn)
        except ValidationError as error:
            reasons.append(f"UPN '{upn}': {error.messages[0]}")
        else:
            if upn in first_line_of:
                reasons.append(f"UPN {upn} is also on line {first_line_of[upn]}.")
            else:
                first_line_of[upn] = line
        for name in ("legal_forename", "legal_surname", "preferred_forename", "preferred_surname"):
            if not values.get(name) and name.startswith("legal"):
                reasons.append(f"No {name.replace('_', ' ')}.")
            elif len(values.get(name, "")) > NAME_MAX:
                reasons.append(f"The {name.replace('_', ' ')} is longer than {NAME_MAX} characters.")
        born = _date(values, "date_of_birth", "date of birth", reasons, required=True)
        admitted = _date(values, "admitted_on", "admission date", reasons, required=True)
        sen_started = _date(values, "sen_started_on", "SEN start date", reasons, required=False)
        if born and born > today:
            reasons.append(f"The date of birth {born:%-d %B %Y} is in the future.")
        if born and admitted and admitted < born:
            reasons.append("The admission date is before the date of birth.")
        if born and sen_started and sen_started < born:
            reasons.append("The SEN start date is before the date of birth.")
        gender = values.get("gender", "").upper()[:1]
        if gender not in ("M", "F"):
            reasons.append(f"Sex '{values.get('gender', '')}' is not M or F.")
        year_group = parse_year_group(values.get("year_group", ""))
        if year_group is None:
            reasons.append(f"Year group '{values.get('year_group', '')}' is not N1, N2, R or 1 to 13.")
        class_name = values.get("class_name", "")
        if class_name and class_name.lower() not in classes:
            reasons.append(f"Class '{class_name}' is not one of the school's classes (add it in School settings).")
        flags = {}
        for name, label in (("is_eal", "EAL"), ("is_pupil_premium", "Pupil premium"), ("is_looked_after", "LAC")):
            raw = values.get(name, "").lower()
            if raw not in YES | NO:
                reasons.append(f"{label} '{values.get(name)}' is not Y or N.")
            flags[name] = raw in YES
        sen_status, need_1, need_2 = _sen(values, needs, reasons)
        if reasons:
            problems.append(RowProblem(line, values.get("upn", ""), reasons))
            continue
        good.append(
            PupilRow(
                line=line,
                upn=upn,
                legal_forename=values["legal_forename"],
                legal_surname=values["legal_surname"],
                preferred_forename=values.get("preferred_forename", ""),
                preferred_surname=values.get("preferred_surname", ""),
                date_of_birth=born,
                gender=gender,
                year_group=year_group,
                class_name=class_name,
                admitted_on=admitted,
                first_language=values.get("first_language") or None,
                sen_status=sen_status,
                need_1=need_1,
                need_2=need_2,
                sen_started_on=sen_started if sen_status else None,
                **flags,
            )
        )
    return good, problems


def _date(values: dict, key: str, label: str, reasons: list[str], *, required: bool) -> date | None:
    raw = values.get(key, "")
    if not raw:
        if required:
            reasons.append(f"No {label}.")
        return None
    parsed = parse_date(raw)
    if parsed is None:
        reasons.append(f"The {label} '{raw}' is not a real date (write it as 2017-11-03 or 03/11/2017).")
    return parsed


def _sen(values: dict, needs: Mapping[str, bool], reasons: list[str]) -> tuple[str, str, str]:
    """The census SEN provision (E, K or none) and the ranked needs (STATUTORY.md section 5)."""
    status = values.get("sen_status", "").upper()
    need_1, need_2 = values.get("need_1", "").upper(), values.get("need_2", "").upper()
    if status in ("", "N"):
        if need_1 or need_2:
            reasons.append("SEN needs are given but the SEN status is not E or K.")
        return "", "", ""
    if status in HISTORIC_SEN:
        reasons.append(f"SEN status {status} is no longer a census code: use K (SEN support) or E (EHC plan).")
        return "", "", ""
    if status not in ("E", "K"):
        reasons.append(f"SEN status '{status}' is not a census code (E, K or N).")
        return "", "", ""
    if not need_1:
        reasons.append(f"SEN status {status} needs a type of need ranked 1.")
    for code in (need_1, need_2):
        if code and code not in needs:
            reasons.append(f"'{code}' is not a census type of need.")
        elif code and needs[code] and status != "K":
            reasons.append(f"{code} is valid only with SEN support (K).")
    if need_2 and need_2 == need_1:
        reasons.append("The needs ranked 1 and 2 are the same.")
    return status, need_1, need_2
