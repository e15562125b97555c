"""identify() against a plain reference on random cohorts: the same flags, signs, sentences and figures.

The reference is the rule read straight from the docstrings: for each pupil, the medians are taken by listing
every other pupil (quadratic, no sorting tricks), and every pupil's signs and sentences are worked out before
deciding whether to flag. identify() sorts once, bisects for each median and writes sentences only for the
pupils it flags; the two must agree exactly.
"""

from __future__ import annotations

import math
import random
import statistics

import pytest

from pupils import identification
from pupils.identification import Flag, Thresholds, evidence_count, identify


def _reference(cohort, *, thresholds: Thresholds, point_names=None) -> list[Flag]:
    length = identification._common_length(cohort)
    names = identification._point_names(point_names, length)
    if length < 2:
        return []
    judged = {}
    for pupil, scores in cohort.items():
        earlier, latest = identification._score(scores[-2]), identification._score(scores[-1])
        if earlier is None or latest is None:
            continue
        previous = identification._score(scores[-3]) if length >= 3 else None
        judged[pupil] = (previous, earlier, latest)
    width = thresholds.baseline_band_width
    flags = []
    for pupil, (previous, earlier, latest) in judged.items():
        others = [values for other, values in judged.items() if other != pupil]
        gain = latest - earlier
        peers = [
            o_latest - o_earlier
            for _p, o_earlier, o_latest in others
            if math.floor(o_earlier / width) == math.floor(earlier / width)
        ]
        peer_median_gain = statistics.median(peers) if len(peers) >= thresholds.min_peers else None
        gap_before = gap_after = None
        if len(others) >= thresholds.min_peers:
            gap_before = statistics.median(o[1] for o in others) - earlier
            gap_after = statistics.median(o[2] for o in others) - latest
        signs, evidence = identification._signs_and_evidence(
            gain=gain,
            previous_gain=None if previous is None else earlier - previous,
            peer_median_gain=peer_median_gain,
            peer_count=len(peers),
            gap_before=gap_before,
            gap_after=gap_after,
            thresholds=thresholds,
            names=names,
        )
        if signs and evidence_count(signs) >= thresholds.min_signs:
            flags.append(
                Flag(
                    pupil=pupil,
                    signs=signs,
                    evidence=evidence,
                    gain=gain,
                    previous_gain=None if previous is None else earlier - previous,
                    peer_median_gain=peer_median_gain,
                    peer_count=len(peers),
                    gap_before=gap_before,
                    gap_after=gap_after,
                )
            )
    flags.sort(key=lambda flag: (-len(flag.signs), str(flag.pupil)))
    return flags


def _cohort(rng: random.Random, size: int, points: int) -> dict:
    cohort = {}
    for n in range(size):
        level, drift = rng.gauss(100, 12), rng.gauss(0, 2)
        scores = []
        for point in range(points):
            roll = rng.random()
            if roll < 0.05:
                scores.append(None)
            elif roll < 0.07:
                scores.append(float("nan"))
            elif roll < 0.5:
                scores.append(round(level + drift * point + rng.gauss(0, 3)))  # whole numbers: many ties
            else:
                scores.append(round(level + drift * point + rng.gauss(0, 3), 1))
        cohort[f"pupil-{n:03d}"] = scores
    return cohort


THRESHOLDS = [
    Thresholds(),
    Thresholds(min_signs=1),
    Thresholds(min_signs=3, min_peers=1),
    Thresholds(baseline_band_width=10, slower_than_peers_margin=0, previous_rate_margin=0, gap_margin=0),
]


@pytest.mark.parametrize("seed", range(40))
def test_identify_agrees_with_the_reference_on_random_cohorts(seed):
    rng = random.Random(seed)
    size = rng.choice([0, 1, 2, 3, 4, 7, 30, 61, 150])
    points = rng.choice([1, 2, 3, 6])
    cohort = _cohort(rng, size, points)
    thresholds = THRESHOLDS[seed % len(THRESHOLDS)]
    names = [f"Point {n}" for n in range(points)] if seed % 2 and cohort else None
    assert identify(cohort, thresholds=thresholds, point_names=names) == _reference(
        cohort, thresholds=thresholds, point_names=names
    )
