"""Tests for pupils.identification: the four signs of less than expected progress.

Every cohort here is made by hand with three assessment points (autumn,
spring, summer), so "previous" is autumn, "earlier" is spring and "latest"
is summer.

Most tests check one sign at a time, so they use SIGN_BY_SIGN: the default
band width 5, slower-than-peers margin 3, min peers 3 and gap margin 1, with
a previous-rate margin of 3 and a flag on any single sign (min_signs=1).
The tests of min_signs and of the defaults themselves are at the end.
"""

from __future__ import annotations

import dataclasses
import math
import random
import statistics
from collections.abc import Hashable, Sequence
from dataclasses import replace

import pytest

from pupils.identification import MAX_EVIDENCE, Flag, Sign, Thresholds, evidence_count, identify

POINTS = ("autumn", "spring", "summer")

# Flag on any one sign, so each sign can be tested alone. The previous-rate
# margin of 3 (the default is 6) keeps the hand-made cohorts small.
SIGN_BY_SIGN = Thresholds(previous_rate_margin=3.0, min_signs=1)

Scores = Sequence[float | None]


def alike(prefix: str, count: int, scores: Scores) -> dict[Hashable, Scores]:
    """``count`` pupils with identical scores, keyed ``prefix1``, ``prefix2``..."""
    return {f"{prefix}{n}": list(scores) for n in range(1, count + 1)}


def flag_for(flags: list[Flag], pupil: Hashable) -> Flag | None:
    matches = [flag for flag in flags if flag.pupil == pupil]
    assert len(matches) <= 1
    return matches[0] if matches else None


def signs_for(
    cohort: dict[Hashable, Scores], pupil: Hashable, thresholds: Thresholds = SIGN_BY_SIGN
) -> tuple[Sign, ...]:
    flag = flag_for(identify(cohort, thresholds=thresholds, point_names=POINTS), pupil)
    return () if flag is None else flag.signs


# --- Cohorts where exactly one sign fires ----------------------------------


def slower_than_peers_cohort(target_latest: float = 101) -> dict[Hashable, Scores]:
    """Target starts at 100 with fast peers at 100, above a large steady group.

    Same-band peers gain 6. The steady group keeps the year-group median at
    90, so the target stays well above it and no gap sign can fire.
    """
    return {
        **alike("steady", 4, [90, 90, 90]),
        **alike("fast", 3, [100, 100, 106]),
        "target": [100, 100, target_latest],
    }


def test_slower_than_peers_fires_alone() -> None:
    assert signs_for(slower_than_peers_cohort(), "target") == (Sign.SLOWER_THAN_PEERS,)


def test_below_own_rate_fires_alone() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [92, 100, 102]}
    assert signs_for(cohort, "target") == (Sign.BELOW_OWN_RATE,)


def test_gap_not_closing_fires_alone_when_a_gap_stays_the_same() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [90, 90, 92]}
    flags = identify(cohort, thresholds=SIGN_BY_SIGN)
    assert [flag.pupil for flag in flags] == ["target"]
    assert flags[0].signs == (Sign.GAP_NOT_CLOSING,)
    assert (flags[0].gap_before, flags[0].gap_after) == (10, 10)


def test_gap_widening_fires_alone_for_a_pupil_who_was_level_and_fell_behind() -> None:
    # Level with the median at spring, so there was no gap to close; the
    # autumn score makes the previous rate the same, so sign (2) stays quiet.
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [102, 100, 98]}
    assert signs_for(cohort, "target") == (Sign.GAP_WIDENING,)


def test_gap_widening_fires_gap_not_closing_too() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97, 95, 93]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.signs == (Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)
    assert (flag.gap_before, flag.gap_after) == (5, 7)


def test_all_four_signs_fire_together() -> None:
    cohort = {
        **alike("band_peer", 3, [96, 96, 102]),
        **alike("higher", 3, [100, 100, 106]),
        "target": [90, 96, 96],
    }
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS), "target")
    assert flag is not None
    assert flag.signs == (
        Sign.SLOWER_THAN_PEERS,
        Sign.BELOW_OWN_RATE,
        Sign.GAP_NOT_CLOSING,
        Sign.GAP_WIDENING,
    )
    assert len(flag.evidence) == 4
    assert (flag.gain, flag.previous_gain, flag.peer_median_gain) == (0, 6, 6)
    assert (flag.gap_before, flag.gap_after) == (2, 8)


