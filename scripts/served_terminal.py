"""What a client of `mot serve` reads and sends, shared by scripts/browser_check.py (through
Chromium's DevTools) and benchmarks/serve_load.py and vote_load.py (straight to textual-serve's
websocket).

textual-serve's protocol: the page's websocket (`/ws?key=…&width=…&height=…`) carries the
app's terminal output as binary messages, and takes JSON text messages from the page:
`["stdin", text]` (keys as a terminal sends them: "1", "\\r" for Enter), `["resize", {"width":
w, "height": h}]`, `["ping", x]` (answered `["pong", x]`), `["focus"]` and `["blur"]`.

`TerminalLog` keeps the output and when each piece arrived, so a client can wait for the
screen to settle, or for a text to be drawn, and time it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time

async def page_answers(http, url: str, stopped, limit: float | None = None) -> bool:
    """Wait until the server's page at `url` answers 200 (True); False as soon as `stopped()`
    (the server process ended) or `limit` seconds passed."""
    import aiohttp

    deadline = None if limit is None else time.monotonic() + limit
    while True:
        try:
            async with http.get(url) as response:
                if response.status == 200:
                    return True
        except aiohttp.ClientError:
            pass
        if stopped() or (deadline is not None and time.monotonic() > deadline):
            return False
        await asyncio.sleep(0.1)


ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_]")


def plain(data: bytes) -> str:
    """Terminal output without its escape sequences (what the screen says, in drawing order)."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


class TerminalLog:
    """Everything the app sent to the page's terminal, with the arrival time of each piece."""

    def __init__(self) -> None:
        self.terminal = bytearray()
        self.frames = 0
        self.last_frame = time.monotonic()
        self.action_at = 0.0  # when the last key or text was sent
        self.arrivals: list[tuple[float, int]] = []  # (time, len(terminal) after the piece)
        self.changed = asyncio.Event()

    def feed(self, data: bytes) -> None:
        self.terminal += data
        self.frames += 1
        self.last_frame = time.monotonic()
        self.arrivals.append((self.last_frame, len(self.terminal)))
        self.changed.set()

    def text(self) -> str:
        return plain(bytes(self.terminal))

    async def settle(self, quiet: float = 0.8, limit: float = 6.0) -> None:
        """After an action: wait for the app to answer (a frame after the action), then until
        the terminal has been quiet for `quiet` seconds; at most `limit` seconds in all (a
        countdown that redraws every second never goes quiet)."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            answered = self.last_frame > self.action_at
            if answered and time.monotonic() - self.last_frame >= quiet:
                return
            await asyncio.sleep(0.1)

    async def drawn(self, needle: str, since: int, limit: float = 60.0) -> float | None:
        """When `needle` was first drawn in the output after byte `since` (the arrival time of
        the piece that completed it); None if not within `limit` seconds."""
        deadline = time.monotonic() + limit
        checked = 0  # arrivals already searched
        while True:
            while checked < len(self.arrivals):
                at, end = self.arrivals[checked]
                checked += 1
                if needle in plain(bytes(self.terminal[since:end])):
                    return at
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(remaining, 1.0))
            except asyncio.TimeoutError:
                pass


class ServedTab(TerminalLog):
    """One browser tab without a browser: textual-serve's websocket, read and written directly."""

    def __init__(self, ws) -> None:
        super().__init__()
        self.ws = ws
        self.closed = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.feed(message.data)
        finally:
            self.closed.set()

    async def send(self, text: str) -> int:
        """Type `text` (keys as a terminal sends them); returns the output's length before it."""
        mark = len(self.terminal)
        self.action_at = time.monotonic()
        await self.ws.send_str(json.dumps(["stdin", text]))
        return mark
