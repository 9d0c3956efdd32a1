"""One choice: its number, its step badge and its text, chosen by key, Enter or click."""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from ...model import Choice
from ...wrap import wrap
from .step_badges import badge


class ChoiceCard(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceCard {
        height: auto; width: 1fr; padding: 0 1; margin-bottom: 1;
        background: $boost;
    }
    ChoiceCard:hover { background: $surface-lighten-1; }
    ChoiceCard:focus { background: $primary 30%; text-style: bold; }
    ChoiceCard.-ideal { border-left: thick $success; }
    """

    BINDINGS = [Binding("enter,space", "choose", "Choose", show=False)]

    class Chosen(Message):
        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, number: int, choice: Choice, lang: str, steps_names=None, ideal_mark: bool = False,
                 show_step: bool = True) -> None:
        super().__init__(classes="-ideal" if ideal_mark else "")
        self.number = number
        self.choice = choice
        self.lang = lang
        self.steps_names = steps_names
        self.ideal_mark = ideal_mark
        self.show_step = show_step  # False: the step is revealed only after the choice

    def morph_from(self, new: "ChoiceCard") -> None:
        """Become `new`: another choice in this place (see DynamicScroll.refill)."""
        shown = (new.number, new.choice, new.lang, new.steps_names, new.ideal_mark, new.show_step)
        if shown != (self.number, self.choice, self.lang, self.steps_names, self.ideal_mark, self.show_step):
            self.number, self.choice, self.lang, self.steps_names, self.ideal_mark, self.show_step = shown
            self.refresh(layout=True)
        if self.classes != new.classes:
            self.set_classes(new.classes)

    def _prefix(self) -> Content:
        star = "★ " if self.ideal_mark else ""
        if not self.show_step:
            return Content.assemble((f"{self.number} ", "bold"), star)
        return Content.assemble((f"{self.number} ", "bold"), badge(self.choice.step, self.lang, True, self.steps_names),
                                " ", star)

    _wrapped: tuple = (None, None)

    def _lines(self, width: int) -> tuple[Content, list[str]]:
        """The prefix and the wrapped text; kept for the same card and width, since a frame asks
        for them more than once (the card's height, then its lines)."""
        key = (width, self.number, self.choice, self.lang, self.steps_names, self.ideal_mark, self.show_step)
        if self._wrapped[0] != key:
            self._wrapped = (key, self._wrap(width))
        return self._wrapped[1]

    def _wrap(self, width: int) -> tuple[Content, list[str]]:
        prefix = self._prefix()
        indent = cell_len(prefix.plain)
        if width - indent < 12:  # too narrow for a hanging indent: text goes below the badge
            return prefix, [""] + wrap(self.choice.text.get(self.lang), max(1, width))
        return prefix, wrap(self.choice.text.get(self.lang), width - indent)

    def render(self) -> Content:
        prefix, lines = self._lines(self.content_size.width or 40)
        indent = " " * cell_len(prefix.plain)
        out = [prefix, Content(lines[0])] if lines else [prefix]
        for line in lines[1:]:
            out.append(Content("\n" + (indent if lines[0] else "") + line))
        return Content("").join(out)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)[1]) or 1

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.choice))

    def on_click(self) -> None:
        self.action_choose()
