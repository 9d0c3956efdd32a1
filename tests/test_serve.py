"""`mot serve`: the command each browser tab runs, the options it refuses, and the hardened
server (game.webserve) — room key, Origin check, tab cap, clamped terminal sizes, one process
group per tab that dies with its websocket — driven by real aiohttp clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from game import webserve
from game.cli import build_parser
from game.cli import main as mot
from game.commands import serve
from game.commands.serve import classroom_command
from game.store import Store
from game.webserve import RoomServer, clamp_size, is_loopback, origin_of

ROOT = Path(__file__).resolve().parent.parent
KEY = "k3y-for-the-tests_0123"
ROOM = "周一<班>"

# A stand-in for a Textual app under textual-serve: it says `__GANGLION__`, then reports (as a
# data packet of JSON) its terminal size, process group, session and address-space limit, and
# echoes every packet it reads. `--stubborn` ignores SIGTERM and "quit" and keeps a child in its
# group, so only SIGKILL to the whole group ends it.
FAKE_TAB = r'''
import json, os, signal, subprocess, sys, time
try:
    import resource
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
except ImportError:
    limit = None
stubborn = "--stubborn" in sys.argv
child = None
if stubborn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen(["sleep", "300"])
out = sys.stdout.buffer
def send(obj):
    data = json.dumps(obj).encode()
    out.write(b"D" + len(data).to_bytes(4, "big") + data)
    out.flush()
out.write(b"__GANGLION__\n")
send({"columns": os.environ.get("COLUMNS"), "rows": os.environ.get("ROWS"), "pid": os.getpid(),
      "ppid": os.getppid(), "pgid": os.getpgid(0), "sid": os.getsid(0), "as": limit, "child": child and child.pid})
inp = sys.stdin.buffer
while True:
    head = inp.read(5)
    if len(head) < 5:
        break
    payload = inp.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M":
        meta = json.loads(payload)
        if meta.get("type") == "quit" and not stubborn:
            break
        send({"meta": meta})
    else:
        send({"stdin": payload.decode()})
while stubborn:
    time.sleep(1)
'''


def parse(*argv):
    return build_parser().parse_args(["serve", *argv])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


async def _wait_group_gone(pgid: int, seconds: float = 20) -> None:
    """(Asynchronous: the server under test may share this event loop.)"""
    deadline = time.monotonic() + seconds
    while _group_alive(pgid):
        assert time.monotonic() < deadline, f"process group {pgid} outlived its tab"
        await asyncio.sleep(0.05)


# -- the CLI ----------------------------------------------------------------------------------


def test_each_tab_runs_the_classroom_asking_for_its_team(tmp_path):
    db = tmp_path / "a dir" / "room.sqlite3"
    args = parse("--room", "周一 班", "--db", str(db))
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert shlex.split(classroom_command(args)) == [
        sys.executable, "-m", "game", "classroom", "--room", "周一 班", "--db", str(db.resolve()),
        "--ask-team"]
    args = parse("--room", "R", "--db", "x.sqlite3", "--level", "first-call", "--lang", "zh",
                 "--timer", "0")
    words = shlex.split(classroom_command(args))
    assert words[words.index("--db") + 1] == str(Path("x.sqlite3").resolve())  # absolute
    assert words[-6:] == ["--level", "first-call", "--lang", "zh", "--timer", "0"]


def test_defaults_sixty_tabs_a_fresh_key_a_memory_limit():
    args = parse("--room", "R")
    assert (args.max_tabs, args.key, args.tab_memory, args.public_url) == (60, None, 1024, None)
    assert webserve.DEFAULT_MAX_TABS == serve.DEFAULT_MAX_TABS == 60
    assert webserve.DEFAULT_TAB_MEMORY_MB == serve.DEFAULT_TAB_MEMORY_MB
    keys = {webserve.new_key() for _ in range(5)}
    assert len(keys) == 5 and all(webserve.valid_key(k) for k in keys)
    args = parse("--room", "R", "--max-tabs", "2", "--key", KEY, "--timer", "3600",
                 "--public-url", "https://mot.example.org:8443/room/", "--port", "65535")
    assert (args.max_tabs, args.key, args.timer, args.port) == (2, KEY, 3600, 65535)
    assert args.public_url == "https://mot.example.org:8443/room"


def test_loopback():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.20", "::", "example.org"))


@pytest.mark.parametrize("argv, words", [
    (["--timer", "abc"], "--timer"),
    (["--timer", "3601"], "--timer"),
    (["--port", "0"], "--port"),
    (["--port", "65536"], "--port"),
    (["--max-tabs", "0"], "--max-tabs"),
    (["--max-tabs", "1001"], "--max-tabs"),
    (["--key", "short"], "--key"),
    (["--key", "has space in it"], "--key"),
    (["--tab-memory", "10"], "--tab-memory"),
    (["--public-url", "ftp://example.org"], "--public-url"),
    (["--public-url", "http://0.0.0.0:8000"], "--public-url"),
    (["--public-url", "http://example.org:99999"], "--public-url"),
    (["--public-url", "http://x.org/a?b=1"], "--public-url"),
    (["--public-url", "http://x.org/\"><script>"], "--public-url"),
    (["--host", "0.0.0.0"], "--public-url"),
    (["--host", "192.168.1.20"], "--public-url"),
])
def test_bad_options_are_usage_errors_and_start_nothing(argv, words, tmp_path, capsys):
    db = tmp_path / "room.sqlite3"
    try:
        code = mot(["serve", "--room", "R", "--db", str(db), "--level", "first-call", *argv])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert words in err and "Traceback" not in err
    assert re.search(r"[\u4e00-\u9fff]", err) or "--host" in argv  # argparse's: both languages
    assert not db.exists()  # no room created, no server started


# -- the server, in process, with a stand-in tab ----------------------------------------------


@contextlib.asynccontextmanager
async def running(tmp_path, *tab_args, **options):
    script = tmp_path / "fake_tab.py"
    script.write_text(FAKE_TAB, encoding="utf-8")
    command = " ".join(shlex.quote(w) for w in (sys.executable, str(script), *tab_args))
    port = _free_port()
    options.setdefault("preload", ())  # tabs forked by a zygote, as `mot serve`'s are
    server = RoomServer(command, room=ROOM, key=KEY, port=port, title=f"MOT · {ROOM}",
                        kill_grace=0.5, **options)
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield server
    finally:
        await runner.cleanup()


def url(server, path="/", **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"http://127.0.0.1:{server.port}{path}" + (f"?{q}" if q else "")


async def report(ws, seconds: float = 30) -> dict:
    """The stand-in tab's next JSON packet."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "no packet from the tab"
        message = await ws.receive(timeout=left)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        return json.loads(message.data)


