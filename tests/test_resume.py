"""Continue resumes the level, scene and meter the learner left, after Ctrl+Q (the level in
progress is saved after every move), and otherwise the campaign last played."""

from __future__ import annotations

from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import choose, go_on, tutorial_library, wait_for, wait_for_scene, wait_for_screen


def app_on(tmp_path, **kwargs) -> MotApp:
    return MotApp(lang="en", library=tutorial_library(), store=Store(tmp_path / "mot.sqlite3"),
                  player="tester", **kwargs)


async def _title(app, pilot) -> None:
    """The title, once the start-up worker has loaded the levels and the save file."""
    await wait_for(pilot, app.library_ready.is_set, what="the levels and the save file to load")
    await wait_for_screen(pilot, TitleScreen)


async def test_continue_after_ctrl_q_reopens_the_same_scene_and_meter(tmp_path):
    app = app_on(tmp_path, seed=21)
    async with app.run_test(size=(80, 24)) as pilot:
        await _title(app, pilot)
        app.push_screen(SceneScreen(app.library.level("first-call")))
        scene = await choose(pilot, 2)
        await go_on(pilot)
        assert len(scene.state.moves) == 1
        await choose(pilot, 1)
        assert len(scene.state.moves) == 2
        left = (scene.state.scene, scene.state.perception, [m.choice for m in scene.state.moves])
        await pilot.press("ctrl+q")
    again = app_on(tmp_path, seed=99)  # another seed now: the saved play keeps its own
    async with again.run_test(size=(80, 24)) as pilot:
        await _title(again, pilot)
        await pilot.press("c")
        scene = await wait_for_screen(pilot, SceneScreen, what="the resumed scene")
        assert (scene.state.scene, scene.state.perception, [m.choice for m in scene.state.moves]) == left
        assert scene.game.seed == 21
        assert scene.query_one(PerceptionMeter).value == left[1]


async def test_finishing_the_level_clears_the_progress_and_continue_goes_on(tmp_path):
    app = app_on(tmp_path, shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _title(app, pilot)
        app.push_screen(SceneScreen(app.library.level("first-call")))
        scene = await wait_for_scene(pilot)
        for choice_id in ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]:
            number = [c.id for c in scene.game.offered(scene.state)].index(choice_id) + 1
            await choose(pilot, number)
            await go_on(pilot)
        await wait_for_screen(pilot, DebriefScreen)
        assert app.store.progress("tester") is None
        assert app.store.last_played("tester") == "first-call"
    again = app_on(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await _title(again, pilot)
        await pilot.press("c")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.level.id == "follow-up"


def test_progress_round_trip(tmp_path):
    with Store(tmp_path / "p.sqlite3") as store:
        assert store.progress("ana") is None
        store.save_progress("ana", "first-call", 7, ["ask-impact", "ask-what-success"])
        store.save_progress("ana", "first-call", 7, ["ask-impact", "ask-what-success", "new-date"])
        saved = store.progress("ana")
        assert (saved.level_id, saved.seed, saved.choices) == ("first-call", 7, ("ask-impact", "ask-what-success", "new-date"))
        store.clear_progress("ana")
        assert store.progress("ana") is None
