"""The Footer draws the screen's keys as one line: what it shows follows the bindings (a move turns
1-4 Choose into Enter Continue; "1-4" as the cards shown number them), a click on a key presses it, the palette key shows only from 100
columns, and a change of keys is a repaint of the line, never a layout of the screen."""

from __future__ import annotations

from rich.cells import cell_len

from game.tui.screens.title import TitleScreen
from game.tui.widgets.footer import MotFooter
from tests.tui_helpers import choose, make_app, open_first_level, wait_for, wait_for_screen


def shown(app) -> str:
    return app.screen.query_one(MotFooter).render().plain


async def test_the_keys_follow_the_move_and_the_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await open_first_level(pilot)
        cards = len(scene.game.offered(scene.state))
        await wait_for(pilot, lambda: f" 1-{cards} Choose " in shown(app), what="1-n Choose, n the cards shown")
        assert 1 < cards < 9
        assert "Continue" not in shown(app)
        await choose(pilot, 1)
        await wait_for(pilot, lambda: " ⏎ Continue " in shown(app) or " enter Continue " in shown(app),
                       what="Enter Continue after the move")
        assert "Choose" not in shown(app)
        await pilot.press("f2")
        await wait_for(pilot, lambda: "继续" in shown(app), what="the keys in Chinese")
        assert scene.state.moves


async def test_a_change_of_keys_repaints_the_line_without_a_layout(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_level(pilot)
        footer = app.screen.query_one(MotFooter)
        await wait_for(pilot, lambda: "Choose" in shown(app), what="1-9 Choose")
        asked = []
        original = footer.refresh

        def refresh(*regions, **kwargs):
            asked.append(kwargs)
            return original(*regions, **kwargs)

        footer.refresh = refresh
        await choose(pilot, 1)
        await wait_for(pilot, lambda: "Continue" in shown(app), what="Enter Continue")
        assert asked and not any(kwargs.get("layout") for kwargs in asked)
        assert footer.size.height == 1 and not footer.children  # one line, no widget per key


async def test_a_click_on_a_key_presses_it_and_a_disabled_key_does_not(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, TitleScreen)
        footer = app.screen.query_one(MotFooter)
        await wait_for(pilot, lambda: "F2" in shown(app) or "f2" in shown(app), what="the F2 key")
        footer.render()
        start, end, key = next(span for span in footer._spans if span[2].key == "f2")
        assert shown(app)[start:end].strip().startswith(key.display)
        await pilot.click(MotFooter, offset=(start + 1, 0))
        await wait_for(pilot, lambda: app.lang == "zh" and "EN" in shown(app), what="the language switched by a click")
        footer = app.screen.query_one(MotFooter)  # the title screen was rebuilt in Chinese
        rang = []
        app.bell = lambda: rang.append(True)
        footer._keys = tuple(k._replace(disabled=True) if k.key == "f2" else k for k in footer._keys)
        footer.refresh()
        footer.render()
        start, _, _ = next(span for span in footer._spans if span[2].key == "f2")
        await pilot.click(MotFooter, offset=(start + 1, 0))
        await pilot.pause()
        assert rang and app.lang == "zh"


async def test_the_palette_key_shows_from_a_hundred_columns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, TitleScreen)
        await wait_for(pilot, lambda: shown(app).rstrip().endswith("palette"), what="the palette key at the right")
        assert cell_len(shown(app)) == 120 and "▏" in shown(app)
        await pilot.press("f2")  # the palette's key is Textual's own binding: it speaks Chinese too
        await wait_for(pilot, lambda: shown(app).rstrip().endswith("命令面板"), what="the palette key in Chinese")
        assert app.screen.query_one(MotFooter)._palette.tooltip == "打开命令面板"
        await pilot.press("f2")
        await wait_for(pilot, lambda: shown(app).rstrip().endswith("palette"), what="the palette key in English")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "palette" not in shown(app), what="no palette key at 80 columns")


async def test_naming_the_step_fits_eighty_columns_in_both_languages(tmp_path):
    """While a move's step waits to be named: one entry for e o a c, no Continue (Enter would
    skip the question) and no course card (it would tell the step); the Footer ends with F2."""
    from tests.test_debrief_sheet import story_app
    from game.tui.screens.scene import SceneScreen

    for lang, name in (("en", "e o a c Name the step"), ("zh", "e o a c 说出步骤")):
        app = story_app(tmp_path / lang, lang=lang, seed=4)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.wait_for_library()
            app.name_step = True
            app.push_screen(SceneScreen(app.library.campaigns[0].levels[1]))
            await wait_for(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.query("ChoiceCard"))
            scene = app.screen
            await pilot.press("1")
            await wait_for(pilot, lambda: scene.naming and name in shown(app), what="the naming keys")
            line = shown(app).rstrip()
            assert cell_len(line) <= 80 and line.endswith(("f2 中文", "f2 EN")), line
            assert "Continue" not in line and "继续" not in line and " r " not in line
