"""Play the example level through the real app and check it agrees with `mot run --json`."""

from __future__ import annotations

import json

import pytest

from game.cli import main as mot
from game.i18n import meter_text
from game.scoring import label
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets import meter as meter_module
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import choose, choosing, coaching, go_on, make_app, open_first_level, wait_for_scene, wait_for_screen

# Choice numbers as shown on screen (available choices, in order) and the ids they stand for.
PATHS = {
    "ideal": [(1, "ask-impact"), (1, "ask-what-success"), (1, "loaners-and-note"), (1, "five-cs"), (1, "call-grace")],
    "refund": [(2, "offer-refund"), (3, "repeat-policy")],
    "overpromise": [(3, "blame-courier"), (2, "promise-thursday"), (1, "wait-for-customs"), (2, "apologise-late")],
}


def run_json(capsys, ids: list[str]) -> dict:
    capsys.readouterr()
    assert mot(["run", "first-call", "--choices", ",".join(ids), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(PATHS))
async def test_playthrough_matches_headless_run(tmp_path, capsys, monkeypatch, name, lang):
    monkeypatch.setattr(meter_module, "FLASH_SECONDS", 3600)  # the flash stays until it is read
    expected = run_json(capsys, [cid for _, cid in PATHS[name]])
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TitleScreen)
        scene = await open_first_level(pilot)
        meter = scene.query_one(PerceptionMeter)
        assert meter.value == -1
        for step, (number, choice_id) in enumerate(PATHS[name]):
            await choose(pilot, number)
            assert scene.state.moves[-1].choice == choice_id
            want = expected["path"][step]["perception"]
            assert meter.value == want
            before = expected["path"][step - 1]["perception"] if step else expected["start"]
            assert meter.flash == meter_text(before, want, expected["path"][step]["delta"], lang)
            await go_on(pilot)  # past the coach note
        debrief = await wait_for_screen(pilot, DebriefScreen)
        result = debrief.result
        assert result.mot_score == expected["mot_score"]
        assert (result.peak, result.end) == (expected["peak"], expected["end"])
        assert list(result.trace) == expected["trace"]
        assert result.adherence.total == expected["adherence"]["total"]
        assert list(result.found) == expected["discoveries"]["found"]
        assert result.label(lang) == label(expected["mot_score"], lang)
    # The run was saved: best score and the next level unlocked.
    assert app.store.best_scores("tester")["first-call"] == expected["mot_score"]


async def test_exam_mode_hides_meter_and_feedback(tmp_path):
    app = make_app(tmp_path, exam=True)
    async with app.run_test(size=(80, 24)) as pilot:
        level = app.library.level("first-call")
        app.push_screen(SceneScreen(level))
        scene = await wait_for_scene(pilot)
        meter = scene.query_one(PerceptionMeter)
        assert meter.hidden
        await choose(pilot, 1)  # in exam mode: waits for the next scene's cards
        assert scene.last_choice is None  # no coach note: straight to the next scene
        assert scene.state.scene == "needs" and len(scene.state.moves) == 1
        assert not scene.query("#feedback")
        assert meter.flash == ""


async def test_language_switch_keeps_the_game(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        scene = await choose(pilot, 1)
        await go_on(pilot)
        assert scene.query_one("#speaker").text == "Grace Wang" and "展会" not in scene.query_one("#line").text
        await pilot.press("f2")
        await wait_for_screen(pilot, SceneScreen, lambda s: choosing(s) and "展会" in s.query_one("#line").text,
                              what="the scene redrawn in Chinese")
        assert app.lang == "zh"
        assert scene.state.perception == 0 and scene.state.scene == "needs"
        assert scene.query_one(PerceptionMeter).value == 0
        assert scene.query_one("#speaker").text == "Grace Wang"


async def test_mouse_click_chooses(tmp_path):
    from game.tui.widgets.choice_card import ChoiceCard

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        scene = await wait_for_scene(pilot)
        second = list(scene.query(ChoiceCard))[1]
        await pilot.click(second)
        await wait_for_screen(pilot, SceneScreen, lambda s: len(s.state.moves) == 1 and coaching(s),
                              what="the clicked card's move")
        assert scene.state.moves[-1].choice == "offer-refund"


async def test_arrow_keys_and_enter_choose(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        scene = await wait_for_scene(pilot)
        await pilot.press("down", "down", "enter")
        await wait_for_screen(pilot, SceneScreen, lambda s: len(s.state.moves) == 1 and coaching(s),
                              what="the move made with the arrows")
        assert scene.state.moves[-1].choice == "blame-courier"


async def test_locked_level_and_unlock(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first, second = app.library.campaigns[0].levels
        assert app.is_unlocked(first) and not app.is_unlocked(second)
        app.push_screen(SceneScreen(first))
        for _ in range(5):
            await choose(pilot, 1)
            await go_on(pilot)
        await wait_for_screen(pilot, DebriefScreen)
        assert app.is_unlocked(second)
        await pilot.press("n")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.level.id == "follow-up"


async def test_help_opens_and_closes(tmp_path):
    from game.tui.screens.help import HelpScreen

    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TitleScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, TitleScreen, what="the title again")
