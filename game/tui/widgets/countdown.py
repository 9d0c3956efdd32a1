"""The discussion countdown: a label ("Discussion / 讨论") over big digits, pausable,
extendable; amber under 15 s, red under 5 s; posts `Expired` at zero.

Time comes from a clock (`time.monotonic` unless one is given), read on every tick: the digits
show the time really left however late a busy machine runs the ticker, and a test can give a
clock it moves by hand (`Countdown.default_clock`, or `clock=`) so nothing waits on real time.

The clock also stands still while anything is open over its screen (help, the discussion
questions, a note, a confirmation, the command palette): the countdown follows the app's
`screen_change_signal`, which fires the moment a screen is pushed, switched or popped, so not
a fraction of a second of an overlay counts. That hold is separate from the trainer's pause.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

TICK_SECONDS = 0.2  # how often the clock is read; the digits change only on a new second
AMBER_BELOW = 15  # seconds: the digits turn amber under this
RED_BELOW = 5  # and red under this


class Countdown(Widget):
    DEFAULT_CSS = """
    Countdown { width: auto; height: auto; align: center top; }
    Countdown #countdown-label { width: 100%; content-align: center middle; text-style: bold;
                                 color: $foreground-muted; }
    Countdown Digits { width: 100%; text-align: center; color: $accent; }
    Countdown.-amber Digits { color: $warning; }
    Countdown.-amber #countdown-label { color: $warning; }
    Countdown.-low Digits { color: $error; }
    Countdown.-low #countdown-label { color: $error; }
    Countdown.-paused Digits { color: $foreground-muted; }
    Countdown #countdown-state { width: 100%; content-align: center middle; color: $foreground-muted; }
    """

    # The clock of every countdown built without `clock=`: seconds, only ever increasing.
    default_clock: Callable[[], float] = time.monotonic

    remaining: reactive[int] = reactive(0)  # whole seconds left, rounded up
    paused: reactive[bool] = reactive(False)  # the trainer's pause (or a decision made)
    held: reactive[bool] = reactive(False)  # something is open over the screen

    class Expired(Message):
        """The time for this decision is up."""

    def __init__(self, seconds: int, *, paused_label: str = "", label: str = "",
                 expired_label: str = "", clock: Callable[[], float] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.seconds = max(0, seconds)
        self.paused_label = paused_label
        self.label = label
        self.expired_label = expired_label  # said under the digits once the time ran out
        self.clock = clock if clock is not None else Countdown.default_clock
        self._left = float(self.seconds)  # seconds left when the clock last started or stopped
        self._since: float | None = None  # the clock's reading when it started; None while stopped
        self._expired = False
        self.set_reactive(Countdown.remaining, self.seconds)
        self.display = self.seconds > 0
        self._ticker = None

    def compose(self) -> ComposeResult:
        if self.label:
            yield Static(Content(self.label), id="countdown-label")
        yield Digits(self._text())
        yield Static("", id="countdown-state")

    def on_mount(self) -> None:
        self._colour()
        if self.seconds:
            self.held = self.app.screen is not self.screen
            self._run(self._counting())
            self._ticker = self.set_interval(TICK_SECONDS, self.tick)
            self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen) -> None:
        self.held = screen is not self.screen

    def _counting(self) -> bool:
        return not self.paused and not self.held and not self._expired

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

    @property
    def expired(self) -> bool:
        return self._expired

    def tick(self) -> None:
        """Read the clock: show the seconds left, and post `Expired` once when they run out."""
        if not self.seconds or self._expired:
            return
        left = max(0.0, self._exact())
        self.remaining = math.ceil(left)
        if left <= 0:
            self._expired = True
            self._run(False)
            self._state_line()
            self.post_message(self.Expired())

    def _colour(self) -> None:
        self.set_class(0 < self.remaining < AMBER_BELOW and self.remaining >= RED_BELOW, "-amber")
        self.set_class(self.remaining < RED_BELOW, "-low")

    def watch_remaining(self) -> None:
        if self.is_mounted:
            self.query_one(Digits).update(self._text())
            self._colour()

    def watch_paused(self, paused: bool) -> None:
        if self.is_mounted and self.seconds:
            self._run(self._counting())  # a pause freezes the time left; resuming counts on from there
        self.set_class(paused, "-paused")
        self._state_line()

    def watch_held(self) -> None:
        if self.is_mounted and self.seconds:
            self._run(self._counting())

    def _state_line(self) -> None:
        if self.is_mounted:
            text = (self.paused_label if self.paused
                    else self.expired_label if self._expired else "")
            self.query_one("#countdown-state", Static).update(Content(text))

    def restart(self) -> None:
        """The full time again, counted from now (unless paused)."""
        self._left = float(self.seconds)
        self._since = None
        self._expired = False
        if self.is_mounted and self.seconds:
            self._run(self._counting())
        self.remaining = self.seconds
        self._state_line()

    def extend(self, seconds: int) -> None:
        if self.seconds:
            self._left += seconds
            self._expired = False
            if self.is_mounted:
                self._run(self._counting())  # after zero the clock had stopped: it runs again
            self.remaining = math.ceil(max(0.0, self._exact()))
            self._state_line()

    def toggle(self) -> None:
        self.paused = not self.paused

    # -- across a recompose (a language switch rebuilds the screen) ---------------------------
    def snapshot(self) -> tuple[float, bool, bool]:
        """(seconds left, paused, expired), to give to a new countdown with `restore`."""
        return max(0.0, self._exact()), self.paused, self._expired

    def restore(self, saved: tuple[float, bool, bool]) -> None:
        left, paused, expired = saved
        self._run(False)
        self._left, self._expired = left, expired
        self.paused = paused
        if self.is_mounted and self.seconds:
            self._run(self._counting())
        self.remaining = math.ceil(left)
        self._state_line()


class DecisionCountdown(Countdown):
    """The countdown of a scene played by one team on its own screen (`--team … --timer N`):
    it follows its screen, counting while the cards wait for a choice, stopped while the coach's
    note shows, and full again for every new decision. Time up only says "decide now": the
    team still chooses, and speed never scores. Its time left outlives a recompose (a language
    switch) through `app.clock_memory`."""

    DEFAULT_CSS = """
    DecisionCountdown { width: 100%; height: auto; margin-bottom: 1; }
    DecisionCountdown #countdown-state { color: $error; text-style: bold; }
    """

    def __init__(self, seconds: int, **kwargs) -> None:
        super().__init__(seconds, **kwargs)
        self._decision: int | None = None

    def _where(self) -> tuple[int, bool]:
        """(the decision the screen is at, whether it waits for a choice)."""
        screen = self.screen
        state = getattr(screen, "state", None)
        decision = len(state.moves) if state is not None else 0
        choosing = bool(getattr(screen, "can_choose", lambda: False)())
        return decision, choosing

    def on_mount(self) -> None:
        memory = getattr(self.app, "clock_memory", None)
        decision, choosing = self._where()
        self._decision = decision
        super().on_mount()
        if memory is not None and memory[0] is self.screen and memory[1] == decision:
            self.restore(memory[2])
        self.paused = not choosing

    def on_unmount(self) -> None:
        try:
            if self._decision is not None:
                self.app.clock_memory = (self.screen, self._decision, self.snapshot())
        except Exception:  # the app is closing: nothing to remember
            pass

    def tick(self) -> None:
        if self.is_mounted:
            decision, choosing = self._where()
            if decision != self._decision:
                self._decision = decision
                self.paused = not choosing
                self.restart()
            elif self.paused == choosing:
                self.paused = not choosing
        super().tick()
