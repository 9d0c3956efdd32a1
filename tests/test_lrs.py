"""`mot results --lrs`: xAPI statements sent to a Learning Record Store.

Against a local aiohttp LRS that misbehaves on purpose: batches, the xAPI version header and
basic auth; 500s and timeouts retried with backoff; a 409 or a 400 inside a batch found by
splitting it; a network that drops halfway loses nothing and sends nothing twice.

Against a real LRS: Ralph (ralph-malph, fs backend, basic auth) installed once into
.cache/ralph-venv (gitignored, reused by later runs); skipped only when it cannot be installed.
A room's statements go in ONE batch (Ralph's fs backend writes its file once), then are read
back with GET /xAPI/statements by agent and registration.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from game import lrs
from game.cli import main as mot
from game.commands.results import xapi_statements
from game.engine import Game
from game.played import played
from game.scoring import score
from game.store import Store
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent
HOME = "https://example.org/mot"
USER, PASSWORD = "trainer", "s3cret-密码"  # basic auth in UTF-8 (RFC 7617)
RALPH_PASSWORD = "s3cret-ralph"  # Ralph (FastAPI's HTTPBasic) reads ASCII credentials only
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def room_db(tmp_path, level) -> Path:
    """Room R1: 红队 plays the ideal path (7 statements), 蓝队 refunds (4): 11 statements."""
    path = tmp_path / "room.sqlite3"
    with Store(path) as store:
        for i, (team, choices, lang) in enumerate((("红队", IDEAL, "zh"),
                                                  ("蓝队", ["offer-refund", "repeat-policy"], "en"))):
            state = Game(level).play(choices)
            start = T0 + timedelta(minutes=10 * i)
            store.record_run(team, level.id, level.campaign, state, score(level, state),
                             mode="classroom", room="R1", team=team, started_at=start,
                             finished_at=start + timedelta(minutes=3), lang=lang,
                             move_times=[start + timedelta(seconds=20 * (k + 1))
                                         for k in range(len(choices))],
                             played=played(level, state))
    return path


def statements_of(db: Path) -> list[dict]:
    with Store.open_readonly(db) as store:
        return xapi_statements(store.runs(room="R1"), HOME)


def sent_rows(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT statement_id FROM sent")}


# -- a local LRS that misbehaves on purpose ------------------------------------------------------

@contextlib.contextmanager
def fake_lrs(answer):
    """An aiohttp LRS on 127.0.0.1 in a thread. `answer(n, body, stored)` (n: the request's
    number from 1) returns (status, json) or a number of seconds to stall; by default it
    answers as an LRS does: 200 with the new ids, 204 when it has them all."""
    from aiohttp import web

    seen: list[tuple[dict, list]] = []
    stored: dict[str, dict] = {}

    async def statements(request):
        body = await request.json()
        seen.append((request.headers.copy(), body))  # case-insensitive, as HTTP is
        reply = answer(len(seen), body, stored)
        if isinstance(reply, (int, float)) and not isinstance(reply, bool):
            _store(body, stored)  # stored, but the answer comes too late for the client
            await asyncio.sleep(reply)
            reply = None
        if reply is None:
            new = _store(body, stored)
            return web.json_response(new) if new else web.Response(status=204)
        status, payload = reply
        return web.json_response(payload, status=status)

    app = web.Application()
    app.router.add_post("/xAPI/statements", statements)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/xAPI/", seen, stored
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _store(body: list, stored: dict) -> list[str]:
    new = [s["id"] for s in body if s["id"] not in stored]
    stored.update({s["id"]: s for s in body})
    return new


def healthy(n, body, stored):
    return None


@pytest.fixture
def quick(monkeypatch):
    """Backoff in hundredths of a second and a short timeout, so retries are fast to test."""
    monkeypatch.setattr(lrs, "BACKOFF_S", 0.01)
    monkeypatch.setattr(lrs, "TIMEOUT_S", 0.5)
    monkeypatch.setattr(lrs, "RETRIES", 2)
    monkeypatch.setenv("LRS_PW", PASSWORD)
    monkeypatch.setenv("MOT_LANG", "en")


def send_cli(db, url, *extra) -> int:
    return mot(["results", "--db", str(db), "--room", "R1", "--lrs", url, "--lrs-user", USER,
                "--lrs-password-env", "LRS_PW", "--homepage", HOME, *extra])


def test_batches_headers_and_nothing_sent_twice(room_db, quick, capsys):
    with fake_lrs(healthy) as (url, seen, stored):
        assert send_cli(room_db, url, "--lrs-batch", "4") == 0
        err = capsys.readouterr().err
        assert f"{url}statements: 11 sent, 0 already there, 0 refused, 0 sent earlier" in err
        assert [len(body) for _, body in seen] == [4, 4, 3]
        headers = seen[0][0]
        assert headers["X-Experience-API-Version"] == "1.0.3"
        assert headers["Authorization"] == "Basic " + base64.b64encode(
            f"{USER}:{PASSWORD}".encode()).decode()
        assert headers["Content-Type"].startswith("application/json")
        assert [s["id"] for _, body in seen for s in body] == [s["id"] for s in statements_of(room_db)]
        assert sent_rows(room_db) == set(stored)

        assert send_cli(room_db, url) == 0  # again: the store remembers, nothing is posted
        assert len(seen) == 3
        assert "0 sent, 0 already there, 0 refused, 11 sent earlier (skipped)" in capsys.readouterr().err


def test_server_errors_and_timeouts_are_retried_with_backoff(room_db, quick):
    """A 500, then an answer that never comes in time (the LRS did store the batch), then the
    LRS answers: the batch is done — the LRS already has it — after two waits, 1× then 2×."""
    script = {1: (500, {"detail": "database restarting"}), 2: 2.0}
    statements = statements_of(room_db)
    waits: list[float] = []
    with fake_lrs(lambda n, body, stored: script.get(n)) as (url, seen, stored):
        client = lrs.Client(url, USER, PASSWORD, sleep=waits.append)
        outcome = lrs.send(statements, client, batch_size=100)
    assert (outcome.sent, outcome.already, outcome.refused, outcome.unsent) == (
        [], [s["id"] for s in statements], [], [])
    assert waits == [0.01, 0.02] and client.requests == 3 and len(stored) == 11


def test_a_conflict_and_a_refusal_are_found_inside_their_batch(room_db, quick):
    """One statement the LRS already holds differently (409) and one it refuses (400) in a
    batch of eleven: halves are sent until each is alone; the other nine are stored."""
    statements = statements_of(room_db)
    held, bad = statements[2]["id"], statements[8]["id"]

    def answer(n, body, stored):
        ids = {s["id"] for s in body}
        if held in ids:
            return 409, {"detail": f"Differing statements already exist with the same ID: {held}"}
        if bad in ids:
            return 400, {"detail": "result.score.raw must be between min and max"}
        return None

    with fake_lrs(answer) as (url, seen, stored):
        outcome = lrs.send(statements, lrs.Client(url, USER, PASSWORD), batch_size=100)
    assert outcome.already == [held]
    assert outcome.refused == [(bad, "HTTP 400 result.score.raw must be between min and max")]
    assert sorted(outcome.sent) == sorted(s["id"] for s in statements if s["id"] not in (held, bad))
    assert len(seen) < 2 * len(statements)  # split in halves, not one request per statement
    assert not outcome.ok


def test_a_network_dropping_halfway_loses_nothing(room_db, quick, capsys):
    """Two batches go through, then the LRS stops answering (503 on every retry): the send
    stops and says so, exit 1, and the two batches are remembered. Once the LRS is back, the
    same command sends only the rest."""
    all_ids = [s["id"] for s in statements_of(room_db)]
    with fake_lrs(lambda n, body, stored: (503, {"detail": "maintenance"}) if n > 2 else None) as (
            url, seen, stored):
        assert send_cli(room_db, url, "--lrs-batch", "3") == 1
        err = capsys.readouterr().err
        assert "6 sent, 0 already there, 0 refused, 0 sent earlier (skipped), 5 not sent" in err
        assert "stopped: HTTP 503 maintenance" in err and "Run the same command again" in err
        assert sent_rows(room_db) == set(all_ids[:6]) == set(stored)
    with fake_lrs(healthy) as (url2, seen2, stored2):
        assert send_cli(room_db, url2, "--lrs-batch", "3") == 0
        # another URL is another LRS: it gets everything
        assert [s["id"] for _, body in seen2 for s in body] == all_ids
    with fake_lrs(healthy) as (url3, seen3, _):
        # the first LRS back (same URL as far as the store knows): only the rest goes
        with Store(room_db) as store:
            store.mark_sent(lrs.statements_url(url3), all_ids[:6])
        assert send_cli(room_db, url3, "--lrs-batch", "3") == 0
        assert [s["id"] for _, body in seen3 for s in body] == all_ids[6:]
        assert "5 sent, 0 already there, 0 refused, 6 sent earlier (skipped), 0 not sent" in (
            capsys.readouterr().err)


def test_the_summary_speaks_chinese_and_bad_options_are_said(room_db, quick, monkeypatch, capsys):
    monkeypatch.setenv("MOT_LANG", "zh")
    with fake_lrs(lambda n, body, stored: (403, {"detail": "Invalid authentication credentials"})) as (
            url, seen, _):
        assert send_cli(room_db, url) == 1
    err = capsys.readouterr().err
    assert "已发送 0 条" in err and "未发送 11 条" in err
    assert "已停止：HTTP 403 Invalid authentication credentials" in err
    assert len(seen) == 1  # refused credentials are not retried
    monkeypatch.delenv("LRS_PW")
    assert send_cli(room_db, "http://127.0.0.1:9/xAPI/") == 2
    assert "--lrs-password-env LRS_PW：没有设置这个环境变量" in capsys.readouterr().err
    monkeypatch.setenv("LRS_PW", "x")
    assert send_cli(room_db, "ftp://lrs.example/") == 2
    assert mot(["results", "--db", str(room_db.parent / "none.sqlite3"), "--lrs", "http://x.example/",
                "--lrs-user", "u", "--lrs-password-env", "LRS_PW"]) == 1
    assert not (room_db.parent / "none.sqlite3").exists()


# -- Ralph, a real LRS -------------------------------------------------------------------------------

RALPH_VENV = ROOT / ".cache" / "ralph-venv"
RALPH_PACKAGES = ["ralph-malph[cli,lrs]", "requests"]


@pytest.fixture(scope="session")
def ralph_bin() -> Path:
    """Ralph's command, from a venv made once (under a lock) and reused across runs."""
    import fcntl

    ralph = RALPH_VENV / "bin" / "ralph"
    marker = RALPH_VENV / ".installed"
    RALPH_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(RALPH_VENV.parent / "ralph-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and ralph.exists()):
            import shutil

            shutil.rmtree(RALPH_VENV, ignore_errors=True)
            steps = [[sys.executable, "-m", "venv", str(RALPH_VENV)],
                     [str(RALPH_VENV / "bin" / "pip"), "install", "-q", *RALPH_PACKAGES]]
            for step in steps:
                try:
                    done = subprocess.run(step, capture_output=True, text=True, timeout=900)
                except subprocess.TimeoutExpired:
                    done = None
                if done is None or done.returncode != 0:
                    shutil.rmtree(RALPH_VENV, ignore_errors=True)
                    tail = (done.stderr or done.stdout).strip().splitlines()[-1:] if done else ["timed out"]
                    pytest.skip(f"cannot install Ralph ({' '.join(RALPH_PACKAGES)}): no network "
                                f"to PyPI? {tail[0] if tail else ''}")
            marker.write_text(" ".join(RALPH_PACKAGES) + "\n")
    return ralph


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def ralph_lrs(ralph_bin, tmp_path_factory):
    """`ralph runserver -b fs` on 127.0.0.1 and a free port, with basic-auth credentials made
    by `ralph auth`; its own folder (auth file, statements) and process group, ended after."""
    home = tmp_path_factory.mktemp("ralph")
    (home / "data").mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RALPH_")},
           "RALPH_APP_DIR": str(home), "RALPH_AUTH_FILE": str(home / "auth.json"),
           "RALPH_RUNSERVER_BACKEND": "fs"}
    subprocess.run([str(ralph_bin), "auth", "-u", USER, "-p", RALPH_PASSWORD, "-s", "all",
                    "-M", "mailto:trainer@example.org", "-w"],
                   env=env, cwd=home, check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = open(home / "server.log", "w")
    server = subprocess.Popen(
        [str(ralph_bin), "runserver", "-b", "fs", "--fs-default-directory-path", str(home / "data"),
         "-h", "127.0.0.1", "-p", str(port)],
        env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"Ralph stopped: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/__lbheartbeat__", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Ralph did not answer: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url + "/xAPI/"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # runserver's reloader and its worker
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)
        log.close()


def _get(url: str, **params) -> dict:
    token = base64.b64encode(f"{USER}:{RALPH_PASSWORD}".encode()).decode()
    request = urllib.request.Request(url + "statements?" + urllib.parse.urlencode(params),
                                     headers={"Authorization": f"Basic {token}",
                                              "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_ralph_stores_a_rooms_statements_and_returns_them_by_agent_and_registration(
        ralph_lrs, room_db, monkeypatch, capsys):
    monkeypatch.setenv("LRS_PW", RALPH_PASSWORD)
    monkeypatch.setenv("MOT_LANG", "en")
    expected = statements_of(room_db)
    assert send_cli(room_db, ralph_lrs, "--lrs-batch", "1000") == 0  # one batch: fs writes once
    assert "11 sent, 0 already there, 0 refused, 0 sent earlier (skipped), 0 not sent" in (
        capsys.readouterr().err)

    with Store.open_readonly(room_db) as store:
        red = next(r for r in store.runs(room="R1") if r.team == "红队")
    agent = {"objectType": "Agent", "account": {"homePage": HOME, "name": "R1/红队"}}
    got = _get(ralph_lrs, agent=json.dumps(agent, ensure_ascii=False), registration=red.uuid,
               limit=100)["statements"]
    mine = [s for s in expected if s["context"]["registration"] == red.uuid]
    assert sorted(s["id"] for s in got) == sorted(s["id"] for s in mine) and len(got) == 7
    by_id = {s["id"]: s for s in got}
    first = by_id[mine[0]["id"]]
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert first["actor"]["account"] == {"homePage": HOME, "name": "R1/红队"}
    assert first["context"]["language"] == "zh-CN"
    assert first["context"]["extensions"][HOME + "/xapi/ext/move"] == 1
    assert first["object"]["definition"]["name"]["zh-CN"].startswith("你好，我是 FILTEX")
    assert first["result"]["success"] is True
    assert datetime.fromisoformat(first["timestamp"].replace("Z", "+00:00")) == T0 + timedelta(seconds=20)
    assert "stored" in first and "authority" in first  # set by the LRS
    passed = by_id[mine[-1]["id"]]
    assert passed["verb"]["id"].endswith("/passed") and passed["result"]["score"]["raw"] == 3

    assert send_cli(room_db, ralph_lrs) == 0  # the store remembers: nothing is posted
    assert "0 sent, 0 already there, 0 refused, 11 sent earlier (skipped)" in capsys.readouterr().err
    with sqlite3.connect(room_db) as conn:  # forget: Ralph already has them all (204)
        conn.execute("DELETE FROM sent")
    assert send_cli(room_db, ralph_lrs, "--lrs-batch", "1000") == 0
    assert "0 sent, 11 already there, 0 refused" in capsys.readouterr().err
    assert len(_get(ralph_lrs, limit=100)["statements"]) == 11  # stored once
