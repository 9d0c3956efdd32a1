"""The discussion countdown: big digits, pausable, extendable; posts `Expired` at zero."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static


class Countdown(Widget):
    DEFAULT_CSS = """
    Countdown { width: auto; height: auto; align: center middle; }
    Countdown Digits { width: auto; color: $accent; }
    Countdown.-low Digits { color: $error; }
    Countdown.-paused Digits { color: $foreground-muted; }
    Countdown #countdown-state { width: 100%; content-align: center middle; color: $foreground-muted; }
    """

    remaining: reactive[int] = reactive(0)
    paused: reactive[bool] = reactive(False)

    class Expired(Message):
        """The time for this decision is up."""

    def __init__(self, seconds: int, *, paused_label: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.seconds = max(0, seconds)
        self.paused_label = paused_label
        self.set_reactive(Countdown.remaining, self.seconds)
        self.display = self.seconds > 0
        self._ticker = None

    def compose(self) -> ComposeResult:
        yield Digits(self._text())
        yield Static("", id="countdown-state")

    def on_mount(self) -> None:
        if self.seconds:
            self._ticker = self.set_interval(1.0, self._tick)

    def _text(self) -> str:
        return f"{self.remaining // 60}:{self.remaining % 60:02d}"

    def _tick(self) -> None:
        if self.paused or self.remaining <= 0:
            return
        self.remaining -= 1
        if self.remaining == 0:
            self.post_message(self.Expired())

    def watch_remaining(self) -> None:
        if self.is_mounted:
            self.query_one(Digits).update(self._text())
            self.set_class(0 < self.remaining <= 10, "-low")

    def watch_paused(self, paused: bool) -> None:
        self.set_class(paused, "-paused")
        if self.is_mounted:
            self.query_one("#countdown-state", Static).update(self.paused_label if paused else "")

    def restart(self) -> None:
        self.remaining = self.seconds
        if self._ticker is not None:
            self._ticker.reset()

    def extend(self, seconds: int) -> None:
        if self.seconds:
            self.remaining += seconds

    def toggle(self) -> None:
        self.paused = not self.paused
