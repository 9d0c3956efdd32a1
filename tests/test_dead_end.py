"""A level with a dead end (mot check's W103) must not show a blank stage in play: the scene
says no move is available, why, and how to leave — in both languages."""

from pathlib import Path

from game.engine import Game
from game.loader import load_level
from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.scene import SceneScreen
from tests.tui_helpers import wait_for, wait_for_screen

STUCK = Path(__file__).parent / "broken" / "w103-stuck-flag.toml"


async def test_a_dead_end_says_so_instead_of_a_blank_stage(tmp_path):
    level = load_level(STUCK).level
    stuck = Game(level).play(["refund", "loaners", "deliver"])
    assert stuck.scene == "follow" and Game(level).choices(stuck) == []
    app = MotApp(lang="en", store=Store(tmp_path / "mot.sqlite3"), shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(level))
        screen = await wait_for_screen(pilot, SceneScreen, lambda s: s.query("ChoiceCard"))
        assert not screen.query("#stuck")
        screen.state = stuck
        await screen._redraw_stage()
        await wait_for(pilot, lambda: screen.query("#stuck"), what="the dead-end message")
        said = str(screen.query_one("#stuck").render())
        assert "No move is available here" in said and "W103" in said and "Esc" in said
        await pilot.press("f2")
        await wait_for(pilot, lambda: "没有可选的行动" in str(screen.query_one("#stuck").render()),
                       what="the message in Chinese")
