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