async def refused(session, address, **kwargs) -> int:
    with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
        async with session.ws_connect(address, **kwargs):
            pass
    return caught.value.status


async def test_the_page_and_the_websocket_need_the_key_and_the_rooms_origin(tmp_path):
    async with running(tmp_path) as server, aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        for address in (url(server), url(server, key="wrong-key-123")):
            async with session.get(address) as response:
                page = await response.text()
                assert response.status == 403
        assert "需要密钥" in page and "needs its key" in page and "周一&lt;班&gt;" in page
        assert "<班>" not in page and "Traceback" not in page
        assert await refused(session, url(server, "/ws")) == 403
        assert await refused(session, url(server, "/ws", key="wrong-key-123")) == 403
        assert await refused(session, url(server, "/ws", key=KEY),
                             headers={"Origin": "http://evil.example"}) == 403
        assert await refused(session, url(server, "/ws", key=KEY), headers={"Origin": "null"}) == 403
        assert not session.cookie_jar.filter_cookies(url(server))  # nothing granted yet

        async with session.get(url(server, key=KEY)) as response:  # the join URL
            page = await response.text()
            assert response.status == 200
            assert response.headers["Referrer-Policy"] == "no-referrer"
        assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in page
        assert "周一&lt;班&gt;" in page and "<班>" not in page
        # As the browser does: the page's cookie, the page's Origin, ?width=…&height=….
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        async with session.ws_connect(url(server, "/ws", width=100, height=30),
                                      headers=origin) as ws:
            assert (await report(ws))["columns"] == "100"
            await ws.send_json(["ping", "x"])
            assert json.loads((await ws.receive(timeout=30)).data) == ["pong", "x"]
            await ws.send_json(["stdin", "红队\r"])
            assert (await report(ws)) == {"stdin": "红队\r"}
        assert await refused(session, url(server, "/ws"),
                             headers={"Origin": "http://evil.example"}) == 403
    async with running(tmp_path) as server, aiohttp.ClientSession() as session:
        # Not a browser (no Origin, no cookie): the key in the websocket's own query.
        async with session.ws_connect(url(server, "/ws", key=KEY)) as ws:
            assert (await report(ws))["rows"] == "24"


