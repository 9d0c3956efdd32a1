"""Text that wraps Chinese per character and English per word (see `game.wrap`)."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

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


def wrap_content(content: Content, width: int, hanging: bool = False) -> list[Content]:
    """`content`'s lines wrapped as `wrap` wraps text (Chinese per character, English per word),
    its styles kept. A paragraph's leading spaces stay (a step badge starts with one); with
    `hanging`, they start every line it wraps to (a hanging indent, as under a bullet)."""
    width = max(1, width)
    lines: list[Content] = []
    for paragraph in content.split("\n", allow_blank=True):
        plain = paragraph.plain
        indent = len(plain) - len(plain.lstrip(" "))
        if hanging and 0 < indent * 2 <= width:
            lead, body, room = paragraph[:indent], paragraph[indent:], width - indent
        else:  # `wrap` drops a line's leading spaces: stand them in with a letter of one cell
            lead, body, room = Content(""), paragraph, width
        text = "x" * (len(body.plain) - len(body.plain.lstrip(" "))) + body.plain.lstrip(" ")
        at = 0
        for line in wrap(text, room):
            start = text.find(line, at) if line else at
            start = at if start < 0 else start
            lines.append(lead + body[start:start + len(line)])
            at = start + len(line)
    return lines


class ProseStatic(Static):
    """A Static whose (styled) content wraps like Prose: for lines that mix a style with level
    text (a kind above a discovery, a step badge before a move). Textual's own wrap breaks at
    spaces only, so "给 Grace 打电话…" left "Grace" alone at a line's end."""

    DEFAULT_CSS = """
    ProseStatic { text-wrap: nowrap; text-overflow: clip; }
    """

    _wrapped: tuple = (None, 0, [])

    def __init__(self, content: Content | str = "", *, hanging: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        """`hanging`: lines that start with spaces keep them when they wrap (see wrap_content)."""
        super().__init__(content, id=id, classes=classes)
        self.hanging = hanging

    def show(self, content: Content | str) -> None:
        """`update(content)` only when its text or styles differ: an update re-measures."""
        if _key(self.content) != _key(content):
            self.update(content)

    def morph_from(self, new: "ProseStatic") -> None:
        """Show `new`'s content (see DynamicScroll.refill)."""
        if self.classes != new.classes:
            self.set_classes(new.classes)
        self.show(new.content)

    def _lines(self, width: int) -> list[Content]:
        content = self.content if isinstance(self.content, Content) else Content(str(self.content))
        key, last_width, lines = self._wrapped
        if key != _key(content) or last_width != width:
            lines = wrap_content(content, width, self.hanging)
            self._wrapped = (_key(content), width, lines)
        return lines

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width or 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))


def _key(content) -> tuple:
    """What a content shows: its text and its styles (Content's == compares the text only)."""
    return (content.plain, tuple(content.spans)) if isinstance(content, Content) else (str(content), ())
