"""Spotting pupils who may be making less than expected progress.

Section 4 of the school's SEND policy, following paragraph 6.17 of the SEND
Code of Practice (0 to 25 years, 2015), asks teachers to make regular
assessments of progress and to look for pupils making *less than expected
progress*. The Code describes such progress as progress which:

1. is significantly slower than that of their peers starting from the same
   baseline (:attr:`Sign.SLOWER_THAN_PEERS`);
2. fails to match or better the child's previous rate of progress
   (:attr:`Sign.BELOW_OWN_RATE`);
3. fails to close the attainment gap between the child and their peers
   (:attr:`Sign.GAP_NOT_CLOSING`);
4. widens the attainment gap (:attr:`Sign.GAP_WIDENING`).

:func:`identify` checks one year group in one subject for these four signs
and returns a :class:`Flag` for each pupil with enough independent evidence
(by default two of: slower than peers, below own rate, a gap with peers that
is not closing or is widening), with a plain sentence of evidence per sign.
How far apart scores must be before a sign fires, and how much evidence a
flag needs, are school decisions, held in :class:`Thresholds`.

Why one sign is not enough by default: every sign compares scores that each
carry a test's measurement error, so each fires through noise alone for a
fifth to a third of pupils. On realistic synthetic data
(bench/identification_bench.py), flagging on any one sign with a
previous-rate margin of 3 flagged about 45% of pupils per subject and about
80% in at least one of three subjects. Needing two pieces of evidence, with
a previous-rate margin of 6, flags about 19% per subject (about 47% in at
least one of three independently simulated subjects), a list a SENCO can
act on.

A flag is a prompt for a conversation between the class teacher and the
SENCO, nothing more. It never puts a pupil on the SEND register by itself:
slow progress has many causes (absence, a bad test day, something at home,
English as an additional language) and the Code is clear that slow progress
does not on its own mean a child has SEN.

Conventions used throughout
---------------------------
* Scores are numbers on whatever scale the school uses (by default a
  standardised score where 100 is age-expected). Every sign compares a pupil
  with themself or with other pupils, so any scale works, but all scores in
  one cohort must be on the same scale.
* Assessment points are ordered in time, oldest first. Only the last three
  matter: "earlier" is ``scores[-2]``, "latest" is ``scores[-1]``, and
  "previous" is ``scores[-3]``.
* ``gain = latest - earlier`` and ``previous_gain = earlier - previous``.
  Missing scores are not skipped over or filled in.
* A pupil without both an earlier and a latest score cannot be judged and is
  never flagged. This includes a pupil new to the school, whose scores begin
  with ``None``.
* The pupil being judged is never one of their own peers: every median
  leaves them out.
* Exactly at a threshold, a sign does not fire (strict comparisons). The pupil
  gets the benefit of the doubt. A tiny tolerance absorbs floating-point noise
  so that, for example, 98.7 - 95.7 counts as exactly 3.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["MAX_EVIDENCE", "Flag", "Sign", "Thresholds", "evidence_count", "identify"]

# Differences closer than this are treated as equal, so that decimal scores
# that are exactly at a threshold on paper do not fire through rounding error.
_TOLERANCE = 1e-9

# The most pieces of evidence a pupil can show: slower than peers, below own
# rate, and the gap (signs 3 and 4 together count as one; see Thresholds).
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Thresholds:
    """The school's settings for :func:`identify`.

    Attributes:
        baseline_band_width: Peers "starting from the same baseline" are
            pupils whose earlier score fell in the same band, where
            ``band = floor(score / baseline_band_width)``. The default of 5
            groups standardised scores as 95 to 99.99, 100 to 104.99 and so
            on: narrow enough that the pupils really did start in the same
            place, wide enough that a class-sized year group has several
            pupils per band.
        slower_than_peers_margin: Sign (1) fires when the pupil's gain is
            more than this many points below the median gain of their
            same-baseline peers. The default of 3 points is about the
            measurement error of a typical standardised test, so a smaller
            shortfall is more likely noise than "significantly slower".
        min_peers: The fewest other pupils needed before a median is trusted.
            With fewer same-baseline peers (with both scores), sign (1) is not
            evaluated. With fewer other pupils in the year group (with both
            scores), signs (3) and (4) are not evaluated. The default of 3 is
            the smallest group whose median is not just one or two children.
        previous_rate_margin: Sign (2) fires when
            ``gain < previous_gain - previous_rate_margin``. The default is 6
            points, twice ``slower_than_peers_margin``, because
            ``gain - previous_gain = latest - 2 * earlier + previous`` carries
            the measurement error of three tests (the earlier one twice):
            about 2.4 times one test's error, so about 7 points for a 3-point
            test error. With a margin of 0 about half of all pupils would
            "fail to match" their previous rate through noise alone; on
            bench/identification_bench.py, 3 fires for 27% of pupils and 6
            for 16%. Set it to 0 to follow the Code's wording ("match or
            better") literally.
        gap_margin: The gap is the year-group median minus the pupil's score.
            For a pupil below their peers, sign (3) fires when the gap closed
            by less than this; sign (4) fires when the gap grew by more than
            this. The default of 1 point means a gap must visibly close to
            count as closing, and must visibly grow to count as widening.
        min_signs: The fewest pieces of evidence a pupil needs to be flagged,
            from 1 to 3. The pieces are (a) slower than peers, (b) below own
            rate, and (c) the gap with peers, which is either sign (3), sign
            (4) or both. The two gap signs count as *one* piece because they
            are judged on the same two numbers (the gap before and after): a
            gap that widens for a pupil already below peers has, by
            definition, also failed to close, so the second sign adds a
            sentence, not new evidence. Counting them twice would flag a
            pupil on one noisy comparison with the year-group median.
            Exactly ``min_signs`` pieces is enough (a flag, unlike a sign,
            is not a margin to be given the benefit of the doubt over).
            The default of 2 was chosen by measurement: on
            bench/identification_bench.py with the other defaults, 1 flags
            about 39% of pupils per subject, 2 about 19% and 3 about 7%.
            With 3, a pupil without a
            score at the third-to-last point (or with too few peers) can
            never be flagged, since at most two pieces can be judged. Set
            it to 1 to flag on any single sign, as before. A flag, when
            made, lists every sign that fired, including the gap pair.
    """

    baseline_band_width: float = 5.0
    slower_than_peers_margin: float = 3.0
    min_peers: int = 3
    previous_rate_margin: float = 6.0
    gap_margin: float = 1.0
    min_signs: int = 2

    def __post_init__(self) -> None:
        if not self.baseline_band_width > 0:
            raise ValueError("baseline_band_width must be greater than 0.")
        if self.min_peers < 1:
            raise ValueError("min_peers must be at least 1.")
        if not 1 <= self.min_signs <= MAX_EVIDENCE:
            raise ValueError(f"min_signs must be from 1 to {MAX_EVIDENCE}.")
        for name in ("slower_than_peers_margin", "previous_rate_margin", "gap_margin"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be 0 or more.")


class Sign(enum.StrEnum):
    """One of the four signs of less than expected progress (CoP 6.17)."""

    SLOWER_THAN_PEERS = "slower_than_peers"
    BELOW_OWN_RATE = "below_own_rate"
    GAP_NOT_CLOSING = "gap_not_closing"
    GAP_WIDENING = "gap_widening"

    @property
    def label(self) -> str:
        """A short description in plain words, for screens and reports."""
        return _LABELS[self]


_LABELS: dict[Sign, str] = {
    Sign.SLOWER_THAN_PEERS: "Slower progress than peers who started at the same level",
    Sign.BELOW_OWN_RATE: "Progress not keeping up with the pupil's own previous rate",
    Sign.GAP_NOT_CLOSING: "Gap with peers is not closing",
    Sign.GAP_WIDENING: "Gap with peers is getting wider",
}


def evidence_count(signs: Sequence[Sign]) -> int:
    """How many independent pieces of evidence ``signs`` give (0 to 3).

    Each distinct sign is one piece, except that :attr:`Sign.GAP_NOT_CLOSING`
    and :attr:`Sign.GAP_WIDENING` together are one: both are judged on the
    same gap before and after (see :attr:`Thresholds.min_signs`).
    """
    distinct = set(signs)
    gap = distinct & {Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING}
    return len(distinct) - len(gap) + (1 if gap else 0)


@dataclass(frozen=True)
class Flag:
    """A pupil with enough evidence to flag, with a sentence for each sign.

    ``signs`` are in the order the Code lists them and ``evidence`` holds one
    sentence per sign, in the same order. The numeric fields are the figures
    the signs were judged on; a field is ``None`` when it could not be worked
    out (for example ``previous_gain`` with only two scores).
    """

    pupil: Hashable
    signs: tuple[Sign, ...]
    evidence: tuple[str, ...]
    gain: float | None = None
    previous_gain: float | None = None
    peer_median_gain: float | None = None
    peer_count: int | None = None
    gap_before: float | None = None
    gap_after: float | None = None


def identify(
    cohort: Mapping[Hashable, Sequence[float | None]],
    *,
    thresholds: Thresholds = Thresholds(),
    point_names: Sequence[str] | None = None,
) -> list[Flag]:
    """Flag pupils in one year group and subject showing signs of slow progress.

    Args:
        cohort: Pupil key (anything hashable) to that pupil's scores at each
            assessment point, oldest first. ``None`` (or NaN) is a missing
            score. Every sequence must be the same length.
        thresholds: The school's settings; see :class:`Thresholds`.
        point_names: Optional names of the assessment points (e.g.
            ``["Autumn", "Spring", "Summer"]``), used only in the evidence
            sentences. Must be the same length as the score sequences.

    Returns:
        One :class:`Flag` per pupil whose signs give at least
        ``thresholds.min_signs`` pieces of evidence (see
        :func:`evidence_count`: the two gap signs count as one), most signs
        first, then by ``str(pupil)``. Each flag lists every sign that fired.

    Raises:
        ValueError: if the score sequences, or ``point_names``, differ in
            length.

    The four signs:

    1. *Slower than peers*: the pupil's gain is more than
       ``slower_than_peers_margin`` below the median gain of the other pupils
       whose earlier score was in the same band. Needs ``min_peers`` of them.
    2. *Below own rate*: the gain is more than ``previous_rate_margin`` below
       ``previous_gain``. Needs a score at the third-to-last point.
    3. *Gap not closing*: the pupil was below the year-group median at the
       earlier point (gap above 0) and the gap closed by less than
       ``gap_margin`` (or did not close at all).
    4. *Gap widening*: the pupil is below the median at the latest point and
       the gap grew by more than ``gap_margin``. If they were already below
       the median at the earlier point, sign (3) fires too, since a widening
       gap has also failed to close. A pupil who was level with or above the
       median and has now fallen below it gets sign (4) alone: there was no
       gap to close, but one has opened.

    The year-group median at both points is taken over the other pupils with
    both an earlier and a latest score, so the gap does not move just because
    a pupil joined or missed a test. Signs (3) and (4) need ``min_peers`` of
    them.
    """
    length = _common_length(cohort)
    names = _point_names(point_names, length)
    if length < 2:
        return []

    # Only pupils with both an earlier and a latest score can be judged, and
    # only they make up the comparison groups.
    judged: dict[Hashable, tuple[float | None, float, float]] = {}
    for pupil, scores in cohort.items():
        earlier, latest = _score(scores[-2]), _score(scores[-1])
        if earlier is None or latest is None:
            continue
        previous = _score(scores[-3]) if length >= 3 else None
        judged[pupil] = (previous, earlier, latest)

    earlier_sorted = sorted(earlier for _, earlier, _ in judged.values())
    latest_sorted = sorted(latest for _, _, latest in judged.values())
    band_gains = _gains_by_band(judged, thresholds.baseline_band_width)
    enough_for_gap = len(judged) - 1 >= thresholds.min_peers

    flags: list[Flag] = []
    for pupil, (previous, earlier, latest) in judged.items():
        gain = latest - earlier
        previous_gain = None if previous is None else earlier - previous

        peers = band_gains[_band(earlier, thresholds.baseline_band_width)]
        peer_count = len(peers) - 1
        peer_median_gain = _median_without(peers, gain) if peer_count >= thresholds.min_peers else None

        gap_before: float | None = None
        gap_after: float | None = None
        if enough_for_gap:
            gap_before = _median_without(earlier_sorted, earlier) - earlier
            gap_after = _median_without(latest_sorted, latest) - latest

        # The signs alone first (cheap comparisons); the sentences only for the pupils flagged (about 1 in 5).
        signs = _signs(
            gain=gain,
            previous_gain=previous_gain,
            peer_median_gain=peer_median_gain,
            gap_before=gap_before,
            gap_after=gap_after,
            thresholds=thresholds,
        )
        if signs and evidence_count(signs) >= thresholds.min_signs:
            _signs_again, evidence = _signs_and_evidence(
                gain=gain,
                previous_gain=previous_gain,
                peer_median_gain=peer_median_gain,
                peer_count=peer_count,
                gap_before=gap_before,
                gap_after=gap_after,
                thresholds=thresholds,
                names=names,
            )
            flags.append(
                Flag(
                    pupil=pupil,
                    signs=signs,
                    evidence=evidence,
                    gain=gain,
                    previous_gain=previous_gain,
                    peer_median_gain=peer_median_gain,
                    peer_count=peer_count,
                    gap_before=gap_before,
                    gap_after=gap_after,
                )
            )

    flags.sort(key=lambda flag: (-len(flag.signs), str(flag.pupil)))
    return flags


# --- The four tests --------------------------------------------------------


def is_slower_than_peers(gain: float, peer_median_gain: float, margin: float) -> bool:
    """Sign (1): gain more than ``margin`` below the same-baseline median."""
    return _more_than(peer_median_gain - gain, margin)


def is_below_own_rate(gain: float, previous_gain: float, margin: float) -> bool:
    """Sign (2): gain more than ``margin`` below the previous gain."""
    return _more_than(previous_gain - gain, margin)


def is_gap_not_closing(gap_before: float, gap_after: float, margin: float) -> bool:
    """Sign (3): below peers before, and the gap closed by less than ``margin``."""
    return _more_than(gap_before, 0.0) and _more_than(margin, gap_before - gap_after)


def is_gap_widening(gap_before: float, gap_after: float, margin: float) -> bool:
    """Sign (4): below peers now, and the gap grew by more than ``margin``."""
    return _more_than(gap_after, 0.0) and _more_than(gap_after - gap_before, margin)


def _signs(
    *,
    gain: float,
    previous_gain: float | None,
    peer_median_gain: float | None,
    gap_before: float | None,
    gap_after: float | None,
    thresholds: Thresholds,
) -> tuple[Sign, ...]:
    """The signs that fire, in the Code's order, without the sentences (_signs_and_evidence writes those)."""
    signs: list[Sign] = []
    if peer_median_gain is not None and is_slower_than_peers(
        gain, peer_median_gain, thresholds.slower_than_peers_margin
    ):
        signs.append(Sign.SLOWER_THAN_PEERS)
    if previous_gain is not None and is_below_own_rate(gain, previous_gain, thresholds.previous_rate_margin):
        signs.append(Sign.BELOW_OWN_RATE)
    if gap_before is not None and gap_after is not None:
        if is_gap_not_closing(gap_before, gap_after, thresholds.gap_margin):
            signs.append(Sign.GAP_NOT_CLOSING)
        if is_gap_widening(gap_before, gap_after, thresholds.gap_margin):
            signs.append(Sign.GAP_WIDENING)
    return tuple(signs)


