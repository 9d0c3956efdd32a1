"""The shipped levels test judgment: the content figures of the issue "Choices that test
judgment, and a score that tells the truth", over every story level, computed by the same
balancing report authors see (`mot check --analyse`). `scripts/balance_table.py` prints them.

A story level is one of the two story campaigns (who-killed-the-order, customer-first); the
tutorial teaches the steps and is only held to a clean check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.commands.check import check

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ROOT / "levels"
STORY_CAMPAIGNS = ("who-killed-the-order", "customer-first")


@pytest.fixture(scope="module")
def checked():
    _, diagnostics, reports = check([LEVELS], balancing=True)
    return diagnostics, {r.level: r for r in reports}


@pytest.fixture(scope="module")
def story(checked):
    from game.library import load_folder

    ids = [lv.id for c in STORY_CAMPAIGNS for lv in load_folder(LEVELS / c)[0].levels]
    return {lid: checked[1][lid] for lid in ids}


def test_shipped_levels_check_clean_under_analyse(checked):
    diagnostics, reports = checked
    assert [str(d) for d in diagnostics] == []
    assert len(reports) == 16


def test_fourteen_story_levels(story):
    assert len(story) == 14


def test_every_story_level_has_two_paths_to_plus_three_and_an_ideal_that_gets_there(story):
    short = {lid: r.balance.histogram.get(3, 0) for lid, r in story.items()
             if r.balance.histogram is None or r.balance.histogram.get(3, 0) < 2}
    assert short == {}, "levels with fewer than two paths to +3"
    assert {lid: r.ideal.score for lid, r in story.items() if r.ideal.score != 3} == {}


def test_the_ideal_shares_its_step_with_another_choice_in_three_scenes_of_four(story):
    give_away = {}
    for lid, r in story.items():
        alone, total = r.balance.give_away
        if (total - alone) * 4 < 3 * total:  # shared in fewer than 75% of the ideal path's scenes
            give_away[lid] = f"{alone}/{total} alone: {r.balance.give_away_scenes}"
    assert give_away == {}


def test_always_longest_reaches_plus_three_in_at_most_one_story_level(story):
    winners = [lid for lid, r in story.items()
               if 3 in (r.balance.strategies["longest-en"].score, r.balance.strategies["longest-zh"].score)]
    assert len(winners) <= 1, winners


def test_a_random_player_does_not_win(story):
    """Guessing must not pay: a player picking at random expects a negative score everywhere."""
    assert {lid: r.balance.random_expected for lid, r in story.items()
            if r.balance.random_expected is None or r.balance.random_expected >= 0} == {}


def test_every_story_ending_declares_its_tone(story):
    from game.library import load_folder

    missing = [f"{lv.id}/{e.id}" for c in STORY_CAMPAIGNS for lv in load_folder(LEVELS / c)[0].levels
               for e in lv.endings.values() if e.tone is None]
    assert missing == []


# -- the cases the issue names, each fixed -------------------------------------------------------
def _level(level_id):
    from game.library import load_folder

    for campaign in STORY_CAMPAIGNS:
        for level in load_folder(LEVELS / campaign)[0].levels:
            if level.id == level_id:
                return level
    raise LookupError(level_id)


def _then_ideal(level, first: list[str], scores=None):
    """Play `first`, then a perfect replay: the best move offered at every point (the one that
    keeps the best score reachable, then the one the customer likes best now)."""
    from game.advice import Coach
    from game.engine import Game
    from game.scoring import fold_peak

    game, coach = Game(level, scores or {}), Coach(level, scores or {})
    state, peak, before = game.start(), None, level.perception
    for choice_id in first:
        state = game.apply(state, choice_id)
        peak, before = fold_peak(peak, before, state.perception), state.perception
    while not state.finished:
        best = max(game.choices(state), key=lambda c: (coach.best_after(state, peak, c) or -9, c.delta))
        state = game.take(state, best)
        peak, before = fold_peak(peak, before, state.perception), state.perception
    return state


def _score_and_tone(level, state):
    from game.scoring import score

    result = score(level, state)
    return result.mot_score, level.endings[state.ending].tone


@pytest.mark.parametrize("level_id,first", [
    ("innocent-messenger", ["pitch-extras"]),
    ("helpless-helpline", ["ask-account"]),
])
def test_a_slip_then_a_perfect_replay_agrees_with_its_ending(level_id, first):
    level = _level(level_id)
    mot, tone = _score_and_tone(level, _then_ideal(level, first))
    assert not (tone == "good" and mot <= -1) and not (tone == "bad" and mot >= 1)
    assert mot >= 1  # a real recovery counts under scoring v2


def test_the_decision_flawless_recovery_scores_plus_three():
    level = _level("the-decision")
    assert level.perception == -2
    from game.engine import Game
    from game.scoring import score

    game = Game(level)
    assert score(level, game.play(game.ideal_path())).mot_score == 3


def test_no_plus_three_without_the_final_confirm(story):
    """vp-who-didnt-listen's ideal then `wait`: every +3 path ends on a confirm (W110 is clean
    for every level, checked above); here the named case, played."""
    level = _level("vp-who-didnt-listen")
    from game.engine import Game
    from game.scoring import score

    game = Game(level)
    ideal = game.ideal_path()
    state = game.play(ideal[:-1])
    if any(c.id == "wait" for c in game.choices(state)):
        assert score(level, game.play(ideal[:-1] + ["wait"])).mot_score < 3


@pytest.mark.parametrize("level_id,scene,choice", [
    ("vp-who-didnt-listen", "small-talk", "ask-committee"),
    ("innocent-messenger", "need", "promise-john-call"),
    ("helpless-helpline", "impact", "check-now"),
])
def test_reasonable_moves_do_not_silently_cap_the_level(story, level_id, scene, choice):
    level = _level(level_id)
    taken = level.scenes[scene].choice(choice)
    best, _ = story[level_id].balance.choices[(scene, choice)]
    assert best >= 2 or taken.delta < 0  # +2 still reachable, or the meter shows the cost


def test_admitting_beats_defending_on_the_meter():
    level = _level("professional-competitor")
    deltas = {c.id: c.delta for s in level.scenes.values() for c in s.choices}
    assert deltas["admit-phasing"] > deltas["defend-march"]


def test_the_last_positive_moment_is_positive_on_the_meter():
    level = _level("who-killed-the-order")
    confirm_lost = next(c for s in level.scenes.values() for c in s.choices if c.id == "confirm-lost")
    assert confirm_lost.delta > 0
