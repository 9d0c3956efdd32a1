"""Scoring exactly as DESIGN §1 says, with every number worked out by hand in the comments.

    MOT score = (peak + end) / 2, rounded half away from zero
    peak = the pᵢ with the largest |pᵢ|; a tie goes to the negative one, then to the later one
    end  = pₙ
"""

from __future__ import annotations

import random

import pytest

from game.analysis import _next_peak
from game.engine import Game
from game.model import Choice, Discovery, Ending, Level, Scene, Text
from game.scoring import (
    LABELS,
    POINTS_FORMULA,
    adherence,
    classroom_points,
    label,
    mot_score,
    peak,
    peak_index,
    round_half_away,
    score,
    word_of_mouth,
)


# -- rounding -----------------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [
    (0.5, 1), (-0.5, -1), (1.5, 2), (-1.5, -2), (2.5, 3), (-2.5, -3),
    (0.49, 0), (-0.49, 0), (0, 0), (1, 1), (-1, -1), (2.0, 2), (-3.0, -3),
])
def test_round_half_away_from_zero(value, expected):
    assert round_half_away(value) == expected
    assert str(round_half_away(value)) == str(expected)  # never "-0"


def test_python_round_would_be_wrong():
    # Banker's rounding gives 0 for both halves; the MOT score must not.
    assert (round(0.5), round(-0.5), round(2.5)) == (0, 0, 2)
    assert (round_half_away(0.5), round_half_away(-0.5), round_half_away(2.5)) == (1, -1, 3)


# -- peak, end, MOT score -------------------------------------------------------------------------
@pytest.mark.parametrize("trace,peak_at,peak_value,expected", [
    # one move: peak = end = p₁
    ((2,), 0, 2, 2),
    ((-1,), 0, -1, -1),
    ((0,), 0, 0, 0),
    # the largest |p| wins: peak 3, end 1 → (3 + 1) / 2 = 2
    ((1, 3, 1), 1, 3, 2),
    # a tie between +2 and −2 goes to the negative one: peak −2, end −2 → −2
    ((2, -2), 1, -2, -2),
    # …whichever comes first: peak −2 (first), end +2 → (−2 + 2) / 2 = 0
    ((-2, 2), 0, -2, 0),
    # a tie between equal values goes to the later one (index 2); the value is the same
    ((2, 1, 2), 2, 2, 2),
    ((-3, 0, -3), 2, -3, -3),
    # rounding half away from zero: (−3 + 2) / 2 = −0.5 → −1
    ((-3, 2), 0, -3, -1),
    # (3 + (−2)) / 2 = +0.5 → +1
    ((3, -2), 0, 3, 1),
    # (1 + 0) / 2 = 0.5 → 1, and (−1 + 0) / 2 = −0.5 → −1
    ((1, 0), 0, 1, 1),
    ((-1, 0), 0, -1, -1),
    # (3 + 2) / 2 = 2.5 → 3, (−3 + −2) / 2 = −2.5 → −3
    ((0, 3, 2), 1, 3, 3),
    ((0, -3, -2), 1, -3, -3),
    # a crisis in the middle of a good call: peak −3, end +2 → (−3 + 2) / 2 = −0.5 → −1
    ((1, -3, 0, 2), 1, -3, -1),
    # (−3 + 3) / 2 = 0: the tie 3 vs −3 goes to −3 even though +3 came later
    ((1, -3, 0, 3), 1, -3, 0),
    # all zero: peak is the last 0 (tie → later), score 0
    ((0, 0, 0), 2, 0, 0),
])
def test_peak_end_score(trace, peak_at, peak_value, expected):
    assert peak_index(trace) == peak_at
    assert peak(trace) == peak_value
    assert mot_score(trace) == expected


def test_empty_trace_scores_zero():
    assert mot_score(()) == 0


def test_analysis_tracks_the_same_peak_as_scoring():
    """The analyser folds the peak move by move; it must agree with `scoring.peak` always."""
    rng = random.Random(0)
    for _ in range(2000):
        trace = [rng.randint(-3, 3) for _ in range(rng.randint(1, 8))]
        folded = None
        for p in trace:
            folded = _next_peak(folded, p)
        assert folded == peak(trace), trace
        assert mot_score(trace) == round_half_away((folded + trace[-1]) / 2)