def _signs_and_evidence(
    *,
    gain: float,
    previous_gain: float | None,
    peer_median_gain: float | None,
    peer_count: int,
    gap_before: float | None,
    gap_after: float | None,
    thresholds: Thresholds,
    names: tuple[str, str, str],
) -> tuple[tuple[Sign, ...], tuple[str, ...]]:
    """Run the four tests and write one evidence sentence per sign fired."""
    previous_name, earlier_name, latest_name = names
    span = f"from {earlier_name} to {latest_name}"
    signs: list[Sign] = []
    evidence: list[str] = []

    if peer_median_gain is not None and is_slower_than_peers(
        gain, peer_median_gain, thresholds.slower_than_peers_margin
    ):
        signs.append(Sign.SLOWER_THAN_PEERS)
        evidence.append(
            f"{_change(gain)} {span}; same-baseline peers "
            f"{_peer_change(peer_median_gain)} ({_count(peer_count, 'peer')})."
        )

    if previous_gain is not None and is_below_own_rate(gain, previous_gain, thresholds.previous_rate_margin):
        signs.append(Sign.BELOW_OWN_RATE)
        evidence.append(
            f"{_change(gain)} {span}, having {_change(previous_gain, perfect=True)} "
            f"from {previous_name} to {earlier_name}."
        )

    if gap_before is not None and gap_after is not None:
        position = (
            f"Was {_position(gap_before)} the year-group median at {earlier_name} "
            f"and {_position(gap_after)} it at {latest_name}"
        )
        if is_gap_not_closing(gap_before, gap_after, thresholds.gap_margin):
            signs.append(Sign.GAP_NOT_CLOSING)
            evidence.append(f"{position}; {_gap_closing(gap_before, gap_after)}.")
        if is_gap_widening(gap_before, gap_after, thresholds.gap_margin):
            signs.append(Sign.GAP_WIDENING)
            evidence.append(f"{position}; the gap widened by {_count(gap_after - gap_before, 'point')}.")

    return tuple(signs), tuple(evidence)


