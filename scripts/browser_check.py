"""Drive a page served by `mot serve` in headless Chromium over the DevTools protocol, play one
move, save a screenshot, and check the move reached the room's scoreboard.

`--vote`: the vote mode's phone page instead. The projector app runs here, headless (Pilot),
with its web server on this script's loop; Chromium (started by this script) emulates a
390×844 phone with touch, types the join code and a nickname, taps a card and "Vote"; the
trainer's keys (l, Enter) lock and play; the page must show the consequence and survive a
reload as the same participant. Screenshots: phone-join.png, phone-joined.png, phone-voted.png,
phone-revealed.png and projector.svg under --out (default a new /tmp/mot-vote-check.*).

Used by scripts/browser_check.sh, which starts `mot serve` and Chromium; this script only
needs the project's virtualenv (aiohttp comes with textual-serve), no browser driver package.

textual-serve draws into an xterm.js canvas, so there is no DOM to read: keys go in as
DevTools input events, and the terminal's output is read from the page's WebSocket frames
(via the Network domain) to know when the screen has settled and what it said.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from served_terminal import TerminalLog  # noqa: E402 - the protocol, shared with benchmarks/serve_load.py

KEYS = {
    "enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "text": "\t"},
    **{str(n): {"key": str(n), "code": f"Digit{n}", "windowsVirtualKeyCode": 48 + n,
                "text": str(n)} for n in range(10)},
}


def log(message: str) -> None:
    print(f"[browser-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


class DevTools(TerminalLog):
    """A minimal DevTools protocol client on one page target; the terminal's output it reads
    from the page's websocket frames is a TerminalLog (text, settle)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        super().__init__()
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                future = self.pending.pop(data["id"], None)
                if future and not future.done():
                    if "error" in data:
                        future.set_exception(RuntimeError(f"DevTools: {data['error']}"))
                    else:
                        future.set_result(data.get("result", {}))
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response.get("payloadData", "")
                if response.get("opcode") == 2:
                    self.feed(base64.b64decode(payload))
                else:
                    self.frames += 1
                    self.last_frame = time.monotonic()

    async def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method,
                                           "params": params or {}}))
        return await asyncio.wait_for(future, timeout)

    async def evaluate(self, expression: str):
        result = await self.send("Runtime.evaluate", {"expression": expression,
                                                      "returnByValue": True})
        return result.get("result", {}).get("value")

    async def focus_terminal(self) -> None:
        await self.evaluate("(document.querySelector('.xterm-helper-textarea')"
                            " || document.querySelector('#terminal')).focus(); true")

    async def key(self, name: str) -> None:
        spec = KEYS[name]
        await self.focus_terminal()
        base = {"key": spec["key"], "code": spec["code"],
                "windowsVirtualKeyCode": spec["windowsVirtualKeyCode"],
                "nativeVirtualKeyCode": spec["windowsVirtualKeyCode"]}
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", **base, "text": spec["text"],
                                                   "unmodifiedText": spec["text"]})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})
        self.action_at = time.monotonic()

    async def type(self, text: str) -> None:
        await self.focus_terminal()
        await self.send("Input.insertText", {"text": text})
        self.action_at = time.monotonic()

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", {"format": "png"})
        path.write_bytes(base64.b64decode(shot["data"]))


