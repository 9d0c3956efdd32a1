"""The discussion countdown: big digits, pausable, extendable; posts `Expired` at zero.

Time comes from a clock (`time.monotonic` unless one is given), read on every tick: the digits
show the time really left however late a busy machine runs the ticker, and a test can give a
clock it moves by hand (`Countdown.default_clock`, or `clock=`) so nothing waits on real time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

TICK_SECONDS = 0.2  # how often the clock is read; the digits change only on a new second


class Countdown(Widget):
    DEFAULT_CSS = """
    Countdown { width: auto; height: auto; align: center middle; }
    Countdown Digits { width: auto; color: $accent; }
    Countdown.-low Digits { color: $error; }
    Countdown.-paused Digits { color: $foreground-muted; }
    Countdown #countdown-state { width: 100%; content-align: center middle; color: $foreground-muted; }
    """

    # The clock of every countdown built without `clock=`: seconds, only ever increasing.
    default_clock: Callable[[], float] = time.monotonic

    remaining: reactive[int] = reactive(0)  # whole seconds left, rounded up
    paused: reactive[bool] = reactive(False)

    class Expired(Message):
        """The time for this decision is up."""

    def __init__(self, seconds: int, *, paused_label: str = "", clock: Callable[[], float] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.seconds = max(0, seconds)
        self.paused_label = paused_label
        self.clock = clock if clock is not None else Countdown.default_clock
        self._left = float(self.seconds)  # seconds left when the clock last started or stopped
        self._since: float | None = None  # the clock's reading when it started; None while stopped
        self._expired = False
        self.set_reactive(Countdown.remaining, self.seconds)
        self.display = self.seconds > 0
        self._ticker = None

    def compose(self) -> ComposeResult:
        yield Digits(self._text())
        yield Static("", id="countdown-state")

    def on_mount(self) -> None:
        if self.seconds:
            self._run(not self.paused)
            self._ticker = self.set_interval(TICK_SECONDS, self.tick)

    def _text(self) -> str:
        return f"{self.remaining // 60}:{self.remaining % 60:02d}"

    def _exact(self) -> float:
        """Seconds left now, to the fraction."""
        if self._since is None:
            return self._left
        return self._left - (self.clock() - self._since)

    def _run(self, running: bool) -> None:
        """Start or stop the clock, keeping the time already used."""
        if running and self._since is None:
            self._since = self.clock()
        elif not running and self._since is not None:
            self._left = max(0.0, self._exact())
            self._since = None

    def tick(self) -> None:
        """Read the clock: show the seconds left, and post `Expired` once when they run out."""
        if not self.seconds or self._expired:
            return
        left = max(0.0, self._exact())
        self.remaining = math.ceil(left)
        if left <= 0:
            self._expired = True
            self._run(False)
            self.post_message(self.Expired())

    def watch_remaining(self) -> None:
        if self.is_mounted:
            self.query_one(Digits).update(self._text())
            self.set_class(0 < self.remaining <= 10, "-low")

    def watch_paused(self, paused: bool) -> None:
        if self.is_mounted and self.seconds:
            self._run(not paused)  # a pause freezes the time left; resuming counts on from there
        self.set_class(paused, "-paused")
        if self.is_mounted:
            self.query_one("#countdown-state", Static).update(self.paused_label if paused else "")

    def restart(self) -> None:
        """The full time again, counted from now (unless paused)."""
        self._left = float(self.seconds)
        self._since = None
        self._expired = False
        if self.is_mounted and self.seconds:
            self._run(not self.paused)
        self.remaining = self.seconds

    def extend(self, seconds: int) -> None:
        if self.seconds:
            self._left += seconds
            self._expired = False
            if self.is_mounted:
                self._run(not self.paused)  # after zero the clock had stopped: it runs again
            self.remaining = math.ceil(max(0.0, self._exact()))

    def toggle(self) -> None:
        self.paused = not self.paused