def test_no_pupil_is_flagged_when_everyone_keeps_pace() -> None:
    cohort = alike("pupil", 8, [100, 102, 104])
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_a_pupil_below_peers_who_is_closing_the_gap_is_not_flagged() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [90, 90, 96]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


# --- Exactly at a threshold does not fire ----------------------------------


def test_slower_than_peers_exactly_at_the_margin_does_not_fire() -> None:
    # Peers gain 6, target gains 3: exactly 3 points short.
    assert signs_for(slower_than_peers_cohort(target_latest=103), "target") == ()


def test_slower_than_peers_just_past_the_margin_fires() -> None:
    cohort = slower_than_peers_cohort(target_latest=102.9)
    assert signs_for(cohort, "target") == (Sign.SLOWER_THAN_PEERS,)


def test_decimal_scores_exactly_at_the_margin_do_not_fire_through_rounding_error() -> None:
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        **alike("fast", 3, [95.6, 95.6, 101.7]),  # gain 6.1
        "target": [95.7, 95.7, 98.8],  # gain 3.1, exactly 3 short on paper
    }
    assert signs_for(cohort, "target") == ()


def test_matching_the_previous_rate_exactly_does_not_fire() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [98, 100, 102]}
    assert signs_for(cohort, "target") == ()


def test_previous_rate_margin_is_strict_too() -> None:
    lenient = Thresholds(previous_rate_margin=2.0, min_signs=1)
    cohort = {**alike("peer", 6, [94, 100, 104]), "target": [94, 100, 104]}
    # Previous gain 6, now 4: exactly 2 down.
    assert signs_for(cohort, "target", lenient) == ()
    cohort["target"] = [94, 100, 103.9]  # just over 2 down
    assert Sign.BELOW_OWN_RATE in signs_for(cohort, "target", lenient)


def test_gap_closing_by_exactly_the_margin_counts_as_closing() -> None:
    # Gap 10 at spring, 9 at summer: closed by exactly 1.
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [88, 90, 93]}
    assert signs_for(cohort, "target") == ()


def test_gap_closing_by_less_than_the_margin_does_not_count_as_closing() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [88, 90, 92.5]}
    assert signs_for(cohort, "target") == (Sign.GAP_NOT_CLOSING,)


def test_gap_growing_by_exactly_the_margin_is_not_widening_but_is_not_closing() -> None:
    # Gap 5 at spring, 6 at summer.
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [96, 95, 94]}
    assert signs_for(cohort, "target") == (Sign.GAP_NOT_CLOSING,)


def test_a_pupil_level_with_the_median_has_no_gap_to_close() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [100, 100, 100]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_a_pupil_above_peers_whose_lead_shrinks_has_no_widening_gap() -> None:
    # 10 above the median, then 5 above: the lead shrank but there is no gap.
    # Sign (2) fires (fell 5 after no change) and nothing else.
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [110, 110, 105]}
    assert signs_for(cohort, "target") == (Sign.BELOW_OWN_RATE,)


# --- Peers and medians -----------------------------------------------------


def test_fewer_than_min_peers_in_the_band_means_slower_than_peers_is_not_judged() -> None:
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        **alike("fast", 2, [100, 100, 106]),
        "target": [100, 100, 100],
    }
    assert flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target") is None
    # Flagged for another reason, the flag records that no peer median was used.
    cohort["target"] = [95, 100, 100]  # gained 5, then nothing: sign (2) beyond the margin of 3
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.signs == (Sign.BELOW_OWN_RATE,)
    assert flag.peer_median_gain is None
    assert flag.peer_count == 2


