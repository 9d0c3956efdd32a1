"""Live moves in the store: the `live` table, its upsert, finished runs, the v1 → v4 upgrade, and
one screen per team (`claim_team`), also between two processes racing for a name."""

from __future__ import annotations

import sqlite3
from pathlib import Path


from game.engine import Game
from game.scoring import score
from game.store import MIGRATIONS, SCHEMA_VERSION, LiveRow, Store, record_headless
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent


def _plain(rows):
    return [(r.room, r.team, r.level_id, r.moves, r.perception, r.steps, r.finished) for r in rows]


def test_update_live_upserts_one_row_per_team_and_level(tmp_path):
    with Store(tmp_path / "mot.sqlite3") as store:
        assert store.live("R") == []
        store.update_live("R", "红队", "first-call", 1, 0, "E")
        store.update_live("R", "蓝队", "first-call", 1, -2, "O")
        store.update_live("R", "红队", "first-call", 2, 1, "EE")
        store.update_live("other", "红队", "first-call", 1, 3, "E")
        rows = store.live("R")
        assert _plain(rows) == [
            ("R", "红队", "first-call", 2, 1, "EE", False),
            ("R", "蓝队", "first-call", 1, -2, "O", False),
        ]
        assert all(isinstance(r, LiveRow) and r.updated_at.endswith("Z") for r in rows)
        store.update_live("R", "红队", "first-call", 5, 3, "EEOAC", finished=True)
        assert _plain(store.live("R"))[0] == ("R", "红队", "first-call", 5, 3, "EEOAC", True)


def test_recording_a_room_run_marks_the_live_row_finished(tmp_path, level):
    state = Game(level).play(IDEAL)
    result = score(level, state)
    with Store(tmp_path / "mot.sqlite3") as store:
        store.update_live("R", "红队", level.id, 3, 1, "EEO")
        store.record_run("红队", level.id, level.campaign, state, result, mode="classroom",
                         room="R", team="红队")
        store.record_run("ana", level.id, level.campaign, state, result)  # no room: no live row
        store.record_run("bo", level.id, level.campaign, state, result, room="R")  # no team: player
        assert _plain(store.live("R")) == [
            ("R", "bo", "first-call", 5, 3, "EEOAC", True),
            ("R", "红队", "first-call", 5, 3, "EEOAC", True),
        ]
    record_headless(tmp_path / "h.sqlite3", "H", "绿队", level, state, result)
    with Store(tmp_path / "h.sqlite3") as store:
        assert _plain(store.live("H")) == [("H", "绿队", "first-call", 5, 3, "EEOAC", True)]