def test_sizes_are_clamped():
    assert clamp_size(20000, 20000) == (400, 200)
    assert clamp_size(1, 1) == (10, 5)
    assert clamp_size(-5, 0) == (10, 5)
    assert clamp_size("120", "40") == (120, 40)
    assert clamp_size("abc", None) == (80, 24)
    assert clamp_size(float("inf"), float("nan")) == (80, 24)
    assert clamp_size(True, "9" * 5000) == (80, 24)
    assert clamp_size(399.9, 200) == (399, 200)
    assert origin_of("HTTP://Example.org/x") == "http://example.org:80"
    assert origin_of("https://[::1]:8443") == "https://[::1]:8443"
    assert origin_of("null") is None


async def test_a_huge_terminal_reaches_the_tab_clamped(tmp_path):
    async with running(tmp_path, tab_memory_mb=512) as server, aiohttp.ClientSession() as session:
        async with session.ws_connect(url(server, "/ws", key=KEY, width=20000,
                                          height=20000)) as ws:
            first = await report(ws)
            assert first["ppid"] == server.zygote.server.pid  # forked by the zygote
            assert (first["columns"], first["rows"]) == ("400", "200")  # the tab's COLUMNS/ROWS
            # Its own session and process group, and its memory limit.
            assert first["sid"] == first["pgid"] != os.getpgid(0)
            if first["as"] is not None:
                assert first["as"] == 512 * 1024 * 1024
            await ws.send_json(["resize", {"width": 20000, "height": 20000}])
            assert await report(ws) == {"meta": {"type": "resize", "width": 400, "height": 200}}
            await ws.send_json(["resize", {"width": "x", "height": -3}])
            assert await report(ws) == {"meta": {"type": "resize", "width": 80, "height": 5}}
            await ws.send_str("not json")  # dropped, the tab goes on
            await ws.send_json(["resize", "nonsense"])
            await ws.send_json(["stdin", "ok"])
            assert await report(ws) == {"stdin": "ok"}


async def test_past_max_tabs_the_room_is_full(tmp_path):
    async with running(tmp_path, max_tabs=2) as server, aiohttp.ClientSession() as session:
        first = await session.ws_connect(url(server, "/ws", key=KEY))
        second = await session.ws_connect(url(server, "/ws", key=KEY))
        try:
            await report(first)
            await report(second)
            async with session.get(url(server, key=KEY)) as response:
                page = await response.text()
                assert response.status == 503
            assert "房间已满" in page and "The room is full" in page and "2" in page
            assert await refused(session, url(server, "/ws", key=KEY)) == 503
            async with session.get(url(server)) as response:  # no key: not even that it is full
                assert response.status == 403
        finally:
            await first.close()
        deadline = time.monotonic() + 30
        while True:  # the closed tab's place comes free
            async with session.get(url(server, key=KEY)) as response:
                if response.status == 200:
                    break
            assert time.monotonic() < deadline, "the room stayed full"
            await asyncio.sleep(0.05)
        async with session.ws_connect(url(server, "/ws", key=KEY)) as third:
            await report(third)
        await second.close()


