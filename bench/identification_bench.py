"""Benchmark for pupils.identification.identify.

A standalone script, not a test. It builds deterministic random cohorts and
times ``identify`` over every (year group, subject) pair:

* a typical two-form-entry primary: 420 pupils, 7 year groups of 60;
* a large trust-sized load: 20,000 pupils across 7 year groups;

each with 3 subjects and 6 assessment points (two years of autumn, spring,
summer). Some scores are missing, some pupils joined late (leading gaps).

Run from the repository root:  .venv/bin/python bench/identification_bench.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Hashable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pupils.identification import Sign, Thresholds, identify

YEAR_GROUPS = 7
SUBJECTS = ("reading", "writing", "maths")
POINTS = ("Y1 autumn", "Y1 spring", "Y1 summer", "Y2 autumn", "Y2 spring", "Y2 summer")
REPEATS = 5
SEED = 20240917

Cohort = dict[Hashable, Sequence[float | None]]


def pupil_scores(rng: random.Random, points: int) -> list[float | None]:
    """One pupil's standardised scores: a drifting level plus test noise."""
    level = rng.gauss(100, 12)
    drift = rng.gauss(0, 1.5)
    joined = rng.choices(range(points), weights=[90] + [2] * (points - 1))[0]
    scores: list[float | None] = []
    for point in range(points):
        if point < joined or rng.random() < 0.03:  # not here yet, or absent
            scores.append(None)
            continue
        score = level + drift * point + rng.gauss(0, 3)
        scores.append(round(min(max(score, 69.0), 141.0)))  # usual reported range
    return scores


def build_school(pupils: int, seed: int) -> list[Cohort]:
    """One cohort per (year group, subject), pupils spread evenly over year groups."""
    rng = random.Random(seed)
    cohorts: list[Cohort] = []
    for year in range(YEAR_GROUPS):
        size = pupils // YEAR_GROUPS + (1 if year < pupils % YEAR_GROUPS else 0)
        keys = [f"Y{year + 1}-{n:05d}" for n in range(size)]
        for _subject in SUBJECTS:
            cohorts.append({key: pupil_scores(rng, len(POINTS)) for key in keys})
    return cohorts


def run(label: str, pupils: int, thresholds: Thresholds | None = None) -> None:
    thresholds = thresholds or Thresholds()
    cohorts = build_school(pupils, SEED)
    timings: list[float] = []
    flag_count = 0
    sign_counts: dict[Sign, int] = dict.fromkeys(Sign, 0)
    for _ in range(REPEATS):
        start = time.perf_counter()
        results = [identify(cohort, thresholds=thresholds, point_names=POINTS) for cohort in cohorts]
        timings.append(time.perf_counter() - start)
        flag_count = sum(len(flags) for flags in results)
        sign_counts = dict.fromkeys(Sign, 0)
        for flags in results:
            for flag in flags:
                for sign in flag.signs:
                    sign_counts[sign] += 1
    pupil_subjects = sum(len(cohort) for cohort in cohorts)
    # Cohorts are (year group, subject) in order, and a year group's pupils have the same keys in every subject.
    per_subject = {
        subject: sum(len(flags) for n, flags in enumerate(results) if n % len(SUBJECTS) == s)
        / sum(len(cohort) for n, cohort in enumerate(cohorts) if n % len(SUBJECTS) == s)
        for s, subject in enumerate(SUBJECTS)
    }
    any_subject = len({flag.pupil for flags in results for flag in flags}) / pupils
    print(f"{label}")
    print(
        f"  thresholds:        min_signs={thresholds.min_signs}, "
        f"previous_rate_margin={thresholds.previous_rate_margin:g}"
    )
    print(f"  pupils:            {pupils:,}")
    print(f"  cohorts:           {len(cohorts)} ({YEAR_GROUPS} year groups x {len(SUBJECTS)} subjects)")
    print(f"  pupil-subjects:    {pupil_subjects:,}, {len(POINTS)} points each")
    print(f"  flags:             {flag_count:,} ({flag_count / pupil_subjects:.0%} of pupil-subjects)")
    for sign, count in sign_counts.items():
        print(f"    {sign.value:<18} {count:,}")
    print("  flagged per subject: " + ", ".join(f"{name} {rate:.1%}" for name, rate in per_subject.items()))
    print(f"  flagged in any subject: {any_subject:.1%} of pupils")
    print(f"  repeats:           {REPEATS}")
    print(f"  best seconds:      {min(timings):.4f}")
    print(f"  median seconds:    {statistics.median(timings):.4f}")
    print()


def main() -> None:
    print(f"Python {sys.version.split()[0]}, seed {SEED}\n")
    run("Primary school (420 pupils)", 420)
    run("Large load (20,000 pupils)", 20_000)
    # For comparison: a flag on any single sign, as before min_signs (and with the earlier margin of 3).
    any_sign = Thresholds(min_signs=1, previous_rate_margin=3.0)
    run("Primary school (420 pupils), any one sign", 420, any_sign)
    run("Large load (20,000 pupils), any one sign", 20_000, any_sign)


if __name__ == "__main__":
    main()
