"""The course's reference cards: every card in both languages on the help screen, and one key
(r) away from a coach's note that cites one."""

from __future__ import annotations

import pytest

from game.model import Text
from game.reference import cards, cited_by
from game.tui.screens.help import HelpScreen
from game.tui.screens.reference import ReferenceScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.prose import Prose
from tests.tui_helpers import make_app, wait_for

EXPECTED = ["four-steps", "scoring-scale", "wins", "expectations", "listening-barriers",
            "listening-habits", "appropriate-offer", "qualifying-questions", "offer-timing",
            "five-cs", "managing-expectations", "confirming", "word-of-mouth"]


def test_every_card_is_there_in_both_languages():
    assert [c.id for c in cards()] == EXPECTED
    for c in cards():
        for lang in ("en", "zh"):
            assert c.title.by_lang.get(lang) and c.body.by_lang.get(lang), (c.id, lang)
        assert c.cites, c.id


def test_numbered_lists_from_the_course():
    barriers = next(c for c in cards() if c.id == "listening-barriers").body.get("en")
    habits = next(c for c in cards() if c.id == "listening-habits").body.get("zh")
    assert "11." in barriers and "12." not in barriers
    assert "7." in habits and "8." not in habits


def test_citations_are_found_in_either_language():
    assert [c.id for c in cited_by(Text({"en": "The 5 Cs: for the Customer…"}))] == ["five-cs"]
    assert "five-cs" in [c.id for c in cited_by(Text({"zh": "5C：为了客户、有应变"}))]
    assert cited_by(Text({"en": "Nice weather."})) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_shows_every_card(tmp_path, lang):
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(p.text for p in app.screen.query(Prose))
        for c in cards():
            assert app.screen.query_one(f"#card-{c.id}")
            assert c.body.get(lang).splitlines()[1] in shown


async def test_r_opens_the_cards_a_coach_note_cites(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        level = app.library.level("first-call")
        app.push_screen(SceneScreen(level))
        await pilot.pause()
        scene = app.screen
        citing = next(c for c in scene.game.offered(scene.state) if cited_by(c.feedback))
        await pilot.press(str(scene.game.offered(scene.state).index(citing) + 1))
        await pilot.pause()
        assert scene.query("#cites")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReferenceScreen)
        assert [c.id for c in app.screen.cards] == [c.id for c in cited_by(citing.feedback)]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is scene


async def test_the_command_palette_speaks_chinese(tmp_path):
    from textual.command import CommandInput, CommandPalette

    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "主题" in titles and "退出" in titles and "Theme" not in titles
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.query(CommandInput),
                       what="the command palette")
        assert app.screen.query_one(CommandInput).placeholder == "搜索关卡或命令……"
