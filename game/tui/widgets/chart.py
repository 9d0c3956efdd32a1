"""A small perception chart: one column per move, rows −3..+3, peak and end marked."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from rich.cells import cell_len

from ...i18n import t
from .meter import tone

COLUMN = 3


class PerceptionChart(Widget):
    DEFAULT_CSS = """
    PerceptionChart { height: 9; width: auto; text-wrap: nowrap; text-overflow: clip; }
    """

    def __init__(self, start: int, trace: tuple[int, ...], peak_index: int | None, lang: str = "en",
                 events: tuple[int, ...] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.events = {i + 1 for i in events}  # columns that are scene events, not moves (marked »)
        self.lang = lang
        self.points = (start, *trace)
        # column of the peak (column 0 is the start); -1 when no move was a moment
        self.peak_at = -1 if peak_index is None else peak_index + 1

    def render(self) -> Content:
        rows: list[Content] = []
        last = len(self.points) - 1
        for v in range(3, -4, -1):
            cells: list = [(f"{v:+d}" if v else " 0").rjust(3) + " ┤"]
            for i, p in enumerate(self.points):
                if p == v:
                    mark = "◆" if i == self.peak_at else ("■" if i == last else "●")
                    cells.append((mark.center(COLUMN), f"bold {tone(v)}"))
                elif v == 0:
                    cells.append(("─" * COLUMN, "dim"))
                else:
                    cells.append(" " * COLUMN)
            rows.append(Content.assemble(*cells))
        # The move under each column (0: the mood before the first move), then a legend.
        # A scene event's column shows », and the moves keep their own numbers.
        axis, n = "     " + "0".center(COLUMN), 0
        for i in range(1, len(self.points)):
            n += i not in self.events
            axis += ("»" if i in self.events else str(n)).center(COLUMN)
        rows.append(Content.styled(axis, "dim"))
        rows.append(Content.styled(t("chart.legend", self.lang), "dim"))
        return Content("\n").join(rows)

    def get_content_width(self, container, viewport) -> int:
        return max(5 + COLUMN * len(self.points), cell_len(t("chart.legend", self.lang)))
