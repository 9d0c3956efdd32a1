"""Setup errors are plain (the issue "Classroom 2", point 5): a busy port for `mot serve`, a room
or database that does not exist for `mot classroom` and `mot scoreboard` (with `--create` to
start one), and a served page that loads nothing from another site."""

from __future__ import annotations

import re
import socket

import aiohttp
import pytest
from aiohttp import web

from game.cli import main as mot
from game.store import Store
from game.tui.classroom_app import ClassroomApp
from game.webserve import RoomServer

KEY = "k3y-for-the-tests_0123"


def _busy_socket() -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_busy_port_names_the_port_and_suggests_another(tmp_path, capsys, monkeypatch, lang):
    monkeypatch.setenv("MOT_LANG", lang)
    db = tmp_path / "room.sqlite3"
    with _busy_socket() as listener:
        port = listener.getsockname()[1]
        code = mot(["serve", "--room", "R", "--db", str(db), "--create", "--level", "first-call",
                    "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"port {port} is already in use" in err and f"端口 {port} 已被占用" in err  # both languages
    assert f"--port {port + 1}" in err
    assert not db.exists()  # refused before anything was created


def test_serve_needs_create_for_a_new_room_and_serves_an_existing_one_again(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "en")
    served = []
    monkeypatch.setattr(RoomServer, "serve", lambda self: served.append(self.command))
    db = tmp_path / "room.sqlite3"
    assert mot(["serve", "--room", "R1", "--db", str(db), "--level", "first-call"]) == 1
    err = capsys.readouterr().err
    assert "no database at" in err and "--create" in err and not db.exists() and not served
    assert mot(["serve", "--room", "R1", "--db", str(db), "--level", "first-call", "--create"]) == 0
    with Store(db) as store:
        assert store.room("R1").level_id == "first-call"
    assert mot(["serve", "--room", "R2", "--db", str(db), "--level", "first-call"]) == 1
    err = capsys.readouterr().err
    assert "room 'R2' does not exist" in err and "rooms: R1" in err and "--create" in err
    assert mot(["serve", "--room", "R1", "--db", str(db)]) == 0  # the room's own level
    assert len(served) == 2 and "--level first-call" in served[-1]


@pytest.mark.parametrize("lang, words", [("en", "add --create"), ("zh", "--create")])
def test_classroom_refuses_a_missing_database_or_room(tmp_path, capsys, monkeypatch, lang, words):
    monkeypatch.setenv("MOT_LANG", lang)
    ran = []
    monkeypatch.setattr(ClassroomApp, "run", lambda app: ran.append(app.room))
    db = tmp_path / "typo.sqlite3"
    team = ["--room", "R1", "--team", "红队", "--level", "first-call"]
    assert mot(["classroom", "--db", str(db), *team]) == 1
    err = capsys.readouterr().err
    assert words in err and str(db) in err and "Traceback" not in err and not db.exists()
    assert mot(["classroom", "--db", str(db), "--teams", "A,B", "--room", "R1", "--level", "first-call"]) == 1
    assert not db.exists() and ran == []
    assert mot(["classroom", "--db", str(db), *team, "--create"]) == 0  # --create starts it
    assert ran == ["R1"] and Store(db).room("R1") is not None
    assert mot(["classroom", "--db", str(db), *team[:1], "R2", *team[2:]]) == 1
    err = capsys.readouterr().err
    assert "R2" in err and "R1" in err and words in err  # names the rooms there are
    assert mot(["classroom", "--db", str(db), *team]) == 0  # an existing room needs nothing
    assert mot(["classroom", "--db", str(db), "--teams", "A,B", "--level", "first-call"]) == 0
    assert re.match(r"classroom-\d{8}-\d{4}", ran[-1])  # hot-seat without --room: a fresh room


def test_scoreboard_refuses_a_room_that_does_not_exist(tmp_path, capsys, monkeypatch):
    from game.tui.scoreboard import ScoreboardApp

    monkeypatch.setenv("MOT_LANG", "en")
    monkeypatch.setattr(ScoreboardApp, "run", lambda app: None)
    db = tmp_path / "room.sqlite3"
    assert mot(["scoreboard", "--room", "R1", "--db", str(db)]) == 1
    assert "no database at" in capsys.readouterr().err and not db.exists()
    with Store(db) as store:
        store.ensure_room("周一班")
    before = db.read_bytes()
    assert mot(["scoreboard", "--room", "周二班", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "room '周二班' does not exist" in err and "rooms: 周一班" in err and "--create" in err
    assert db.read_bytes() == before  # it only reads
    assert mot(["scoreboard", "--room", "周一班", "--db", str(db)]) == 0


async def test_the_served_page_loads_nothing_from_another_site(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = RoomServer("true", room="R", key=KEY, port=port, title="MOT · R")
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/?key={KEY}") as response:
                assert response.status == 200
                page = await response.text()
            assert not re.search(r"https?://", page, re.IGNORECASE)  # no font, script or style from elsewhere
            assert "googleapis" not in page and "//fonts" not in page
            assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
            assert "开始 / Start" in page and "会话已结束。 / Session ended." in page
            local = re.findall(r'(?:src|href)="(/static/[^"]+)"', page) + re.findall(r'url\("(/static/[^"]+)"\)', page)
            assert {"/static/js/textual.js", "/static/css/xterm.css",
                    "/static/fonts/RobotoMono-VariableFont_wght.ttf"} <= set(local)
            for path in local:  # every file it names is served here
                async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                    assert response.status == 200, path
    finally:
        await runner.cleanup()
