"""A QR code drawn in the terminal with half-block characters: two modules per cell, dark on
light whatever the theme (a phone's camera wants dark modules on a light ground, with a quiet
zone around them)."""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

DARK_ON_LIGHT = "#000000 on #ffffff"
BORDER = 2  # modules of quiet zone on each side (phones read 2 well on a screen)


@lru_cache(maxsize=16)
def qr_lines(data: str, border: int = BORDER) -> tuple[str, ...]:
    """The code for `data` as lines of `▀ ▄ █` and spaces: each character is two modules, the
    upper one and the lower one; a true module (dark) is drawn, a false one is the ground."""
    import segno

    qr = segno.make(data, error="m", micro=False)
    rows = [list(map(bool, row)) for row in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyph = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return tuple("".join(glyph[top, bottom] for top, bottom in zip(rows[i], rows[i + 1]))
                 for i in range(0, len(rows), 2))


class QrCode(Widget):
    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; }
    """

    def __init__(self, data: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data = data

    @property
    def lines(self) -> tuple[str, ...]:
        return qr_lines(self.data)

    def render(self) -> Content:
        return Content.styled("\n".join(self.lines), DARK_ON_LIGHT)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.lines[0]) if self.lines else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)