# -- labels -----------------------------------------------------------------------------------
def test_labels_follow_the_seed_table():
    assert [label(v) for v in range(3, -4, -1)] == [
        "delighted", "exceeded expectations", "met expectations", "neutral (no expectation)",
        "partly unmet", "unmet", "relationship in crisis"]
    assert [label(v, "zh") for v in range(3, -4, -1)] == [
        "让客户喜悦", "超出期望", "符合期望", "中立（没有期望）", "部分没有符合期望", "无法符合期望", "危机双方的关系"]
    assert label(9) == "delighted" and label(-9, "zh") == "危机双方的关系"  # clamped
    assert label(1, "fr") == "met expectations"  # unknown language: English
    assert set(LABELS) == set(range(-3, 4))


# -- adherence ----------------------------------------------------------------------------------
E, O, A, C = "explore", "offer", "act", "confirm"


@pytest.mark.parametrize("steps,badges,total", [
    # the model, in order: all four
    ((E, O, A, C), (True, True, True, True), 4),
    ((E, E, O, O, A, A, C, C), (True, True, True, True), 4),
    # an offer before the first explore loses E, even with an explore later
    ((O, E, O, A, C), (False, True, True, True), 3),
    # an act before the first offer loses O
    ((E, A, O, C), (True, False, True, True), 3),
    # the last move is not a confirm: no C, even with a confirm earlier
    ((C, E, O, A, C, A), (True, True, True, False), 3),
    ((E, O, A), (True, True, True, False), 3),
    # only what was done counts
    ((A,), (False, False, True, False), 1),
    ((E,), (True, False, False, False), 1),  # no offer at all: none came before the explore
    ((O,), (False, True, False, False), 1),  # no act at all: none came before the offer
    ((C,), (False, False, False, True), 1),
    ((E, C), (True, False, False, True), 2),
    ((A, O), (False, False, True, False), 1),
    ((O, A, C), (False, True, True, True), 3),
    ((), (False, False, False, False), 0),
])
def test_adherence(steps, badges, total):
    result = adherence(steps)
    assert (result.explored_first, result.offered_before_act, result.acted, result.confirmed_last) == badges
    assert result.total == total
    assert result.as_dict() == {"explored_first": badges[0], "offered_before_act": badges[1],
                                "acted": badges[2], "confirmed_last": badges[3], "total": total}
    assert list(result.badges) == ["explore", "offer", "act", "confirm"]


# -- word of mouth ------------------------------------------------------------------------------
@pytest.mark.parametrize("mot,tone,lo,hi", [
    (-3, "negative", 12, 12), (-2, "negative", 12, 12), (-1, "negative", 12, 12),
    (0, "none", 0, 0), (1, "none", 0, 0),
    (2, "positive", 2, 3), (3, "positive", 2, 3),
])
def test_word_of_mouth_thresholds(mot, tone, lo, hi):
    wom = word_of_mouth(mot)
    assert (wom.tone, wom.people_min, wom.people_max) == (tone, lo, hi)
    assert wom.as_dict() == {"tone": tone, "people_min": lo, "people_max": hi}


# -- classroom points ---------------------------------------------------------------------------
@pytest.mark.parametrize("mot,adh,found,points", [
    (3, 4, 3, 86),   # 10 × 6 + 5 × 4 + 2 × 3
    (-3, 0, 0, 0),   # 10 × 0
    (0, 2, 1, 42),   # 10 × 3 + 5 × 2 + 2 × 1
    (-1, 1, 0, 25),  # 10 × 2 + 5 × 1
    (2, 3, 2, 69),   # 10 × 5 + 5 × 3 + 2 × 2
])
def test_classroom_points(mot, adh, found, points):
    assert classroom_points(mot, adh, found) == points


def test_points_formula_is_documented_in_both_languages():
    assert POINTS_FORMULA["en"] == "points = 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found"
    assert "10" in POINTS_FORMULA["zh"] and "MOT" in POINTS_FORMULA["zh"]


# -- whole runs through the engine --------------------------------------------------------------
def choice(cid, step, delta, nxt, reveals=()):
    return Choice(id=cid, step=step, text=Text.plain(cid), next=nxt, delta=delta, reveals=reveals)


