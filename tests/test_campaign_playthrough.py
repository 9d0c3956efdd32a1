"""Play the "Who Killed the Order" campaign through the real app.

On the ideal path every level, played through the app one after the other, scores +3 and the
finale reaches its best ending. On a poor path (the analyser's worst path in each level, saved
as the player's runs: every level is played through the app by other tests) the finale, played
through the app, ends somewhere worse.
"""

from __future__ import annotations

from pathlib import Path

from game.library import Library
from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.debrief import DebriefScreen
from tests.test_campaigns import LIBRARY, report
from tests.tui_helpers import choose, go_on, open_map, wait_for_scene, wait_for_screen

CAMPAIGN = LIBRARY.campaign("who-killed-the-order")
FINALE = CAMPAIGN.levels[-1]


async def play_campaign(tmp_path: Path, pick, store: Store | None = None,
                        levels=CAMPAIGN.levels) -> dict[str, str]:
    """Title → map → each of `levels` (briefing, scene, debrief, next) → the finale. Returns endings."""
    library = Library(LIBRARY.root, campaigns=[CAMPAIGN])
    app = MotApp(lang="zh", library=library, store=store or Store(tmp_path / "mot.sqlite3"), player="class")
    endings: dict[str, str] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await open_map(pilot)
        if levels[0] is CAMPAIGN.levels[0]:
            await pilot.press("enter")  # the first level of the campaign
        else:
            app.open_level(levels[0])
        for level in levels:
            briefing = await wait_for_screen(pilot, BriefingScreen, what=f"the briefing of {level.id}")
            assert briefing.level.id == level.id
            await pilot.press("enter")
            scene = await wait_for_scene(pilot)
            while not scene.state.finished:
                choice_id = pick(level, scene)
                available = [c.id for c in scene.game.offered(scene.state)]
                await choose(pilot, available.index(choice_id) + 1)
                assert scene.state.moves[-1].choice == choice_id
                await go_on(pilot)
            debrief = await wait_for_screen(pilot, DebriefScreen, what=f"the debrief of {level.id}")
            endings[level.id] = debrief.result.ending
            if level is FINALE:
                break
            await pilot.press("n")
    return endings, app.store.best_scores("class")


def ideal_pick(level, scene) -> str:
    return next(c.id for c in scene.game.offered(scene.state) if c.ideal)


def worst_pick(level, scene) -> str:
    """The analyser's worst path; in the finale, the ideal moves as far as they go."""
    if level is FINALE:
        available = scene.game.choices(scene.state)  # the file's order: the same pick every run
        return next((c.id for c in available if c.ideal), available[-1].id)
    path = report(level.id).worst.choices
    return path[len(scene.state.moves)]


async def test_ideal_campaign_reaches_the_best_ending(tmp_path):
    endings, best = await play_campaign(tmp_path, ideal_pick)
    assert all(v == 3 for v in best.values()) and len(best) == len(CAMPAIGN.levels)
    assert endings[FINALE.id] == report(FINALE.id).best.ending


async def test_poor_campaign_reaches_a_worse_ending(tmp_path):
    from game.engine import Game
    from game.scoring import score

    store = Store(tmp_path / "mot.sqlite3")
    for level in CAMPAIGN.levels[:-1]:  # the earlier levels, as the player left them
        state = Game(level).play(report(level.id).worst.choices)
        store.record_run("class", level.id, CAMPAIGN.campaign.id, state, score(level, state), mode="learn")
    endings, best = await play_campaign(tmp_path, worst_pick, store, levels=[FINALE])
    assert max(v for k, v in best.items() if k != FINALE.id) <= -2
    assert endings[FINALE.id] != report(FINALE.id).best.ending