def test_a_version_1_file_is_upgraded(tmp_path, level):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("INSERT INTO players(name) VALUES ('ana')")
    conn.execute("INSERT INTO settings(key, value) VALUES ('lang', 'zh')")
    conn.execute(
        "INSERT INTO runs(uuid, player_id, level_id, mode, mot_score, peak, end_value, adherence,"
        " explored_first, offered_before_act, acted, confirmed_last, found, total_discoveries,"
        " points, finished_at) VALUES ('u-1', 1, 'first-call', 'learn', 3, 3, 3, 4, 1, 1, 1, 1,"
        " 3, 3, 86, '2025-03-01T09:00:00.000Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with Store(path) as store:
        assert store.notice is None and store.moved_to is None
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        assert [(r.uuid, r.seed) for r in store.runs()] == [("u-1", None)]  # no seed before v3
        assert store.get_setting("lang") == "zh"
        store.update_live("R", "ana", "first-call", 1, 0, "E")
        assert len(store.live("R")) == 1
    with Store(path) as store:  # opening again changes nothing
        assert len(store.live("R")) == 1 and len(store.runs()) == 1


# -- one screen per team: claim_team ----------------------------------------------------------

def _claims(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT room, team, token FROM claims ORDER BY room, team").fetchall()
    finally:
        conn.close()


def _age(path, table: str, when: str = "2000-01-01T00:00:00.000Z") -> None:
    """Make every row of `table` look last touched long ago (a crashed or idle screen)."""
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE {table} SET updated_at = ?", (when,))
    conn.commit()
    conn.close()


def test_two_stores_on_one_file_cannot_both_claim_a_team(tmp_path):
    path = tmp_path / "room.sqlite3"
    with Store(path) as a, Store(path) as b:
        assert a.claim_team("R", "红队", "tab-a") is True
        assert b.claim_team("R", "红队", "tab-b") is False      # another screen has it
        assert b.team_playing("R", "红队", "tab-b") and not a.team_playing("R", "红队", "tab-a")
        assert a.claim_team("R", "红队", "tab-a") is True       # claiming again is harmless
        assert b.claim_team("R", "蓝队", "tab-b") is True       # another name is free
        assert b.claim_team("other room", "红队", "tab-b") is True  # so is another room
        assert b.claim_team("R", "红队", "tab-b", resume=True) is True  # "that's us": taken over
        assert a.refresh_claim("R", "红队", "tab-a") is False   # a learns it no longer holds it
        a.release_team("R", "红队", "tab-a")                    # …and cannot free b's claim
        assert a.claim_team("R", "红队", "tab-a") is False
        b.release_team("R", "红队", "tab-b")
        assert a.claim_team("R", "红队", "tab-a") is True
    assert _claims(path) == [("R", "红队", "tab-a"), ("R", "蓝队", "tab-b"),
                             ("other room", "红队", "tab-b")]


def test_an_unfinished_live_game_holds_the_name_until_it_goes_stale(tmp_path):
    path = tmp_path / "room.sqlite3"
    with Store(path) as store:
        store.update_live("R", "红队", "first-call", 2, 1, "EE")  # a screen that never claimed
        assert store.claim_team("R", "红队", "new-tab") is False
        assert store.claim_team("R", "红队", "new-tab", stale_after=3600) is False
        _age(path, "live")  # its last move was long ago: the screen is gone
        assert store.claim_team("R", "红队", "new-tab") is True
        store.release_team("R", "红队", "new-tab")
        store.update_live("R", "蓝队", "first-call", 5, 3, "EEOAC", finished=True)
        assert store.claim_team("R", "蓝队", "new-tab") is True  # a finished game holds nothing


def test_a_stale_claim_is_free_and_moves_keep_a_claim_fresh(tmp_path):
    path = tmp_path / "room.sqlite3"
    with Store(path) as a, Store(path) as b:
        assert a.claim_team("R", "红队", "tab-a")
        _age(path, "claims")  # tab-a crashed ten minutes ago and more
        assert b.claim_team("R", "红队", "tab-b") is True
        _age(path, "claims")
        b.update_live("R", "红队", "first-call", 1, 0, "E")  # b plays on: its claim is fresh again
        conn = sqlite3.connect(path)
        (claim_at,) = conn.execute("SELECT updated_at FROM claims").fetchone()
        (live_at,) = conn.execute("SELECT updated_at FROM live").fetchone()
        conn.close()
        assert claim_at == live_at > "2000-01-01T00:00:00.000Z"
        assert a.claim_team("R", "红队", "tab-a") is False
        _age(path, "claims")
        assert b.refresh_claim("R", "红队", "tab-b") is True  # the app's timer, while reading
        assert a.claim_team("R", "红队", "tab-a") is False


CLAIMER = """
import os, sys, time
from game.store import Store

db, go, ready, out, token = sys.argv[1:]
with Store(db) as store:
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.002)
    won = store.claim_team("R", "红队", token)
with open(out, "w") as f:
    f.write("won" if won else "lost")
"""


def test_processes_racing_for_one_team_name_have_exactly_one_winner(tmp_path):
    import subprocess
    import sys
    import time

    db, go = tmp_path / "room.sqlite3", tmp_path / "go"
    Store(db).close()  # the schema exists: the race is for the name, not the migration
    n = 6
    procs = [subprocess.Popen([sys.executable, "-c", CLAIMER, str(db), str(go),
                               str(tmp_path / f"ready-{i}"), str(tmp_path / f"out-{i}"), f"proc-{i}"],
                              cwd=ROOT, stderr=subprocess.PIPE) for i in range(n)]
    try:
        deadline = time.monotonic() + 60
        while sum((tmp_path / f"ready-{i}").exists() for i in range(n)) < n:
            failed = [p.communicate()[1].decode() for p in procs if p.poll() not in (None, 0)]
            assert not failed, failed[0]
            assert time.monotonic() < deadline, "the claimers never got ready"
            time.sleep(0.01)
        go.touch()
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    results = [(tmp_path / f"out-{i}").read_text() for i in range(n)]
    assert sorted(results) == ["lost"] * (n - 1) + ["won"]
    winner = f"proc-{results.index('won')}"
    assert _claims(db) == [("R", "红队", winner)]


# -- the command line and the team-name screen --------------------------------------------------

def test_classroom_refuses_a_team_already_playing_unless_resume(tmp_path, capsys, monkeypatch):
    from game.cli import main as mot
    from game.tui.classroom_app import ClassroomApp

    db = tmp_path / "room.sqlite3"
    with Store(db) as other:
        assert other.claim_team("r", "红队", "other-terminal")
    ran = []
    monkeypatch.setattr(ClassroomApp, "run", lambda app: ran.append((app.claimed, _claims(db))))
    monkeypatch.setenv("MOT_LANG", "en")
    args = ["classroom", "--db", str(db), "--room", "r", "--create", "--level", "first-call", "--team", "红队"]
    assert mot(args) == 1
    err = capsys.readouterr().err
    assert "mot classroom: error[S010]: team “红队” is already playing in room “r”" in err
    assert "--resume" in err and ran == []
    assert mot([*args, "--lang", "zh"]) == 1
    assert "error[S010]: 队伍“红队”已在房间“r”的另一个屏幕或标签页上游戏" in capsys.readouterr().err

    assert mot([*args, "--resume"]) == 0  # that team, coming back: it plays
    (claimed, during), = ran
    assert claimed == "红队" and [c[:2] for c in during] == [("r", "红队")]
    assert during[0][2] != "other-terminal"
    assert _claims(db) == []  # quitting released the name
    assert mot(args[:-1] + ["蓝队"]) == 0  # a free name needs no --resume
    assert ran[-1][0] == "蓝队" and _claims(db) == []


async def _until(pilot, condition, what: str, limit: float = 60.0) -> None:
    """Let the app run until `condition()` holds; a deadline, never a fixed sleep."""
    import asyncio
    import time

    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"waited {limit:.0f} s for {what}"
        await pilot.pause()
        await asyncio.sleep(0.01)


async def test_team_name_screen_refuses_a_name_playing_elsewhere(tmp_path):
    from textual.widgets import Button, Static

    from game.tui.classroom_app import ClassroomApp
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.team_name import TeamNameScreen
    from tests.tui_helpers import tutorial_library

    db = tmp_path / "room.sqlite3"
    other = Store(db)  # another browser tab of the room, already playing "Team [red]"
    assert other.claim_team("r1", "Team [red]", "other-tab")
    library = tutorial_library()

    def tab(lang: str) -> ClassroomApp:
        return ClassroomApp(shuffle=False, levels=[library.level("first-call")], ask_team=True,
                            library=library, store=Store(db), lang=lang, room="r1")

    app = tab("en")
    async with app.run_test(size=(90, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, TeamNameScreen), "the team-name screen")
        await pilot.press(*"Team [red]", "enter")
        await _until(pilot, lambda: app.screen.query("#team-taken"), "the refusal")
        assert isinstance(app.screen, TeamNameScreen) and app.claimed is None
        message = str(app.screen.query_one("#team-taken", Static).render())
        assert message.startswith("“Team [red]” is already playing in room r1 on another screen.")
        assert str(app.screen.query_one("#team-resume", Button).label) == "That's us: resume"
        await pilot.press("f2")  # the refusal stays, in the other language
        await _until(pilot, lambda: app.lang == "zh" and app.screen.query("#team-taken"), "中文")
        assert "“Team [red]”已在房间 r1 的另一个屏幕上游戏" in str(
            app.screen.query_one("#team-taken", Static).render())
        await pilot.press(*"蓝队", "enter")  # another name: joined
        await _until(pilot, lambda: isinstance(app.screen, BriefingScreen), "the briefing")
        assert (app.player, app.claimed) == ("蓝队", "蓝队")
        assert other.claim_team("r1", "蓝队", "other-tab") is False  # now the other tab is refused
    assert ("r1", "蓝队", app.claim_token) not in _claims(db)  # quitting freed the name
    assert other.claim_team("r1", "蓝队", "other-tab") is True

    app = tab("en")  # "That's us": the team itself, coming back on a new tab
    async with app.run_test(size=(90, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, TeamNameScreen), "the team-name screen")
        await pilot.press(*"Team [red]", "enter")
        await _until(pilot, lambda: app.screen.query("#team-resume"), "the resume button")
        await pilot.click("#team-resume")
        await _until(pilot, lambda: isinstance(app.screen, BriefingScreen), "the briefing")
        assert (app.player, app.claimed) == ("Team [red]", "Team [red]")
        assert other.refresh_claim("r1", "Team [red]", "other-tab") is False
    other.close()
