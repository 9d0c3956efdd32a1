"""`mot scoreboard`: runs and live moves written by another connection show within 2 s;
F2 switches language; Ctrl+Q quits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from game.engine import Game
from game.scoring import POINTS_FORMULA, score
from game.store import Store
from game.tui.scoreboard import ScoreboardApp
from game.tui.screens.scoreboard import LiveCard, RankCard, ScoreboardScreen
from tests.tui_helpers import tutorial_library
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def wait_until(pilot, condition, limit: float = 60.0) -> int:
    """How many of the scoreboard's reads (one per POLL_SECONDS) it took until `condition()`
    held. The promise is "within two seconds" of a write on an idle machine, i.e. the next read
    or the one after: counted in reads, so a busy machine slows the test but cannot fail it."""
    app = pilot.app
    start, first = time.monotonic(), app.reads
    while not condition():
        assert time.monotonic() - start < limit, "the scoreboard never showed the change"
        await pilot.pause(0.05)
    return app.reads - first


async def test_scoreboard_follows_another_connection_within_two_seconds(tmp_path, level):
    db = tmp_path / "room.sqlite3"
    app = ScoreboardApp("周一班", db, lang="en", library=tutorial_library())
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScoreboardScreen)
                         and "No finished runs yet." in screen_text(app))
        assert "Room 周一班 · scoreboard" in screen_text(app)
        assert POINTS_FORMULA["en"] in screen_text(app)
        assert "No finished runs yet." in screen_text(app)

        with Store(db) as writer:  # another connection, as another terminal would be
            writer.update_live("周一班", "蓝队", level.id, 1, -2, "O")
            waited = await wait_until(pilot, lambda: len(app.screen.query(LiveCard)) == 1)
            card = app.screen.query_one(LiveCard)
            assert (card.row.team, card.row.moves, card.row.perception, card.row.steps) == (
                "蓝队", 1, -2, "O")
            await wait_until(pilot, lambda: "A First Call · Moves 1" in screen_text(app))  # mounted
            assert "蓝队  playing" in screen_text(app)
            assert "unmet" in screen_text(app)
            assert waited <= 2  # the next read or the one after (POLL_SECONDS = 1)

            state = Game(level).play(IDEAL)
            writer.record_run("红队", level.id, level.campaign, state, score(level, state),
                              mode="classroom", room="周一班", team="红队")
            waited = await wait_until(pilot, lambda: len(app.screen.query(RankCard)) == 1
                                      and app.screen.query(RankCard).first().query(".points")  # mounted
                                      and len(app.screen.query(LiveCard)) == 2)
            (rank,) = app.screen.query(RankCard)
            assert (rank.place, rank.row.team, rank.row.points) == (1, "红队", 86)
            assert str(rank.query_one(".points").value) == "86"
            teams = [c.row.team for c in app.screen.query(LiveCard)]
            assert teams == ["蓝队", "红队"]  # playing first, then finished
            assert app.screen.query(LiveCard)[1].row.finished
            assert waited <= 2  # the next read or the one after (POLL_SECONDS = 1)

            writer.update_live("周一班", "蓝队", level.id, 2, -3, "OO")
            # (Cards are rebuilt on a read: between two frames there may be none, so look for it.)
            await wait_until(pilot, lambda: any(c.row.team == "蓝队" and c.row.perception == -3
                                                for c in app.screen.query(LiveCard)))
            state = Game(level).play(["offer-refund", "repeat-policy"])
            writer.record_run("蓝队", level.id, level.campaign, state, score(level, state),
                              mode="classroom", room="周一班", team="蓝队")
            writer.update_live("别的班", "绿队", level.id, 1, 1, "E")  # another room: not shown
            await wait_until(pilot, lambda: len(app.screen.query(RankCard)) == 2)
            assert [(c.place, c.row.team, c.row.points) for c in app.screen.query(RankCard)] == [
                (1, "红队", 86), (2, "蓝队", 5)]
            assert "绿队" not in screen_text(app)

        await pilot.press("f2")
        await wait_until(pilot, lambda: app.lang == "zh" and "第一通电话" in screen_text(app))
        text = screen_text(app)
        assert "房间 周一班 · 计分板" in text and POINTS_FORMULA["zh"] in text
        assert "第一通电话" in text  # the level's own title, in Chinese
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_scoreboard_command_parses(tmp_path, monkeypatch):
    from game.cli import build_parser

    args = build_parser().parse_args(["scoreboard", "--room", "R", "--db", str(tmp_path / "x"),
                                      "--lang", "zh"])
    assert (args.room, args.lang) == ("R", "zh")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["scoreboard"])  # --room is required


async def test_a_retry_shows_as_practice_and_adds_no_points(tmp_path, level):
    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        for path in (["offer-refund", "ask-whose-fault", "loaners-and-note", "five-cs",
                      "close-ticket"], IDEAL):  # 10 points, then a retry worth 86
            state = Game(level).play(path)
            store.record_run("红队", level.id, level.campaign, state, score(level, state),
                             mode="classroom", room="周一班", team="红队")
    store = Store.open_readonly(db)
    app = ScoreboardApp("周一班", db, lang="en", library=tutorial_library(), store=store)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScoreboardScreen)
                         and app.screen.query(RankCard) and app.screen.query(".points"))
        (card,) = app.screen.query(RankCard)
        assert (card.row.points, card.row.runs, card.row.practice_runs) == (10, 1, 1)
        assert str(card.query_one(".points").value) == "10"
        assert "Runs 1 · MOT score -3 · Adherence 2/4 · 1 practice (not counted)" in screen_text(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: "练习 1 局（不计分）" in screen_text(app))
    store.close()


async def test_scoreboard_command_refuses_a_missing_database(tmp_path, capsys, monkeypatch):
    from game.cli import main as mot

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOT_LANG", "en")
    assert mot(["scoreboard", "--room", "R", "--db", "typo/x.sqlite3"]) == 1
    assert "mot scoreboard: error[S005]: no database at typo/x.sqlite3" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