def line_level(start: int, moves: list[tuple[str, int]], discoveries=("need",)) -> Level:
    """A level that is one corridor of scenes, one choice each: exactly the trace we ask for."""
    scenes = {}
    for i, (step, delta) in enumerate(moves):
        nxt = f"s{i + 1}" if i + 1 < len(moves) else "end:done"
        reveals = ("need",) if step == "explore" and "need" in discoveries else ()
        scenes[f"s{i}"] = Scene(f"s{i}", Text.plain("…"), (choice(f"m{i}", step, delta, nxt, reveals),))
    return Level(id="line", title=Text.plain("Line"), start="s0", you="me", customer="you",
                 perception=start, scenes=scenes,
                 discoveries={d: Discovery(d, "expectation", Text.plain(d)) for d in discoveries},
                 endings={"done": Ending("done", Text.plain("Done"))})


def play(level: Level):
    game = Game(level)
    state = game.play([c.id for s in level.scenes.values() for c in s.choices])
    return state, score(level, state)


def test_clamping_at_plus_and_minus_three():
    # start +2; +3 → 5 clamps to 3; −3 → 0; −3 → −3; −3 → −6 clamps to −3; +2 → −1
    level = line_level(2, [(E, 3), (O, -3), (A, -3), (A, -3), (C, 2)])
    state, result = play(level)
    assert result.trace == (3, 0, -3, -3, -1)
    # peak: |3| = |−3|: the negative one, then the later one → −3 at index 3; end −1
    assert (result.peak, result.peak_index, result.end) == (-3, 3, -1)
    assert result.mot_score == -2  # (−3 + −1) / 2 = −2
    assert [m.delta for m in state.moves] == [3, -3, -3, -3, 2]  # deltas as written


def test_one_move_level():
    # start −1, one confirm of +2: trace (1,); peak = end = 1; score 1; only C
    state, result = play(line_level(-1, [(C, 2)], discoveries=()))
    assert result.trace == (1,) and result.peak == 1 and result.end == 1 and result.mot_score == 1
    assert result.adherence.total == 1 and result.adherence.confirmed_last
    assert result.word_of_mouth.tone == "none"
    assert result.points == 10 * 4 + 5 * 1 + 0  # 45
    assert result.found == () and result.missed == ()


def test_tie_between_a_positive_and_a_negative_peak_in_a_run():
    # start 0: +2 → 2, −3 → −1, −1 → −2, +3 → 1: peaks |2| and |−2| tie → −2; end 1
    state, result = play(line_level(0, [(E, 2), (O, -3), (A, -1), (C, 3)]))
    assert result.trace == (2, -1, -2, 1)
    assert (result.peak, result.end, result.mot_score) == (-2, 1, -1)  # (−2 + 1) / 2 = −0.5 → −1
    assert result.word_of_mouth.as_dict() == {"tone": "negative", "people_min": 12, "people_max": 12}
    assert result.adherence.total == 4
    assert result.found == ("need",) and result.missed == ()
    assert result.points == 10 * 2 + 5 * 4 + 2 * 1  # 42
    assert result.label() == "partly unmet" and result.label("zh") == "部分没有符合期望"


def test_rounding_up_in_a_run():
    # start 0: +3 → 3, −3 → 0, −2 → −2: peak 3, end −2: (3 − 2) / 2 = 0.5 → +1
    state, result = play(line_level(0, [(E, 3), (O, -3), (A, -2)]))
    assert (result.peak, result.end, result.mot_score) == (3, -2, 1)
    assert result.adherence.total == 3 and not result.adherence.confirmed_last


def test_missed_discoveries():
    state, result = play(line_level(0, [(O, 1), (A, 1), (C, 1)]))
    assert result.found == () and result.missed == ("need",)
    assert result.steps_used == {O, A, C}


def test_a_level_with_no_moves_scores_its_starting_perception():
    level = line_level(-2, [(E, 1)])
    state = Game(level).start()
    result = score(level, state)
    assert result.trace == () and result.mot_score == -2 and result.end == -2 and result.peak == -2
    assert result.word_of_mouth.tone == "negative"
