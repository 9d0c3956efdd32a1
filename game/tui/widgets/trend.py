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
    events: reactive[tuple] = reactive(tuple)  # indices into `values` that are scene events (underlined)

    def render(self) -> Content:
        width = max(1, self.content_size.width)
        first = max(0, len(self.values) - width)
        shown = self.values[first:]
        events = set(self.events)
        bars = [(BARS[v + 3], tone(v) + (" underline" if first + i in events else ""))
                for i, v in enumerate(shown)]
        return Content.assemble((self.label, "bold"), "\n", *bars)
