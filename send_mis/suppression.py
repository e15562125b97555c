"""Small-number suppression for anonymised reports: counts in, what may be shown out (pure: no Django, no clock).

The rule (the practice of UK official statistics, applied to a school's governors' report):

- Primary suppression: a count from 1 to 4 could identify a child, so it is shown as "fewer than 5"; zero is
  shown as zero. A percentage built on a suppressed count (or on a suppressed denominator) is suppressed too.
- Secondary suppression: a table's totals are sums, and a total minus the cells shown would give a suppressed
  cell back. So every sum the reader can see (a row with its total, a column with its total, an area of need
  with the needs inside it) must hide either none of its terms or at least two. Where a sum hides exactly
  one, the smallest non-zero cell still shown in it is hidden too (a zero would protect nothing: the reader
  would learn the small cell exactly); where no such cell is left, the sum's total is hidden. This repeats
  until every sum is safe, because hiding a cell for one sum can leave another sum with a single hidden term.
  Cells hidden for this reason are shown as "hidden", never as "fewer than 5", which would be untrue.

Sums are given explicitly as groups (total key, member keys), so the same function protects a plain table
(`suppress_table`), a one-column list, and nested tables such as needs within their broad areas.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
HIDDEN = "hidden"


class Reason(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 to 4: primary suppression
    SECONDARY = "secondary"  # hidden so that no sum gives a small cell back


@dataclass(frozen=True)
class Shown:
    """One count as the report may show it: `value` is None when it is suppressed."""

    value: int | None
    reason: Reason

    @property
    def is_suppressed(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.reason == Reason.SMALL:
            return FEWER_THAN
        if self.reason == Reason.SECONDARY:
            return HIDDEN
        return str(self.value)

    def __str__(self) -> str:
        return self.text


Group = tuple[Hashable, Sequence[Hashable]]


def suppress_counts(
    counts: Mapping[Hashable, int], groups: Sequence[Group], *, threshold: int = THRESHOLD
) -> dict[Hashable, Shown]:
    """What may be shown of each count, given the sums the reader can see.

    `counts` maps each cell (and each total) to its count; `groups` lists every visible sum as (total key,
    member keys), where counts[total] must equal the sum of its members' counts. Returns a Shown per key.
    Primary suppression hides counts from 1 to threshold - 1; secondary suppression then hides further cells
    until no group hides exactly one of its terms (module docstring)."""
    for total, members in groups:
        if counts[total] != sum(counts[m] for m in members):
            raise ValueError(f"the members of {total!r} do not add up to its total")
    order = {key: position for position, key in enumerate(counts)}
    hidden: dict[Hashable, Reason] = {key: Reason.SMALL for key, n in counts.items() if 0 < n < threshold}
    changed = True
    while changed:
        changed = False
        for total, members in groups:
            terms = [total, *members]
            if sum(1 for key in terms if key in hidden) != 1:
                continue
            candidates = [m for m in members if m not in hidden and counts[m] > 0]
            if candidates:
                chosen = min(candidates, key=lambda m: (counts[m], order[m]))
            elif total not in hidden:
                chosen = total
            else:
                continue  # the total alone is hidden and every member is zero: nothing to give away
            hidden[chosen] = Reason.SECONDARY
            changed = True
    return {key: Shown(None, hidden[key]) if key in hidden else Shown(n, Reason.SHOWN) for key, n in counts.items()}


@dataclass(frozen=True)
class Table:
    """A table of counts as it may be shown: cells[row][column], each row's total, each column's total and
    the grand total."""

    cells: list[list[Shown]]
    row_totals: list[Shown]
    column_totals: list[Shown]
    total: Shown


def suppress_table(rows: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> Table:
    """Suppress a table of counts shown with its row totals, column totals and grand total. Every row and
    every column (the totals' row and column included) is a visible sum."""
    n_rows = len(rows)
    n_columns = len(rows[0]) if rows else 0
    counts: dict[Hashable, int] = {}
    for r, row in enumerate(rows):
        if len(row) != n_columns:
            raise ValueError("every row needs the same number of columns")
        for c, n in enumerate(row):
            counts[(r, c)] = n
    for r, row in enumerate(rows):
        counts[(r, "total")] = sum(row)
    for c in range(n_columns):
        counts[("total", c)] = sum(row[c] for row in rows)
    counts[("total", "total")] = sum(sum(row) for row in rows)
    groups: list[Group] = [((r, "total"), [(r, c) for c in range(n_columns)]) for r in range(n_rows)]
    groups += [(("total", c), [(r, c) for r in range(n_rows)]) for c in range(n_columns)]
    groups.append((("total", "total"), [(r, "total") for r in range(n_rows)]))
    groups.append((("total", "total"), [("total", c) for c in range(n_columns)]))
    shown = suppress_counts(counts, groups, threshold=threshold)
    return Table(
        cells=[[shown[(r, c)] for c in range(n_columns)] for r in range(n_rows)],
        row_totals=[shown[(r, "total")] for r in range(n_rows)],
        column_totals=[shown[("total", c)] for c in range(n_columns)],
        total=shown[("total", "total")],
    )


def suppress_list(values: Sequence[int], *, threshold: int = THRESHOLD) -> tuple[list[Shown], Shown]:
    """Suppress a single column of counts shown with its total: (the cells, the total)."""
    counts: dict[Hashable, int] = dict(enumerate(values))
    counts["total"] = sum(values)
    shown = suppress_counts(counts, [("total", list(range(len(values))))], threshold=threshold)
    return [shown[i] for i in range(len(values))], shown["total"]


def suppress_alone(count: int, *, threshold: int = THRESHOLD) -> Shown:
    """A count shown on its own, in no visible sum (a headline figure): primary suppression only."""
    return Shown(None, Reason.SMALL) if 0 < count < threshold else Shown(count, Reason.SHOWN)


def percent(numerator: Shown, denominator: Shown | int, *, places: int = 1) -> str:
    """A percentage as it may be shown: suppressed when the count it is built on is, or its denominator;
    a dash where there is nothing to divide by."""
    if numerator.value is None:
        return numerator.text
    if isinstance(denominator, Shown):
        if denominator.is_suppressed:
            return HIDDEN
        denominator = denominator.value or 0
    if not denominator:
        return "–"
    return f"{100 * numerator.value / denominator:.{places}f}%"


def revealed(shown: Mapping[Hashable, Shown], groups: Sequence[Group]) -> dict[Hashable, int]:
    """What a reader can work out from what is shown: any sum with exactly one unknown term gives it away, and
    each value found may unlock another sum. Returns the suppressed keys a reader can recover, with their
    values (empty when the suppression holds). Used by tests and as a check before a table is published."""
    known: dict[Hashable, int] = {key: s.value for key, s in shown.items() if s.value is not None}
    found: dict[Hashable, int] = {}
    changed = True
    while changed:
        changed = False
        for total, members in groups:
            unknown = [key for key in (total, *members) if key not in known]
            if len(unknown) != 1:
                continue
            key = unknown[0]
            if key == total:
                value = sum(known[m] for m in members)
            else:
                value = known[total] - sum(known[m] for m in members if m != key)
            known[key] = found[key] = value
            changed = True
    return found