async def test_a_closed_tab_takes_its_whole_process_group(tmp_path):
    async with running(tmp_path, "--stubborn") as server, aiohttp.ClientSession() as session:
        async with session.ws_connect(url(server, "/ws", key=KEY)) as ws:
            first = await report(ws)
            pgid = first["pgid"]
            assert first["ppid"] == server.zygote.server.pid
            assert _group_alive(pgid) and os.getpgid(first["child"]) == pgid
        # The tab ignores "quit" and SIGTERM, and so does its child: only SIGKILL ends them.
        await _wait_group_gone(pgid)
        assert server.live == 0 and not server.tabs


# -- the real thing: `mot serve` and a real classroom tab -------------------------------------


def _parent(pid: int) -> int:
    return int((Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]))


def _zygote_of(server: int) -> int | None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError):
                if (b"game.zygote" in (entry / "cmdline").read_bytes().split(b"\0")
                        and _parent(int(entry.name)) == server):
                    return int(entry.name)
    return None


def _tabs_of(db: Path, zygote: int | None = None) -> set[int]:
    """Process groups of the classroom processes this test's server started: by their --db,
    or (forked, with the zygote's command line) as the zygote's children."""
    groups = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                words = (entry / "cmdline").read_bytes().split(b"\0")
                if (b"classroom" in words and str(db).encode() in words
                        or zygote is not None and _parent(int(entry.name)) == zygote):
                    groups.add(os.getpgid(int(entry.name)))
            except (OSError, ProcessLookupError, ValueError):
                pass
    return groups


async def test_mot_serve_plays_a_real_tab_behind_its_key(tmp_path):
    db, port = tmp_path / "room.sqlite3", _free_port()
    log = (tmp_path / "serve.log").open("w+b")
    proc = subprocess.Popen([sys.executable, "-m", "game", "serve", "--room", ROOM, "--db", str(db),
                             "--port", str(port), "--level", "first-call", "--lang", "en",
                             "--key", KEY, "--create"], cwd=ROOT, stdout=log, stderr=log)
    base, groups, zygote = f"http://127.0.0.1:{port}", set(), None
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            deadline, status = time.monotonic() + 30, None
            while status is None:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "mot serve did not answer"
                try:
                    async with session.get(base + "/") as response:
                        status = response.status
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            assert status == 403
            printed = (tmp_path / "serve.log").read_text()
            assert f"{base}/?key={KEY}" in printed
            with Store(db) as store:
                assert store.room(ROOM) is not None
                assert store.join_info(ROOM)["url"].endswith(f"/?key={KEY}")  # the scoreboard's `j`
            async with session.get(f"{base}/?key={KEY}") as response:
                assert response.status == 200
                assert f"ws://127.0.0.1:{port}/ws" in await response.text()
            async with session.ws_connect(f"{base}/ws?width=120&height=40",
                                          headers={"Origin": base}) as ws:
                seen, deadline = b"", time.monotonic() + 60
                while True:
                    text = re.sub(rb"\x1b\[[0-9;?$]*[A-Za-z]", b"", seen).decode("utf-8", "replace")
                    if "Type your team's name" in text:
                        break
                    left = deadline - time.monotonic()
                    assert left > 0, f"no team prompt; the tab drew: {text[-500:]!r}"
                    message = await ws.receive(timeout=left)
                    assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                    if message.type == aiohttp.WSMsgType.BINARY:
                        seen += message.data
                assert "Join the room" in text
                zygote = _zygote_of(proc.pid)
                assert zygote is not None, "no zygote"
                groups = _tabs_of(db, zygote)
                assert groups and not _tabs_of(db)  # forked by the zygote, none started plainly
        for pgid in groups:  # the websocket closed: the tab's group is gone
            await _wait_group_gone(pgid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError):  # the zygote does not outlive its server
            assert zygote is None or not Path(f"/proc/{zygote}").exists()
        for pgid in (groups | _tabs_of(db)) - {os.getpgid(0)}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        log.close()