def test_exactly_min_peers_in_the_band_is_enough() -> None:
    flag = flag_for(identify(slower_than_peers_cohort(), thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.peer_count == 3
    assert flag.peer_median_gain == 6


def test_min_peers_can_be_lowered_by_the_school() -> None:
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        **alike("fast", 2, [100, 100, 106]),
        "target": [100, 100, 101],
    }
    assert signs_for(cohort, "target") == ()
    two_peers = replace(SIGN_BY_SIGN, min_peers=2)
    assert signs_for(cohort, "target", two_peers) == (Sign.SLOWER_THAN_PEERS,)


def test_peers_are_grouped_by_band_of_the_earlier_score() -> None:
    # 104.9 is in the same band as 100 (band 20); 105 is not.
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        "fast1": [100, 100, 106],
        "fast2": [104.9, 104.9, 110.9],
        "fast3": [105, 105, 111],
        "target": [100, 100, 101],
    }
    flag = flag_for(identify(cohort, thresholds=replace(SIGN_BY_SIGN, min_peers=2)), "target")
    assert flag is not None
    assert flag.peer_count == 2


def test_a_wider_band_finds_more_peers() -> None:
    cohort = {
        **alike("steady", 4, [80, 80, 80]),
        "fast1": [100, 100, 106],
        "fast2": [104.9, 104.9, 110.9],
        "fast3": [105, 105, 111],
        "target": [100, 100, 101],
    }
    assert signs_for(cohort, "target") == ()
    wide = replace(SIGN_BY_SIGN, baseline_band_width=10.0)
    assert signs_for(cohort, "target", wide) == (Sign.SLOWER_THAN_PEERS,)


def test_a_pupil_is_left_out_of_their_own_peer_median() -> None:
    # Peers' gains 2, 4, 4: median 4, so the target (gain 0) is 4 short.
    # Counting the target in would give a median of 3: exactly at the margin.
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        "p1": [100, 100, 102],
        "p2": [100, 100, 104],
        "p3": [100, 100, 104],
        "target": [100, 100, 100],
    }
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.peer_median_gain == 4
    assert flag.signs == (Sign.SLOWER_THAN_PEERS,)


def test_a_pupil_is_left_out_of_the_year_group_median_for_the_gap() -> None:
    # Others: 100, 100, 104, 104 -> median 102. With the target included it
    # would be 100, and the target (at 100) would have no gap at all.
    cohort = {
        "a": [100, 100, 100],
        "b": [100, 100, 100],
        "c": [104, 104, 104],
        "d": [104, 104, 104],
        "target": [100, 100, 100],
    }
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert (flag.gap_before, flag.gap_after) == (2, 2)
    assert flag.signs == (Sign.GAP_NOT_CLOSING,)


def test_medians_match_a_plain_recount_leaving_the_pupil_out() -> None:
    rng = random.Random(20240917)
    cohort: dict[Hashable, Scores] = {n: [float(rng.randint(85, 115)) for _ in range(3)] for n in range(40)}
    thresholds = replace(SIGN_BY_SIGN, min_peers=1)
    flags = identify(cohort, thresholds=thresholds)
    assert flags
    for flag in flags:
        earlier, latest = cohort[flag.pupil][-2], cohort[flag.pupil][-1]
        others = [scores for pupil, scores in cohort.items() if pupil != flag.pupil]
        band = math.floor(earlier / 5)
        peer_gains = [s[-1] - s[-2] for s in others if math.floor(s[-2] / 5) == band]
        assert flag.peer_count == len(peer_gains)
        if len(peer_gains) >= 1:
            assert flag.peer_median_gain == pytest.approx(statistics.median(peer_gains))
        assert flag.gap_before == pytest.approx(statistics.median(s[-2] for s in others) - earlier)
        assert flag.gap_after == pytest.approx(statistics.median(s[-1] for s in others) - latest)


def test_too_small_a_year_group_means_gap_signs_are_not_judged() -> None:
    cohort = {
        "a": [100, 100, 110],
        "b": [100, 100, 110],
        "target": [90, 90, 90],
    }
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


# --- Missing scores --------------------------------------------------------


def test_a_pupil_missing_the_latest_score_is_not_flagged() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97, 95, None]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_a_pupil_missing_the_earlier_score_is_not_flagged() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [80, None, 80]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_a_pupil_new_to_the_school_with_only_a_latest_score_is_not_flagged() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "new": [None, None, 70]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_a_pupil_new_to_the_school_is_judged_once_they_have_two_scores() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "new": [None, 80, 80]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "new")
    assert flag is not None
    assert flag.signs == (Sign.GAP_NOT_CLOSING,)
    assert flag.previous_gain is None


