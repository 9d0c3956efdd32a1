"""Drive a page served by `mot serve` in headless Chromium over the DevTools protocol, play one
move, save a screenshot, and check the move reached the room's scoreboard.

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
import re
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_]")

KEYS = {
    "enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "text": "\t"},
    **{str(n): {"key": str(n), "code": f"Digit{n}", "windowsVirtualKeyCode": 48 + n,
                "text": str(n)} for n in range(10)},
}


def log(message: str) -> None:
    print(f"[browser-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


class DevTools:
    """A minimal DevTools protocol client on one page target."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.terminal = bytearray()  # everything the app sent to the page's terminal
        self.frames = 0
        self.last_frame = time.monotonic()
        self.action_at = 0.0  # when the last key or text was sent
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
                    self.terminal += base64.b64decode(payload)
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

    def text(self) -> str:
        return ANSI.sub("", self.terminal.decode("utf-8", "replace"))

    async def settle(self, quiet: float = 0.8, limit: float = 6.0) -> None:
        """After an action: wait for the app to answer (a frame after the action), then until
        the terminal has been quiet for `quiet` seconds; at most `limit` seconds in all (a
        countdown that redraws every second never goes quiet). Keys are thus paced like a
        person's, never sent while the app is still switching screens."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            answered = self.last_frame > self.action_at
            if answered and time.monotonic() - self.last_frame >= quiet:
                return
            await asyncio.sleep(0.1)

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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--cdp-port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--team", required=True)
    parser.add_argument("--screenshot", required=True)
    sys.exit(asyncio.run(main(parser.parse_args())))
