"""Progress that lasts: a restart keeps it, a corrupt save is set aside, the palette jumps."""

from __future__ import annotations

from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.scene import SceneScreen
from tests.tui_helpers import make_app, tutorial_library


async def _finish_first_level(app, pilot):
    app.push_screen(SceneScreen(app.library.level("first-call")))
    await pilot.pause()
    for _ in range(5):
        await pilot.press("1", "enter")
        await pilot.pause()


async def test_progress_survives_a_restart(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await _finish_first_level(app, pilot)
    again = make_app(tmp_path)  # a new process would open the same file
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.best_scores() == {"first-call": 3}
        assert again.is_unlocked(again.library.level("follow-up"))


async def test_language_choice_is_remembered(tmp_path):
    store = Store(tmp_path / "mot.sqlite3")
    app = MotApp(library=tutorial_library(), store=store, data_dir=tmp_path, shuffle=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        first = app.lang
        await pilot.press("f2")
        await pilot.pause()
    again = MotApp(library=tutorial_library(), store=Store(tmp_path / "mot.sqlite3"))
    async with again.run_test() as pilot:
        await again.library_ready.wait()
        await pilot.pause()
        assert again.lang != first


async def test_corrupt_save_is_set_aside_with_a_message(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "mot.sqlite3").write_bytes(b"this is not a database" * 100)
    app = MotApp(data_dir=home, library=tutorial_library(), lang="en")
    async with app.run_test() as pilot:
        await app.library_ready.wait()
        await pilot.pause()
        assert app.store.notice is not None
        assert any("mot.sqlite3" in n.message for n in app._notifications)
        assert app.best_scores() == {}
    assert any(p.name.startswith("mot.sqlite3.corrupt-") for p in home.iterdir())


async def test_palette_jumps_to_an_unlocked_level(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"First Call")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.level.id == "first-call"


async def test_palette_offers_only_unlocked_levels(tmp_path):
    from game.tui.commands import LevelCommands

    app = make_app(tmp_path, lang="zh")
    async with app.run_test() as pilot:
        await pilot.pause()
        provider = LevelCommands(app.screen)
        names = [text for text, _ in provider._levels()]
        assert names == ["开始：入门：第一通电话 › 第一通电话"]
