"""Continue resumes the level, scene and meter the learner left, after Ctrl+Q (the level in
progress is saved after every move), and otherwise the campaign last played."""

from __future__ import annotations

from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import tutorial_library


def app_on(tmp_path, **kwargs) -> MotApp:
    return MotApp(lang="en", library=tutorial_library(), store=Store(tmp_path / "mot.sqlite3"),
                  player="tester", **kwargs)


async def wait_for(pilot, condition, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


async def test_continue_after_ctrl_q_reopens_the_same_scene_and_meter(tmp_path):
    app = app_on(tmp_path, seed=21)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_library()
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await wait_for(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.game is not None)
        scene = app.screen
        await pilot.press("2")
        await wait_for(pilot, lambda: scene.last_choice is not None)
        await pilot.press("enter")
        await wait_for(pilot, lambda: scene.last_choice is None and len(scene.state.moves) == 1)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(scene.state.moves) == 2)
        left = (scene.state.scene, scene.state.perception, [m.choice for m in scene.state.moves])
        await pilot.press("ctrl+q")
    again = app_on(tmp_path, seed=99)  # another seed now: the saved play keeps its own
    async with again.run_test(size=(80, 24)) as pilot:
        await again.wait_for_library()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(again.screen, SceneScreen))
        scene = again.screen
        assert (scene.state.scene, scene.state.perception, [m.choice for m in scene.state.moves]) == left
        assert scene.game.seed == 21
        assert scene.query_one(PerceptionMeter).value == left[1]


async def test_finishing_the_level_clears_the_progress_and_continue_goes_on(tmp_path):
    app = app_on(tmp_path, shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_library()
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await wait_for(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.game is not None)
        scene = app.screen
        for choice_id in ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]:
            number = [c.id for c in scene.game.offered(scene.state)].index(choice_id) + 1
            await pilot.press(str(number))
            await wait_for(pilot, lambda: scene.last_choice is not None)
            await pilot.press("enter")
            await wait_for(pilot, lambda: scene.last_choice is None)
        await wait_for(pilot, lambda: not isinstance(app.screen, SceneScreen))
        assert app.store.progress("tester") is None
        assert app.store.last_played("tester") == "first-call"
    again = app_on(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.wait_for_library()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(again.screen, BriefingScreen))
        assert again.screen.level.id == "follow-up"


def test_progress_round_trip(tmp_path):
    with Store(tmp_path / "p.sqlite3") as store:
        assert store.progress("ana") is None
        store.save_progress("ana", "first-call", 7, ["ask-impact", "ask-what-success"])
        store.save_progress("ana", "first-call", 7, ["ask-impact", "ask-what-success", "new-date"])
        saved = store.progress("ana")
        assert (saved.level_id, saved.seed, saved.choices) == ("first-call", 7, ("ask-impact", "ask-what-success", "new-date"))
        store.clear_progress("ana")
        assert store.progress("ana") is None
