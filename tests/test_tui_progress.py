"""Progress that lasts: a restart keeps it, a corrupt save is set aside, the palette jumps."""

from __future__ import annotations

from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from tests.tui_helpers import choose, go_on, idle, make_app, tutorial_library, wait_for, wait_for_screen


async def _finish_first_level(app, pilot):
    app.push_screen(SceneScreen(app.library.level("first-call")))
    for _ in range(5):
        await choose(pilot, 1)
        await go_on(pilot)
    await wait_for_screen(pilot, DebriefScreen)


async def _loaded(app, pilot):
    """The start-up worker has opened the save file and applied its settings."""
    await wait_for(pilot, app.library_ready.is_set, what="the levels and the save file to load")
    await wait_for_screen(pilot, TitleScreen)


async def test_progress_survives_a_restart(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await _finish_first_level(app, pilot)
    again = make_app(tmp_path)  # a new process would open the same file
    async with again.run_test() as pilot:
        await _loaded(again, pilot)
        assert again.best_scores() == {"first-call": 3}
        assert again.is_unlocked(again.library.level("follow-up"))


async def test_language_choice_is_remembered(tmp_path):
    store = Store(tmp_path / "mot.sqlite3")
    app = MotApp(library=tutorial_library(), store=store, data_dir=tmp_path, shuffle=False)
    async with app.run_test() as pilot:
        await _loaded(app, pilot)
        first = app.lang
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang != first and store.get_setting("lang") == app.lang,
                       what="the language switch to be saved")
    again = MotApp(library=tutorial_library(), store=Store(tmp_path / "mot.sqlite3"))
    async with again.run_test() as pilot:
        await _loaded(again, pilot)
        assert again.lang != first


async def test_corrupt_save_is_set_aside_with_a_message(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "mot.sqlite3").write_bytes(b"this is not a database" * 100)
    app = MotApp(data_dir=home, library=tutorial_library(), lang="en")
    async with app.run_test() as pilot:
        await _loaded(app, pilot)
        assert app.store.notice is not None
        await wait_for(pilot, lambda: any("mot.sqlite3" in n.message for n in app._notifications),
                       what="the notice about the set-aside save")
        assert app.best_scores() == {}
    assert any(p.name.startswith("mot.sqlite3.corrupt-") for p in home.iterdir())


def _palette_offers(app, text: str) -> bool:
    """The palette lists its hits for what was typed, with one naming `text` highlighted."""
    from textual.command import CommandList, CommandPalette
    from textual.widgets import Input

    palette = app.screen
    if not isinstance(palette, CommandPalette) or not idle(app):
        return False
    hits = palette.query_one(CommandList)
    if palette.query_one(Input).value != text or not hits.option_count or hits.highlighted is None:
        return False
    return text in str(hits.get_option_at_index(hits.highlighted).prompt)


async def test_palette_jumps_to_an_unlocked_level(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test() as pilot:
        await _loaded(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"First Call")
        await wait_for(pilot, lambda: _palette_offers(app, "First Call"), what="the palette's hit for First Call")
        await pilot.press("enter")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.level.id == "first-call"


async def test_palette_offers_only_unlocked_levels(tmp_path):
    from game.tui.commands import LevelCommands

    app = make_app(tmp_path, lang="zh")
    async with app.run_test() as pilot:
        await _loaded(app, pilot)
        provider = LevelCommands(app.screen)
        names = [text for text, _ in provider._levels()]
        assert names == ["开始：入门：第一通电话 › 第一通电话"]


async def test_leaving_says_what_is_kept_and_a_finished_practice_run_leaves_nothing_to_continue(tmp_path):
    """Esc on a counted run: the question says the moves are kept (Continue goes on), and they
    are. After a step back the run is practice: the question says so, and finishing it removes
    the level's saved moves, so the title and the map no longer offer to continue it."""
    from game.tui.screens.confirm import ConfirmScreen

    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await _loaded(app, pilot)
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await choose(pilot, 1)
        await go_on(pilot)
        await choose(pilot, 1)
        await wait_for(pilot, lambda: app.store.progress(app.player) is not None
                       and len(app.store.progress(app.player).choices) == 2, what="two moves saved")
        await pilot.press("escape")
        confirm = await wait_for_screen(pilot, ConfirmScreen, focus=False)
        assert "Continue on the title screen goes on from here" in confirm.question
        await pilot.press("escape")  # no: back to the note
        scene = await wait_for_screen(pilot, SceneScreen)
        await pilot.press("u")  # step back: practice from here
        await wait_for(pilot, lambda: scene.practice_from is not None, what="a practice run")
        await pilot.press("escape")
        confirm = await wait_for_screen(pilot, ConfirmScreen, focus=False)
        assert "practice run is not kept" in confirm.question
        await pilot.press("escape")
        await wait_for_screen(pilot, SceneScreen)
        while not isinstance(app.screen, DebriefScreen):
            await choose(pilot, 1)
            await go_on(pilot)
        await wait_for(pilot, lambda: app.store.progress(app.player) is None, what="the saved moves gone")
