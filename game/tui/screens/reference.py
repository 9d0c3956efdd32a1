"""The course's reference cards a coach's note cites, one key (r) away from the note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...reference import Card
from ..widgets.footer import MotFooter
from ..widgets.prose import Prose
from .base import GameModal


def card_widgets(cards: list[Card], lang: str) -> ComposeResult:
    """A card as the help screen and this screen show it: its title, then its text."""
    for c in cards:
        yield Static(Content.styled(c.title.get(lang), "bold $secondary"), classes="card-title",
                     id=f"card-{c.id}")
        yield Prose(c.body.get(lang), classes="card-body")


class ReferenceScreen(GameModal):
    DEFAULT_CSS = """
    ReferenceScreen { align: center middle; }
    ReferenceScreen > VerticalScroll { width: 90%; max-width: 84; height: 90%; border: thick $secondary;
                                       background: $surface; padding: 0 2; }
    ReferenceScreen .card-title { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,r,q", "close", "Close", id="reference.close")]

    def __init__(self, cards: list[Card]) -> None:
        super().__init__()
        self.cards = cards

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="cards"):
            yield from card_widgets(self.cards, self.lang)
        yield MotFooter()

    def on_mount(self) -> None:
        self.query_one("#cards").focus()  # ↑↓ PgUp PgDn scroll at once

    def action_close(self) -> None:
        self.dismiss(None)