# --- Small helpers ---------------------------------------------------------


def _common_length(cohort: Mapping[Hashable, Sequence[float | None]]) -> int:
    """The shared length of every pupil's scores (0 for an empty cohort)."""
    lengths = {len(scores) for scores in cohort.values()}
    if len(lengths) > 1:
        raise ValueError(
            "Every pupil must have a score (or None) at every assessment point; "
            f"found sequences of lengths {sorted(lengths)}."
        )
    return lengths.pop() if lengths else 0


def _point_names(point_names: Sequence[str] | None, length: int) -> tuple[str, str, str]:
    """Names for the previous, earlier and latest points, for evidence text."""
    defaults = ("the assessment before that", "the earlier assessment", "the latest assessment")
    if point_names is None:
        return defaults
    if len(point_names) != length:
        raise ValueError(f"point_names has {len(point_names)} names but there are {length} assessment points.")
    given = tuple(point_names[-3:])
    previous, earlier, latest = defaults[: 3 - len(given)] + given
    return (previous, earlier, latest)


def _score(value: float | None) -> float | None:
    """A usable score, or None if missing (None or NaN)."""
    if value is None or math.isnan(value):
        return None
    return float(value)


def _band(score: float, width: float) -> int:
    """The baseline band a score falls in."""
    return math.floor(score / width)