async def page_target(http: aiohttp.ClientSession, cdp_port: int, limit: float = 30) -> str:
    deadline = time.monotonic() + limit
    while True:
        try:
            async with http.get(f"http://127.0.0.1:{cdp_port}/json/list") as response:
                targets = await response.json(content_type=None)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except (aiohttp.ClientError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit("browser-check: Chromium's DevTools port never answered")
        await asyncio.sleep(0.2)


def room_state(db: Path, room: str):
    from game.store import Store

    with Store(db) as store:
        return store.live(room), store.runs(room=room)


async def scoreboard_shows(db: Path, room: str, team: str, shot: Path) -> bool:
    """Open `mot scoreboard`'s app headless on the same database: is the team's move there?"""
    from game.tui.scoreboard import ScoreboardApp
    from game.tui.screens.scoreboard import LiveCard

    app = ScoreboardApp(room, db, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        deadline = time.monotonic() + 5
        cards = []
        while time.monotonic() < deadline:
            await pilot.pause(0.2)
            cards = [c for c in app.screen.query(LiveCard) if c.row.team == team]
            if cards and cards[0].row.moves >= 1:
                break
        await pilot.pause(0.3)
        app.save_screenshot(filename=shot.name, path=str(shot.parent))
    if cards:
        row = cards[0].row
        log(f"scoreboard shows {row.team}: level {row.level_id}, {row.moves} move(s), "
            f"perception {row.perception:+d}, steps {row.steps or '-'}")
    return bool(cards) and cards[0].row.moves >= 1


async def main(args) -> int:
    db, shot = Path(args.db), Path(args.screenshot)
    async with aiohttp.ClientSession() as http:
        ws_url = await page_target(http, args.cdp_port)
        async with http.ws_connect(ws_url, max_msg_size=0) as ws:
            tools = DevTools(ws)
            await tools.send("Network.enable")
            await tools.send("Page.enable")
            await tools.send("Page.navigate", {"url": args.url})
            deadline = time.monotonic() + 30
            while not await tools.evaluate(
                    "document.body && document.body.classList.contains('-first-byte')"):
                if time.monotonic() > deadline:
                    await tools.screenshot(shot)
                    log(f"the app never drew in the page; screenshot: {shot}")
                    return 1
                await asyncio.sleep(0.2)
            log(f"page connected: {args.url} (the app is drawing into the terminal)")
            await tools.settle(quiet=1.0, limit=10)

            log(f"typing the team name {args.team!r} + Enter")
            await tools.type(args.team)
            await tools.settle(0.3, 2)
            await tools.key("enter")
            await tools.settle()
            plan = [("enter", "Enter (through the briefing)"), ("1", '"1" (the first choice)')]
            moved = False
            for attempt in range(3):
                for key, what in plan:
                    log(f"pressing {what}")
                    await tools.key(key)
                    await tools.settle()
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    live, runs = room_state(db, args.room)
                    if any(r.team == args.team and r.moves >= 1 for r in live) or runs:
                        moved = True
                        break
                    await asyncio.sleep(0.25)
                if moved:
                    break
                if await tools.evaluate("document.body.classList.contains('-closed')"):
                    log("the page says 'Session ended': the app exited or crashed (see serve.log)")
                    break
                log("no move in the room yet; Enter and 1 once more")
            await tools.settle(quiet=1.0, limit=4)
            await tools.screenshot(shot)
            text = tools.text()
            Path(str(shot) + ".terminal.txt").write_text(text, encoding="utf-8")
            tools.reader.cancel()

    print(f"screenshot: {shot}")
    print(f"terminal text received by the page: {shot}.terminal.txt "
          f"({tools.frames} WebSocket frames, {len(tools.terminal)} bytes)")
    print(f"team name seen on the page: {'yes' if args.team in text else 'no'}")
    live, runs = room_state(db, args.room)
    for row in live:
        print(f"live: room={row.room} team={row.team} level={row.level_id} moves={row.moves} "
              f"perception={row.perception:+d} steps={row.steps} finished={row.finished}")
    print(f"finished runs in the room: {len(runs)}")
    board = Path(str(shot).removesuffix(".png") + "-scoreboard.svg")
    on_board = await scoreboard_shows(db, args.room, args.team, board)
    print(f"scoreboard screenshot: {board}")
    if not (moved and on_board):
        print("FAIL: the move did not reach the room's scoreboard", file=sys.stderr)
        return 1
    print("OK: a move played in the browser reached the room's scoreboard")
    return 0


# -- vote mode: a phone in Chromium, the projector here ------------------------------------------

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


async def tap(tools: DevTools, selector: str) -> None:
    """A finger on the element's centre: touchStart, touchEnd (the page gets a click from it)."""
    box = await tools.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
        " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()")
    if not box:
        raise RuntimeError(f"nothing to tap at {selector}")
    point = {"x": box["x"], "y": box["y"], "radiusX": 6, "radiusY": 6, "force": 1, "id": 1}
    await tools.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    await tools.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


async def until(what: str, check, limit: float = 20.0):
    """Wait for `check()` (sync or async) to be true; fail naming `what` after `limit` s."""
    deadline = time.monotonic() + limit
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {limit:.0f} s for {what}")
        await asyncio.sleep(0.05)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def vote_main(args) -> int:
    import shutil
    import tempfile

    from game.library import load_library
    from game.store import Store
    from game.tui.vote_app import VoteApp
    from game.vote.room import LOCKED, REVEALED, VoteRoom
    from game.vote.server import listen_socket

    out = Path(args.out or tempfile.mkdtemp(prefix="mot-vote-check.", dir="/tmp"))
    out.mkdir(parents=True, exist_ok=True)
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("browser-check: no chromium (apt-get install chromium, or --chromium PATH)")
    library = load_library()
    level = library.level(args.level)
    sock = listen_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    for old in out.glob("room.sqlite3*"):  # a fresh room each run
        old.unlink()
    store = Store(out / "room.sqlite3")
    app = VoteApp(levels=[level], vote_room=VoteRoom(args.room), public_url=base, sock=sock,
                  host="127.0.0.1", port=port, library=library, store=store, lang="en",
                  room=args.room, shuffle=False)
    cdp_port = free_port()
    profile = tempfile.mkdtemp(prefix="mot-vote-chromium.")
    browser = await asyncio.create_subprocess_exec(
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
        f"--remote-debugging-port={cdp_port}", "--window-size=390,844", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=(out / "chromium.log").open("wb"))
    ok = False
    try:
        async with app.run_test(size=(130, 44)) as pilot, aiohttp.ClientSession() as http:
            room = app.vote_room
            await until("the projector's first decision", lambda: room.decision is not None)
            log(f"projector up: {base} · join code {room.code} · level {level.id}")
            async with http.ws_connect(await page_target(http, cdp_port), max_msg_size=0) as ws:
                tools = DevTools(ws)
                await tools.send("Page.enable")
                await tools.send("Emulation.setDeviceMetricsOverride", PHONE)
                await tools.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
                await tools.send("Page.navigate", {"url": base + "/"})
                shown = lambda sel: tools.evaluate(  # noqa: E731
                    f"(() => {{ const e = document.querySelector({json.dumps(sel)});"
                    " return !!e && !e.closest('.hidden') && e.getBoundingClientRect().height > 0; })()")
                await until("the join form", lambda: shown("#code"))
                width = await tools.evaluate("document.documentElement.scrollWidth")
                log(f"join form shown; page width {width} px in a {PHONE['width']} px viewport")
                await tools.screenshot(out / "phone-join.png")
                await tap(tools, "#code")
                await tools.type(room.code)
                await tap(tools, "#nick")
                await tools.type(args.nickname)
                await tap(tools, "#go")
                await until("the projector to count the phone", lambda: room.joined == 1)
                await until("the cards on the phone", lambda: shown(".choice"))
                await tools.screenshot(out / "phone-joined.png")
                log(f"joined as {next(iter(room.participants.values())).nickname!r}; cards shown")
                await tap(tools, ".choice:nth-child(1)")
                await until("the Vote button", lambda: tools.evaluate(
                    "!document.querySelector('#send').disabled"))
                tapped = time.monotonic()
                await tap(tools, "#send")
                await until("the vote on the projector", lambda: room.voted == 1)
                latency = time.monotonic() - tapped
                await until("the page to confirm the vote", lambda: tools.evaluate(
                    "document.querySelector('#msg').className === 'ok'"))
                await pilot.pause(0.2)
                await tools.screenshot(out / "phone-voted.png")
                said = await tools.evaluate("document.querySelector('#msg').textContent")
                log(f"voted {next(iter(room.votes.values()))!r}: on the projector {latency * 1000:.0f} ms "
                    f"after the tap; the page says {said!r}")
                await pilot.press("l")
                await until("the lock", lambda: room.status == LOCKED)
                await pilot.press("enter")
                await until("the consequence", lambda: room.status == REVEALED)
                await until("the consequence on the phone", lambda: shown("#outcome"))
                await pilot.pause(0.2)
                await tools.screenshot(out / "phone-revealed.png")
                app.save_screenshot(filename="projector.svg", path=str(out))
                log("locked and played on the projector; the phone shows the consequence")
                await tools.send("Page.reload")
                await until("the page after a reload", lambda: shown("#outcome"))
                mine = await tools.evaluate("document.querySelector('.choice.mine .t')?.textContent")
                who = await tools.evaluate("document.querySelector('#who').textContent")
                log(f"after a reload: still {who!r}, own vote {mine!r}")
                await app.vote_server.flush()
                votes = store.votes(args.room)
                log(f"store: {len(votes)} vote(s): "
                    + ", ".join(f"{v.nickname} → {v.choice} (decision {v.decision})" for v in votes))
                ok = (len(votes) == 1 and who == room.participants[votes[0].participant].nickname
                      and bool(mine) and width <= PHONE["width"])
                tools.reader.cancel()
            await pilot.press("q", "y")
    finally:
        if browser.returncode is None:
            browser.terminate()
            await browser.wait()
        shutil.rmtree(profile, ignore_errors=True)
        sock.close()
    print(f"screenshots: {out}/phone-join.png, phone-joined.png, phone-voted.png, phone-revealed.png; "
          f"projector: {out}/projector.svg")
    if not ok:
        print("FAIL: the phone's vote did not make it through", file=sys.stderr)
        return 1
    print("OK: a phone joined with the code, voted by tapping, saw the result, and kept its vote "
          "across a reload")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vote", action="store_true", help="check the vote mode's phone page")
    parser.add_argument("--url")
    parser.add_argument("--cdp-port", type=int)
    parser.add_argument("--db")
    parser.add_argument("--room")
    parser.add_argument("--team")
    parser.add_argument("--screenshot")
    parser.add_argument("--out", help="--vote: where the screenshots go (default /tmp/mot-vote-check.*)")
    parser.add_argument("--level", default="first-call", help="--vote: the level")
    parser.add_argument("--nickname", default="小李 Lee", help="--vote: the phone's nickname")
    parser.add_argument("--chromium", help="--vote: the browser (default chromium on PATH)")
    options = parser.parse_args()
    if options.vote:
        options.room = options.room or "vote-check"
        sys.exit(asyncio.run(vote_main(options)))
    missing = [f"--{n}" for n in ("url", "cdp_port", "db", "room", "team", "screenshot")
               if getattr(options, n) is None]
    if missing:
        parser.error("without --vote, these are required: " + ", ".join(m.replace("_", "-") for m in missing))
    sys.exit(asyncio.run(main(options)))
