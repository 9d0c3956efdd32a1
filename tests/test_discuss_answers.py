"""Discussion questions may carry a model answer (`{ q = …, a = … }`; the plain form still
works), which the debrief reveals on demand, so a learner alone is not left hanging."""

from __future__ import annotations

from pathlib import Path

from game.commands.check import check
from game.library import Library, load_folder
from game.loader import load_level
from game.store import Store
from game.tui.app import MotApp
from tests.tui_helpers import wait_for

BASE = Path(__file__).resolve().parent / "fixtures" / "balance" / "base-balanced.toml"


def level_file(tmp_path, discuss: str) -> Path:
    text = BASE.read_text("utf-8").replace('start = "open"\n', f'start = "open"\ndiscuss = {discuss}\n', 1)
    path = tmp_path / "lv" / "01-lv.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_both_forms_load(tmp_path):
    path = level_file(tmp_path, '["Plain question?", { q = { en = "Why?", zh = "为什么？" }, '
                                'a = { en = "Because.", zh = "因为。" } }]')
    level = load_level(path).level
    assert [q.get("en") for q in level.discuss] == ["Plain question?", "Why?"]
    assert [a.get("zh") for a in level.answers] == ["", "因为。"]
    assert check([path])[1] == []


def test_a_bad_entry_is_a_clear_error(tmp_path):
    path = level_file(tmp_path, '[{ a = "An answer without its question", hint = "x" }]')
    codes = sorted((d.code, d.message) for d in check([path])[1])
    assert [c for c, _ in codes] == ["E003", "E004"]
    assert "needs its question `q`" in codes[0][1] and "unknown key `hint`" in codes[1][1]


async def test_the_debrief_reveals_the_answer_on_demand(tmp_path):
    from game.engine import Game
    from game.scoring import score
    from game.tui.screens.debrief import DebriefScreen

    path = level_file(tmp_path, '[{ q = "Why did the customer stay?", a = "You asked before you offered." }]')
    entry, _ = load_folder(path.parent)
    app = MotApp(lang="en", library=Library(path.parent, campaigns=[entry]),
                 store=Store(tmp_path / "mot.sqlite3"), player="tester", shuffle=False)
    async with app.run_test(size=(80, 24)) as pilot:
        level = entry.levels[0]
        state = Game(level).play(["ask", "check"])
        app.push_screen(DebriefScreen(level, state, score(level, state)))
        await pilot.pause()
        debrief = app.screen
        debrief.query_one("#tabs").active = "tab-discuss"
        await wait_for(pilot, lambda: debrief.query("#answer-1"), what="the Discuss tab's answers")
        answer = debrief.query_one("#answer-text-1")
        assert not answer.display
        debrief.query_one("#answer-1").press()
        await wait_for(pilot, lambda: answer.display, what="the model answer to show")
        assert answer.display and "You asked before you offered." in answer.text
        # F2: the same tab, the same answer open, in Chinese
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == "zh" and debrief.query("#answer-text-1")
                       and debrief.query_one("#answer-text-1") is not answer, what="the debrief in Chinese")
        assert debrief.query_one("#tabs").active == "tab-discuss"
        assert debrief.query_one("#answer-text-1").display and not debrief.query_one("#answer-1").display