def test_a_missing_previous_score_skips_only_the_own_rate_sign() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [None, 95, 93]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.signs == (Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)
    assert flag.previous_gain is None


def test_a_missing_middle_score_is_not_bridged_for_the_previous_rate() -> None:
    # Scores at four points; the third is missing, so there is no earlier score.
    cohort = {
        **alike("peer", 6, [100, 100, 100, 100]),
        "target": [100, 100, None, 100],
    }
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_not_a_number_counts_as_missing() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97, 95, math.nan]}
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_pupils_with_missing_scores_are_not_counted_as_peers() -> None:
    cohort = {
        **alike("steady", 4, [90, 90, 90]),
        **alike("fast", 2, [100, 100, 106]),
        "absent": [100, 100, None],
        "target": [100, 100, 101],
    }
    assert signs_for(cohort, "target") == ()


def test_only_the_last_two_points_count_as_earlier_and_latest() -> None:
    # Six points across the year; a dip long ago does not matter.
    cohort = {
        **alike("peer", 6, [100, 100, 100, 100, 100, 100]),
        "target": [80, 85, 90, 100, 100, 100],
    }
    assert identify(cohort, thresholds=SIGN_BY_SIGN) == []


def test_two_points_are_enough_for_every_sign_but_own_rate() -> None:
    cohort = {
        **alike("band_peer", 3, [96, 102]),
        **alike("higher", 3, [100, 106]),
        "target": [96, 96],
    }
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.signs == (Sign.SLOWER_THAN_PEERS, Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)


def test_fewer_than_two_points_or_an_empty_cohort_gives_no_flags() -> None:
    assert identify({}) == []
    assert identify({"a": [100], "b": [70]}) == []
    assert identify({"a": [], "b": []}) == []


# --- Evidence --------------------------------------------------------------


def test_slower_than_peers_evidence_gives_the_gains_and_the_peer_count() -> None:
    cohort = {
        **alike("steady", 15, [90, 90, 90]),
        **alike("fast", 12, [100, 100, 106]),
        "target": [100, 100, 101],
    }
    names = ("summer", "autumn", "spring")
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=names), "target")
    assert flag is not None
    assert flag.evidence == (
        "Gained 1 point from autumn to spring; same-baseline peers gained a median of 6 (12 peers).",
    )


def test_below_own_rate_evidence_gives_both_gains() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [92, 100, 102]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS), "target")
    assert flag is not None
    assert flag.evidence == ("Gained 2 points from spring to summer, having gained 8 points from autumn to spring.",)


def test_evidence_describes_a_fall_in_plain_words() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [110, 110, 105]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS), "target")
    assert flag is not None
    assert flag.evidence == ("Fell 5 points from spring to summer, having made no gain from autumn to spring.",)


def test_gap_evidence_gives_the_gap_at_both_points() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97.5, 95, 92.5]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS), "target")
    assert flag is not None
    assert flag.evidence == (
        "Was 5 points below the year-group median at spring and 7.5 points below it "
        "at summer; the gap grew by 2.5 points instead of closing.",
        "Was 5 points below the year-group median at spring and 7.5 points below it "
        "at summer; the gap widened by 2.5 points.",
    )


def test_gap_evidence_for_a_pupil_who_was_level() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [102, 100, 98]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS), "target")
    assert flag is not None
    assert flag.evidence == (
        "Was level with the year-group median at spring and 2 points below it at summer; the gap widened by 2 points.",
    )


def test_evidence_without_point_names_still_reads_plainly() -> None:
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [90, 90, 92]}
    flag = flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert flag.evidence == (
        "Was 10 points below the year-group median at the earlier assessment and "
        "10 points below it at the latest assessment; the gap did not close.",
    )


def test_there_is_one_evidence_sentence_per_sign() -> None:
    cohort = {
        **alike("band_peer", 3, [96, 96, 102]),
        **alike("higher", 3, [100, 100, 106]),
        "target": [90, 96, 96],
        "other": [97, 95, 93],
    }
    for flag in identify(cohort, thresholds=SIGN_BY_SIGN, point_names=POINTS):
        assert len(flag.evidence) == len(flag.signs)
        assert all(sentence.endswith(".") for sentence in flag.evidence)


