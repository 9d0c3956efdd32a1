"""Scene variants: a scene worded for the situation the player arrives in."""

from __future__ import annotations

from game.cli import main as mot
from game.engine import Game
from game.loader import load_level
from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.scene import SceneScreen
from tests.conftest import TUTORIAL
from tests.tui_helpers import tutorial_library

WARM = "After the trade fair, you were the first person I thought of for June."
PLAIN = "Alex? It's Grace from FILTEX. We need to talk about June."


def follow_up():
    return load_level(TUTORIAL / "02-follow-up.toml", known_levels={"first-call"}).level


def test_the_first_variant_that_holds_is_the_text():
    level = follow_up()
    assert len(level.scenes["greeting"].variants) == 1
    for earlier, expected in ((3, WARM), (2, WARM), (1, PLAIN), (-3, PLAIN)):
        game = Game(level, {"first-call": earlier})
        assert expected in game.scene_text(game.start()).get("en")
    assert PLAIN in Game(level).scene_text(Game(level).start()).get("en")  # not played yet: 0


def test_the_transcript_shows_the_words_the_player_met(capsys):
    assert mot(["run", "follow-up", "--ideal", "--score", "first-call=3", "--lang", "en"]) == 0
    assert WARM in capsys.readouterr().out
    assert mot(["run", "follow-up", "--choices", "ask-june,plain-quote,on-site,confirm-opening",
                "--lang", "en"]) == 0
    assert PLAIN in capsys.readouterr().out


async def test_the_scene_screen_shows_the_variant_and_keeps_it_under_the_coach_note(tmp_path):
    library = tutorial_library()
    app = MotApp(lang="en", library=library, store=Store(tmp_path / "mot.sqlite3"), shuffle=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SceneScreen(library.level("follow-up"), scores={"first-call": 3}))
        await pilot.pause()
        assert WARM in app.screen.query_one("#line").text
        await pilot.press("1")  # ask-june: the coach note shows beside the words she said
        await pilot.pause()
        assert WARM in app.screen.query_one("#line").text


def test_translators_see_variant_texts(capsys):
    assert mot(["strings", "export", "follow-up", "--lang", "zh", "--format", "csv"]) == 0
    rows = capsys.readouterr().out
    assert "scene.greeting.variant.0.text" in rows and WARM in rows
