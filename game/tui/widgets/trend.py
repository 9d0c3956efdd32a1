"""The perception trend on a fixed −3..+3 scale, one bar per move (a Sparkline rescales to
its data, which makes one flat move look like a peak)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from .meter import tone

BARS = "▁▂▃▄▅▆▇"


class Trend(Widget):
    DEFAULT_CSS = """
    Trend { height: 2; width: 1fr; }
    """

    values: reactive[tuple] = reactive(tuple)
    label: reactive[str] = reactive("")

    def render(self) -> Content:
        width = max(1, self.content_size.width)
        shown = self.values[-width:]
        bars = [(BARS[v + 3], tone(v)) for v in shown]
        return Content.assemble((self.label, "bold"), "\n", *bars)