# --- Ordering, keys and the API --------------------------------------------


def test_flags_are_ordered_by_number_of_signs_then_by_key() -> None:
    cohort = {
        **alike("peer", 6, [100, 100, 100]),
        "zoe": [97, 95, 93],  # two signs
        "bea": [100, 95, 95],  # gap not closing only
        "amy": [95, 95, 95],  # gap not closing only
    }
    flags = identify(cohort, thresholds=SIGN_BY_SIGN)
    assert [(flag.pupil, len(flag.signs)) for flag in flags] == [
        ("zoe", 2),
        ("amy", 1),
        ("bea", 1),
    ]


def test_pupil_keys_can_be_any_hashable_and_are_ordered_as_text() -> None:
    cohort: dict[Hashable, Scores] = {n: [100, 100, 100] for n in range(1, 7)}
    cohort[10] = [95, 95, 95]
    cohort[9] = [95, 95, 95]
    cohort[("upn", "A123")] = [95, 95, 95]
    # As text, "('upn', 'A123')" < "10" < "9".
    flags = identify(cohort, thresholds=SIGN_BY_SIGN)
    assert [flag.pupil for flag in flags] == [("upn", "A123"), 10, 9]


def test_sequences_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="lengths"):
        identify({"a": [100, 100, 100], "b": [100, 100]})


def test_point_names_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="point_names"):
        identify({"a": [100, 100, 100]}, point_names=("autumn", "spring"))


@pytest.mark.parametrize(
    "settings",
    [
        {"baseline_band_width": 0.0},
        {"min_peers": 0},
        {"slower_than_peers_margin": -1.0},
        {"previous_rate_margin": -0.5},
        {"gap_margin": math.nan},
        {"min_signs": 0},
        {"min_signs": 4},
    ],
)
def test_thresholds_refuse_settings_that_make_no_sense(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Thresholds(**settings)


def test_thresholds_have_the_documented_defaults() -> None:
    assert Thresholds() == Thresholds(
        baseline_band_width=5.0,
        slower_than_peers_margin=3.0,
        min_peers=3,
        previous_rate_margin=6.0,
        gap_margin=1.0,
        min_signs=2,
    )


def test_flags_and_thresholds_cannot_be_changed_after_creation() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().gap_margin = 5.0  # type: ignore[misc]
    flag = Flag(pupil="a", signs=(), evidence=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.gain = 1.0  # type: ignore[misc]


def test_every_sign_has_a_plain_label_and_a_stable_value() -> None:
    assert [str(sign) for sign in Sign] == [
        "slower_than_peers",
        "below_own_rate",
        "gap_not_closing",
        "gap_widening",
    ]
    labels = [sign.label for sign in Sign]
    assert all(labels) and len(set(labels)) == 4


def test_identify_does_not_change_the_cohort_it_is_given() -> None:
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97, 95, 93]}
    before = {pupil: list(scores) for pupil, scores in cohort.items()}
    identify(cohort)
    assert cohort == before


# --- How much evidence a flag needs (min_signs) ----------------------------


def cohort_with_pieces(pieces: int) -> dict[Hashable, Scores]:
    """A cohort whose "target" shows exactly ``pieces`` pieces of evidence
    under SIGN_BY_SIGN (the two gap signs counting as one)."""
    if pieces == 1:  # gap not closing only
        return {**alike("peer", 6, [100, 100, 102]), "target": [90, 90, 92]}
    if pieces == 2:  # slower than peers and below own rate, well above the median
        return {
            **alike("steady", 4, [90, 90, 90]),
            **alike("fast", 3, [100, 100, 106]),
            "target": [92, 100, 101],
        }
    assert pieces == 3  # all four signs: the gap pair is one piece
    return {
        **alike("band_peer", 3, [96, 96, 102]),
        **alike("higher", 3, [100, 100, 106]),
        "target": [90, 96, 96],
    }


@pytest.mark.parametrize("pieces", [1, 2, 3])
def test_the_cohorts_show_the_pieces_they_say(pieces: int) -> None:
    flag = flag_for(identify(cohort_with_pieces(pieces), thresholds=SIGN_BY_SIGN), "target")
    assert flag is not None
    assert evidence_count(flag.signs) == pieces


