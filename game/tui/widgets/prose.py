"""Text that wraps Chinese per character and English per word (see `game.wrap`)."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from ...wrap import wrap


class Prose(Widget):
    """A block of level or UI text. Level text is data: it is shown literally, never as markup."""

    DEFAULT_CSS = """
    Prose { height: auto; width: 1fr; text-wrap: nowrap; text-overflow: clip; }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Prose.text, text)

    def morph_from(self, new: "Prose") -> None:
        """Show `new`'s text (see DynamicScroll.refill)."""
        if self.classes != new.classes:
            self.set_classes(new.classes)
        self.text = new.text

    _wrapped: tuple[str, int, list[str]] = ("", 0, [])

    def _lines(self, width: int) -> list[str]:
        """The text wrapped to `width`; kept, since a frame asks for it more than once (its
        height, twice when it is new, then its lines)."""
        text, last_width, lines = self._wrapped
        if text != self.text or last_width != width:
            lines = wrap(self.text, width) if self.text else []
            self._wrapped = (self.text, width, lines)
        return lines

    def render(self) -> Content:
        return Content("\n".join(self._lines(self.content_size.width or 1)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))
