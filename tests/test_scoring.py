"""Scoring v2 exactly as the issue "Choices that test judgment…" says, with every number worked
out by hand in the comments.

    p₀ = the starting perception; pᵢ = clamp(pᵢ₋₁ + deltaᵢ)
    a moment = a move with pᵢ ≠ pᵢ₋₁ (the start mood and unchanged moves are not moments)
    peak = the moment with the largest |pᵢ|, a tie going to the LATER moment; no moment: peak = end
    end  = pₙ;  MOT score = (peak + end) / 2, rounded half away from zero
"""

from __future__ import annotations

import random

import pytest

from game.engine import Game, clamp
from game.model import Choice, Discovery, Ending, Level, Scene, Text
from game.scoring import (
    LABELS,
    POINTS_FORMULA,
    adherence,
    classroom_points,
    fold_peak,
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
@pytest.mark.parametrize("start,trace,peak_at,peak_value,expected", [
    # the first worked example: start −2, moves 0, +2, 0, 0 → trace −2, 0, 0, 0.
    # Move 1 (−2 → −2) is no moment; move 2 (−2 → 0) is the only one: peak 0, end 0 → 0 (v1: −1)
    (-2, (-2, 0, 0, 0), 1, 0, 0),
    # the second: start 0, moves −2, +1, 0, +3, 0 → trace −2, −1, −1, +2, +2; moments −2 (1),
    # −1 (2), +2 (4); |−2| = |+2| ties → the later +2; end +2 → (2 + 2) / 2 = 2 (v1: 0)
    (0, (-2, -1, -1, 2, 2), 3, 2, 2),
    # one move: peak = end = p₁
    (0, (2,), 0, 2, 2),
    (0, (-1,), 0, -1, -1),
    # no moment at all: the meter never moved, peak = end = the start mood
    (0, (0,), None, 0, 0),
    (-2, (-2, -2), None, -2, -2),
    (1, (), None, 1, 1),
    # clamped moves that change nothing are not moments: start 3, +1 → 3 (none), −1 → 2 (moment)
    (3, (3, 2), 1, 2, 2),
    # …and a clamp that still moves is one: start 2, +3 → 3
    (2, (3, 3), 0, 3, 3),
    # the largest |p| wins: peak 3, end 1 → (3 + 1) / 2 = 2
    (0, (1, 3, 1), 1, 3, 2),
    # a late failure counts more: +2 then −2 → peak −2 (later), end −2 → −2
    (0, (2, -2), 1, -2, -2),
    # a real recovery counts: −2 then +2 → peak +2 (later), end +2 → +2 (v1: 0)
    (0, (-2, 2), 1, 2, 2),
    # equal values: the later moment (index 2)
    (0, (2, 1, 2), 2, 2, 2),
    (0, (-3, 0, -3), 2, -3, -3),
    # rounding half away from zero: (−3 + 2) / 2 = −0.5 → −1
    (0, (-3, 2), 0, -3, -1),
    # (3 + (−2)) / 2 = +0.5 → +1
    (0, (3, -2), 0, 3, 1),
    # (1 + 0) / 2 = 0.5 → 1, and (−1 + 0) / 2 = −0.5 → −1
    (0, (1, 0), 0, 1, 1),
    (0, (-1, 0), 0, -1, -1),
    # (3 + 2) / 2 = 2.5 → 3, (−3 + −2) / 2 = −2.5 → −3
    (0, (0, 3, 2), 1, 3, 3),
    (0, (0, -3, -2), 1, -3, -3),
    # a crisis in the middle of a good call: peak −3, end +2 → (−3 + 2) / 2 = −0.5 → −1
    (0, (1, -3, 0, 2), 1, -3, -1),
    # −3 then a full recovery to +3: the tie goes to the later +3 → (3 + 3) / 2 = 3 (v1: 0)
    (0, (1, -3, 0, 3), 3, 3, 3),
    # once +3 is reached the end still matters: peak 3, end 1 → 2 (not 3)
    (0, (3, 2, 1), 0, 3, 2),
])
def test_peak_end_score(start, trace, peak_at, peak_value, expected):
    assert peak_index(start, trace) == peak_at
    assert peak(start, trace) == peak_value
    assert mot_score(start, trace) == expected


def test_analysis_fold_agrees_with_scoring():
    """The analyser folds the peak move by move with `fold_peak`; it must agree with `peak`."""
    rng = random.Random(0)
    for _ in range(3000):
        start = rng.randint(-3, 3)
        trace, p = [], start
        for _ in range(rng.randint(1, 8)):
            p = clamp(p + rng.randint(-3, 3))
            trace.append(p)
        folded, before = None, start
        for value in trace:
            folded = fold_peak(folded, before, value)
            before = value
        expected_peak = peak(start, trace)
        assert (trace[-1] if folded is None else folded) == expected_peak, (start, trace)
        assert mot_score(start, trace) == round_half_away((expected_peak + trace[-1]) / 2)


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
    # moments: 3 (move 1), 0 (2), −3 (3), −1 (5); move 4 stays at −3 (clamped), no moment.
    # |3| = |−3| ties → the later −3 at index 2; end −1
    assert (result.peak, result.peak_index, result.peak_move, result.end) == (-3, 2, 3, -1)
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


def test_a_recovery_from_the_starting_mood_in_a_run():
    # start −2 (the customer's mood, not a moment): 0 → −2 (no moment), +2 → 0, +3 → 3, 0 → 3
    # moments 0 (move 2), 3 (move 3): peak 3, end 3 → +3, though the call began at −2
    state, result = play(line_level(-2, [(E, 0), (O, 2), (A, 3), (C, 0)]))
    assert result.trace == (-2, 0, 3, 3)
    assert (result.peak, result.peak_move, result.end, result.mot_score) == (3, 3, 3, 3)
    assert result.start == -2


def test_tie_between_a_positive_and_a_negative_peak_in_a_run():
    # start 0: +2 → 2, −3 → −1, −1 → −2, +3 → 1: |2| and |−2| tie → the later −2; end 1
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
    assert result.peak_index is None and result.peak_move is None
    assert result.word_of_mouth.tone == "negative"
