"""`mot play FILE.toml`: edit the file while playing, ctrl+r, land on the same scene and meter."""

from __future__ import annotations

import shutil

from game.tui.playtest import PlaytestApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.errors import ErrorsScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.meter import PerceptionMeter
from tests.conftest import TUTORIAL
from tests.tui_helpers import choose, choosing, go_on, wait_for_screen


def copy_level(tmp_path):
    path = tmp_path / "01-first-call.toml"
    shutil.copy(TUTORIAL / "01-first-call.toml", path)
    return path


async def _play_two_moves(pilot):
    """The first card twice, each past its coach's note; returns the scene."""
    for _ in range(2):
        scene = await choose(pilot, 1)
        await go_on(pilot)
    return scene


async def _reloaded(pilot, old):
    """After ctrl+r: a new scene (not `old`) showing its cards."""
    return await wait_for_screen(pilot, SceneScreen, lambda s: s is not old and choosing(s),
                                 what="the reloaded scene")


async def test_reload_replays_to_the_same_scene_and_meter(tmp_path):
    path = copy_level(tmp_path)
    app = PlaytestApp(path, lang="en", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await _play_two_moves(pilot)
        assert first.state.scene == "plan" and first.query_one(PerceptionMeter).value == 1
        # An edit to the text of the scene the author is looking at.
        source = path.read_text(encoding="utf-8")
        path.write_text(source.replace("Customs will not release the parcel before Friday.",
                                       "Customs now say Friday at the earliest."), encoding="utf-8")
        await pilot.press("ctrl+r")
        scene = await _reloaded(pilot, first)
        assert [m.choice for m in scene.state.moves] == ["ask-impact", "ask-what-success"]
        assert scene.state.scene == "plan" and scene.query_one(PerceptionMeter).value == 1
        assert "Friday at the earliest" in scene.query_one("#narration").text
        # A broken edit: the errors show, with file:line:col, and nothing is lost.
        path.write_text(source.replace('next = "deliver"', 'next = "nowhere"', 1), encoding="utf-8")
        await pilot.press("ctrl+r")
        errors = await wait_for_screen(pilot, ErrorsScreen)
        shown = [str(d) for d in errors.diagnostics]
        assert any(":" in s and "error[E008]" in s and "01-first-call.toml:" in s for s in shown)
        # Fixed again: back on the same scene.
        path.write_text(source, encoding="utf-8")
        await pilot.press("ctrl+r")
        assert (await _reloaded(pilot, errors)).state.scene == "plan"


async def test_reload_stops_where_an_edit_removed_a_choice(tmp_path):
    path = copy_level(tmp_path)
    app = PlaytestApp(path, lang="zh", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await _play_two_moves(pilot)
        source = path.read_text(encoding="utf-8")
        path.write_text(source.replace('id = "ask-what-success"', 'id = "ask-about-thursday"'), encoding="utf-8")
        await pilot.press("ctrl+r")
        scene = await _reloaded(pilot, first)
        assert [m.choice for m in scene.state.moves] == ["ask-impact"]
        assert scene.state.scene == "needs" and scene.query_one(PerceptionMeter).value == 0


async def test_replay_to_the_end_shows_the_debrief(tmp_path):
    path = copy_level(tmp_path)
    app = PlaytestApp(path, lang="en", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await choose(pilot, 1)
            await go_on(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)
        await pilot.press("ctrl+r")
        again = await wait_for_screen(pilot, DebriefScreen, lambda s: s is not debrief, what="a new debrief")
        assert again.result.mot_score == 3 and [m.choice for m in again.state.moves] == [
            m.choice for m in debrief.state.moves]


async def test_a_file_broken_from_the_start_shows_errors(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b"format = 1\n[level\n")
    app = PlaytestApp(path, lang="en", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        errors = await wait_for_screen(pilot, ErrorsScreen)
        first = str(errors.diagnostics[0])
        assert "bad.toml:2:" in first and "error[E001]" in first


def test_play_a_missing_file_says_so_without_opening_the_app(tmp_path, capsys):
    from game.cli import main

    assert main(["play", str(tmp_path / "nope.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
