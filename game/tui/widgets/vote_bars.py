"""The class's vote split: one bar per card, in the cards' order, with its count and share; the
leading card(s) in the accent colour. Card texts are data and are shown literally."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ...wrap import wrap


@dataclass(frozen=True)
class BarRow:
    number: int
    text: str
    count: int
    percent: int
    leader: bool = False


class VoteBars(Widget):
    DEFAULT_CSS = """
    VoteBars { height: auto; width: 1fr; margin-bottom: 1; }
    """

    rows: reactive[tuple[BarRow, ...]] = reactive((), layout=True)

    def __init__(self, rows=(), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(VoteBars.rows, tuple(rows))

    def _lines(self, width: int) -> list[Content]:
        out: list[Content] = []
        width = max(20, width)
        top = max((r.count for r in self.rows), default=0)
        for row in self.rows:
            label = f" {row.count} · {row.percent}%"
            room = max(4, width - 3 - len(label))
            filled = round(room * row.count / top) if top else 0
            colour = "$accent" if row.leader else "$primary"
            out.append(Content.assemble((f"{row.number} ", "bold"), ("█" * filled, colour),
                                        ("░" * (room - filled), "$foreground-muted 40%"),
                                        (label, "bold" if row.leader else "")))
            for line in wrap(row.text, max(1, width - 2)):
                out.append(Content.assemble("  ", (line, "bold" if row.leader else "")))
        return out

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width or 40))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))
