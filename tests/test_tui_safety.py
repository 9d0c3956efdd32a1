"""Bad input in the app: a broken level is listed with its error; level text is shown as data."""

from __future__ import annotations

import shutil

from game.library import load_library
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.choice_card import ChoiceCard
from tests.conftest import FIRST_CALL
from tests.tui_helpers import make_app, open_map, wait_for, wait_for_scene, wait_for_screen


def broken_library(tmp_path):
    folder = tmp_path / "levels" / "course"
    folder.mkdir(parents=True)
    shutil.copy(FIRST_CALL, folder / "01-first-call.toml")
    (folder / "02-broken.toml").write_text('format = 1\n[level]\nid = "broken"\nstart = 42\n', encoding="utf-8")
    return load_library(tmp_path / "levels")


async def test_broken_level_is_listed_with_its_error_and_the_rest_plays(tmp_path):
    library = broken_library(tmp_path)
    app = make_app(tmp_path, library=library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_map(pilot)
        keys = list(screen._entries)
        assert "level:first-call" in keys and any(k.startswith("broken:") for k in keys)
        await pilot.press("down")  # onto the broken file
        await wait_for(pilot, lambda: "02-broken.toml" in str(screen.query_one("#detail-title").content),
                       what="the broken file's detail")
        text = screen.query_one("#detail-text").text
        assert "02-broken.toml:1:1: error[E003]: a level file is missing the required key `scene`" in text
        await pilot.press("enter")  # opening it explains instead of crashing
        await wait_for(pilot, lambda: any("error[E003]" in n.message for n in app._notifications),
                       what="the broken file's error as a notification")
        assert app.screen is screen
        await pilot.press("up", "enter")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.level.id == "first-call"


async def test_level_text_is_data_not_markup_or_terminal_codes(tmp_path):
    folder = tmp_path / "levels" / "course"
    folder.mkdir(parents=True)
    source = FIRST_CALL.read_text(encoding="utf-8")
    source = source.replace("Where are they?", "Where are [bold red]they[/]? \\u001b[2J\\u001b]0;pwned\\u0007")
    source = source.replace("I'm sorry. Before I chase it:", "[link=http://x]Click[/link] I'm sorry:")
    (folder / "01-first-call.toml").write_text(source, encoding="utf-8")
    library = load_library(tmp_path / "levels")
    app = make_app(tmp_path, library=library)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SceneScreen(library.level("first-call")))
        await wait_for_scene(pilot)
        line = app.screen.query_one("#line").text
        assert "[bold red]they[/]?" in line  # shown literally
        assert "\x1b" not in line and "\x07" not in line  # terminal codes stripped
        card = app.screen.query(ChoiceCard).first()
        assert "[link=http://x]Click[/link]" in card.render().plain
        shown = app.screen.query_one("#line").render().plain
        assert "[bold red]they[/]?" in shown and "\x1b" not in shown
