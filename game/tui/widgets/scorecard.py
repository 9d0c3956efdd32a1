"""The MYCO scorecard: the player's best score in every level of the campaign, side by side."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...scoring import label
from .meter import tone


class Scorecard(Static):
    DEFAULT_CSS = """
    Scorecard { height: auto; padding: 0 0 1 0; }
    """

    def __init__(self, entry, best: dict[str, int], lang: str, exclude: str | None = None, **kwargs) -> None:
        lines = []
        for level in entry.levels if entry else []:
            if level.id == exclude:
                continue
            name = level.title.get(lang)
            if level.id in best:
                v = best[level.id]
                lines.append(Content.assemble(f"{v:+d}".rjust(3), " ", (f"{label(v, lang)}", tone(v)), "  ", name))
            else:
                lines.append(Content.assemble(" · ", ("—", "dim"), "  ", name))
        super().__init__(Content("\n").join(lines), **kwargs)