@pytest.mark.parametrize("min_signs", [1, 2, 3])
@pytest.mark.parametrize("pieces", [1, 2, 3])
def test_a_pupil_is_flagged_with_at_least_min_signs_pieces_of_evidence(pieces: int, min_signs: int) -> None:
    thresholds = replace(SIGN_BY_SIGN, min_signs=min_signs)
    flag = flag_for(identify(cohort_with_pieces(pieces), thresholds=thresholds), "target")
    # Exactly at min_signs is enough; one fewer is not.
    assert (flag is not None) == (pieces >= min_signs)


def test_the_two_gap_signs_count_as_one_piece_of_evidence() -> None:
    # Below the median and the gap widened: signs (3) and (4) both fire, but
    # they rest on the same gap before and after, so this is one piece.
    cohort = {**alike("peer", 6, [100, 100, 100]), "target": [97, 95, 93]}
    assert signs_for(cohort, "target") == (Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)
    assert identify(cohort, thresholds=replace(SIGN_BY_SIGN, min_signs=2)) == []
    assert identify(cohort) == []


def test_evidence_count_counts_distinct_signs_with_the_gap_pair_as_one() -> None:
    assert evidence_count(()) == 0
    assert evidence_count((Sign.GAP_WIDENING,)) == 1
    assert evidence_count((Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)) == 1
    assert evidence_count((Sign.SLOWER_THAN_PEERS, Sign.GAP_WIDENING)) == 2
    assert evidence_count((Sign.SLOWER_THAN_PEERS, Sign.BELOW_OWN_RATE)) == 2
    assert evidence_count(tuple(Sign)) == MAX_EVIDENCE == 3


def test_a_flag_needing_two_pieces_still_lists_every_sign_with_its_evidence() -> None:
    # Only two scores, so no own rate: slower than peers plus the gap pair is
    # two pieces, enough under the defaults; all three signs are reported.
    cohort = {
        **alike("band_peer", 3, [96, 102]),
        **alike("higher", 3, [100, 106]),
        "target": [96, 96],
    }
    flags = identify(cohort)
    assert [flag.pupil for flag in flags] == ["target"]
    assert flags[0].signs == (Sign.SLOWER_THAN_PEERS, Sign.GAP_NOT_CLOSING, Sign.GAP_WIDENING)
    assert len(flags[0].evidence) == 3


def test_under_the_defaults_a_single_sign_does_not_flag() -> None:
    for cohort in (
        cohort_with_pieces(1),
        slower_than_peers_cohort(),
        {**alike("peer", 6, [100, 100, 102]), "target": [90, 100, 102]},  # own rate only
        {**alike("peer", 6, [100, 100, 100]), "target": [102, 100, 98]},  # widening only
    ):
        assert flag_for(identify(cohort, thresholds=SIGN_BY_SIGN), "target") is not None
        assert identify(cohort) == []


def test_the_default_previous_rate_margin_of_6_is_strict() -> None:
    one_sign = Thresholds(min_signs=1)
    cohort = {**alike("peer", 6, [100, 100, 102]), "target": [92, 100, 102]}
    # Previous gain 8, now 2: exactly 6 down.
    assert signs_for(cohort, "target", one_sign) == ()
    cohort["target"] = [92, 100, 101.9]
    assert signs_for(cohort, "target", one_sign) == (Sign.BELOW_OWN_RATE,)


def test_needing_two_pieces_halves_the_flags_that_test_noise_alone_raises() -> None:
    # 300 pupils making the same true progress; each test adds noise with a
    # standard deviation of 3 points (about a standardised test's error).
    # Any single sign flags nearly half of them. Two pieces of evidence flag
    # about a quarter: not none, because all three pieces move with the same
    # latest gain, so one bad test day can still supply two of them.
    rng = random.Random(6172015)
    cohort: dict[Hashable, Scores] = {}
    for n in range(300):
        level = rng.gauss(100, 12)
        cohort[n] = [level + rng.gauss(0, 3) for _ in range(3)]
    any_sign = len(identify(cohort, thresholds=Thresholds(min_signs=1))) / len(cohort)
    defaults = len(identify(cohort)) / len(cohort)
    assert any_sign > 0.40
    assert defaults < 0.30
    assert defaults < any_sign * 0.6