def _gains_by_band(
    judged: Mapping[Hashable, tuple[float | None, float, float]], width: float
) -> dict[int, list[float]]:
    """Sorted gains of every judged pupil, grouped by their earlier score's band."""
    bands: dict[int, list[float]] = defaultdict(list)
    for _, earlier, latest in judged.values():
        bands[_band(earlier, width)].append(latest - earlier)
    for gains in bands.values():
        gains.sort()
    return bands


def _median_without(sorted_values: Sequence[float], value: float) -> float:
    """Median of ``sorted_values`` with one copy of ``value`` left out.

    ``value`` must be in ``sorted_values``, which must hold at least two
    items. Runs in O(log n), so a whole year group costs O(n log n).
    """
    skip = bisect_left(sorted_values, value)
    count = len(sorted_values) - 1

    def at(index: int) -> float:
        return sorted_values[index if index < skip else index + 1]

    middle = count // 2
    if count % 2:
        return at(middle)
    return (at(middle - 1) + at(middle)) / 2


def _more_than(value: float, threshold: float) -> bool:
    """``value > threshold``, with equality judged to within a tiny tolerance."""
    return value - threshold > _TOLERANCE


def _number(value: float) -> str:
    """A number for a sentence: whole numbers plain, others to 2 decimal places."""
    rounded = round(value, 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def _count(value: float, noun: str) -> str:
    """``'1 point'``, ``'2.5 points'``, ``'12 peers'``."""
    text = _number(value)
    return f"{text} {noun}" if text in ("1", "-1") else f"{text} {noun}s"


def _change(gain: float, *, perfect: bool = False) -> str:
    """``'Gained 3 points'``, ``'Fell 2 points'`` or ``'Made no gain'``.

    With ``perfect``, the form that follows "having": ``'gained 3 points'``,
    ``'fallen 2 points'`` or ``'made no gain'``.
    """
    if _number(gain) == "0":
        return "made no gain" if perfect else "Made no gain"
    if gain > 0:
        return f"{'gained' if perfect else 'Gained'} {_count(gain, 'point')}"
    return f"{'fallen' if perfect else 'Fell'} {_count(-gain, 'point')}"


def _peer_change(median_gain: float) -> str:
    """``'gained a median of 6'``, or ``'fell by a median of 2'``."""
    if median_gain < 0 and _number(median_gain) != "0":
        return f"fell by a median of {_number(-median_gain)}"
    return f"gained a median of {_number(median_gain)}"


def _position(gap: float) -> str:
    """Where a pupil stands against the median: ``'Was 4 points below'`` style."""
    if _number(gap) == "0":
        return "level with"
    side = "below" if gap > 0 else "above"
    return f"{_count(abs(gap), 'point')} {side}"


def _gap_closing(gap_before: float, gap_after: float) -> str:
    """How the gap moved, for the gap-not-closing sentence."""
    closed = gap_before - gap_after
    if _number(closed) == "0":
        return "the gap did not close"
    if closed > 0:
        return f"the gap closed by only {_count(closed, 'point')}"
    return f"the gap grew by {_count(-closed, 'point')} instead of closing"
