"""Play the example level through the real app and check it agrees with `mot run --json`."""

from __future__ import annotations

import json

import pytest

from game.cli import main as mot
from game.i18n import meter_text
from game.scoring import label
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.campaign_map import CampaignMapScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import make_app

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
async def test_playthrough_matches_headless_run(tmp_path, capsys, name, lang):
    expected = run_json(capsys, [cid for _, cid in PATHS[name]])
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CampaignMapScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await pilot.pause()
        scene = app.screen
        assert isinstance(scene, SceneScreen)
        meter = scene.query_one(PerceptionMeter)
        assert meter.value == -1
        for step, (number, choice_id) in enumerate(PATHS[name]):
            await pilot.press(str(number))
            await pilot.pause()
            assert scene.state.moves[-1].choice == choice_id
            want = expected["path"][step]["perception"]
            assert meter.value == want
            before = expected["path"][step - 1]["perception"] if step else expected["start"]
            assert meter.flash == meter_text(before, want, expected["path"][step]["delta"], lang)
            await pilot.press("enter")  # past the coach note
            await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
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
        await pilot.pause()
        scene = app.screen
        meter = scene.query_one(PerceptionMeter)
        assert meter.hidden
        await pilot.press("1")
        await pilot.pause()
        assert scene.last_choice is None  # no coach note: straight to the next scene
        assert scene.state.scene == "needs"
        assert not scene.query("#feedback")
        assert meter.flash == ""


async def test_language_switch_keeps_the_game(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        scene = app.screen
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "zh"
        assert scene.state.perception == 0 and scene.state.scene == "needs"
        assert scene.query_one(PerceptionMeter).value == 0
        assert "展会" in scene.query_one("#line").text
        assert scene.query_one("#speaker").text == "Grace Wang"


async def test_mouse_click_chooses(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await pilot.pause()
        from game.tui.widgets.choice_card import ChoiceCard

        second = list(app.screen.query(ChoiceCard))[1]
        await pilot.click(second)
        await pilot.pause()
        assert app.screen.state.moves[-1].choice == "offer-refund"


async def test_arrow_keys_and_enter_choose(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen.state.moves[-1].choice == "blame-courier"


async def test_locked_level_and_unlock(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first, second = app.library.campaigns[0].levels
        assert app.is_unlocked(first) and not app.is_unlocked(second)
        app.push_screen(SceneScreen(first))
        await pilot.pause()
        for _ in range(5):
            await pilot.press("1", "enter")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.is_unlocked(second)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.level.id == "follow-up"


async def test_help_opens_and_closes(tmp_path):
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        from game.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
