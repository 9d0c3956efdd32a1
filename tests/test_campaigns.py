"""Every shipped level is checked, analysed and played: the acceptance of the campaigns.

For each level: 0 errors and 0 warnings; every ending reachable; the ideal path is a best
path and scores +3; the worst path scores −2 or below; every choice lies on some path; and the
ideal and worst paths play through the engine to the scores the analyser predicted.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from game.analysis import analyse
from game.commands.check import check
from game.engine import Game
from game.library import load_library
from game.scoring import score
from tests.conftest import LEVELS

LIBRARY = load_library(LEVELS)
ALL_LEVELS = [lv for lv in LIBRARY.levels]
STORY_CAMPAIGNS = {"who-killed-the-order", "customer-first"}


@lru_cache(maxsize=None)
def report(level_id: str):
    return analyse(LIBRARY.level(level_id))


def test_shipped_levels_check_clean():
    levels, diagnostics, _ = check([LEVELS])
    assert levels >= len(ALL_LEVELS)
    assert [str(d) for d in diagnostics] == []
    assert LIBRARY.broken == []


def test_who_killed_the_order_has_its_eight_levels():
    entry = LIBRARY.campaign("who-killed-the-order")
    assert [lv.id for lv in entry.levels] == [
        "the-decision", "innocent-messenger", "well-meaning-colleague", "busy-account-manager",
        "professional-competitor", "vp-who-didnt-listen", "helpless-helpline", "who-killed-the-order",
    ]
    assert entry.levels[-1].scorecard


@pytest.mark.parametrize("level", ALL_LEVELS, ids=lambda lv: lv.id)
def test_level_paths(level):
    r = report(level.id)
    assert r.complete
    assert r.unreachable_endings == [], "every ending reachable"
    assert r.unreachable_scenes == []
    assert r.unused_choices == [], "every choice on some path"
    assert r.stuck_scenes == []
    assert r.ideal is not None, "the ideal choices lead to an ending"
    assert r.ideal.score == r.best.score == 3
    assert r.worst.score <= -2


@pytest.mark.parametrize("level", ALL_LEVELS, ids=lambda lv: lv.id)
def test_level_plays_as_analysed(level):
    """The analyser's ideal and worst paths replay in the engine to the same scores and endings."""
    r = report(level.id)
    for info in (r.ideal, r.best, r.worst):
        state = Game(level, info.scores).play(info.choices)
        assert state.finished and state.ending == info.ending
        assert score(level, state).mot_score == info.score


@pytest.mark.parametrize(
    "level", [lv for lv in ALL_LEVELS if lv.campaign in STORY_CAMPAIGNS], ids=lambda lv: lv.id
)
def test_story_level_size(level):
    steps = {c.step for s in level.scenes.values() for c in s.choices}
    assert len(level.scenes) >= 8
    assert len(level.endings) >= 3
    assert steps == {"explore", "offer", "act", "confirm"}
    assert level.discoveries and level.discuss
    for scene in level.scenes.values():
        for choice in scene.choices:
            assert choice.feedback and choice.thought, f"{scene.id}/{choice.id} needs feedback and a thought"
