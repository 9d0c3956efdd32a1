"""Help: the four Moment-of-Truth steps, the perception scale, the scoring and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...i18n import STEP_MEANINGS
from ...model import STEPS
from ...scoring import label
from ..widgets.meter import tone
from ..widgets.prose import Prose
from ..widgets.step_badges import badge
from ...reference import cards
from .base import GameModal
from .reference import card_widgets


class HelpScreen(GameModal):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: thick $accent;
                                  background: $surface; padding: 0 2; }
    HelpScreen .h { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .card-title { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll():
            yield Static(self.text("help.title"), classes="h")
            yield Prose(self.tr("help.intro"))
            yield Static(self.text("help.steps"), classes="h")
            for step in STEPS:
                yield Static(badge(step, lang))
                yield Prose(STEP_MEANINGS[step][lang])
            yield Static(self.text("help.scale"), classes="h")
            yield Static(Content("\n").join(
                Content.assemble((f"{v:+d}" if v else " 0", f"bold {tone(v)}"), "  ", label(v, lang))
                for v in range(3, -4, -1)))
            yield Static(self.text("help.scoring"), classes="h")
            yield Prose(self.tr("help.scoring_text"))
            yield Static(self.text("help.keys"), classes="h")
            yield Prose(self.tr("help.keys_text"))
            yield Static(self.text("help.cards"), classes="h", id="cards-heading")
            yield from card_widgets(list(cards()), lang)

    def action_close(self) -> None:
        self.dismiss(None)
