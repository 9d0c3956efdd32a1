"""How to join the room, big enough for the back row: the address, the join code, the QR code.

Shown over the scoreboard (`j`) when a server of the room (`mot serve`, a vote) said how to join.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Digits, Static

from ...i18n import t
from ..widgets.qr import QrCode


class JoinInfoScreen(ModalScreen):
    DEFAULT_CSS = """
    JoinInfoScreen { align: center middle; }
    JoinInfoScreen #join-box { width: auto; max-width: 100%; height: auto; max-height: 100%;
                               border: round $accent; padding: 0 2; background: $surface;
                               overflow-y: auto; }
    JoinInfoScreen #join-title { text-style: bold; color: $accent; }
    JoinInfoScreen #join-code { width: auto; color: $warning; }
    JoinInfoScreen #join-hint { color: $foreground-muted; }
    """
    BINDINGS = [Binding("escape,j", "dismiss", "Close", id="join.close")]

    def __init__(self, url: str, code: str | None, lang: str) -> None:
        super().__init__()
        self.url, self.code, self.lang = url, code, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="join-box"):
            yield Static(Content(t("join.title", self.lang)), id="join-title")
            yield Static(Content(self.url), id="join-url")
            if self.code:
                yield Static(Content(t("join.code", self.lang)))
                yield Digits(self.code, id="join-code")
            yield QrCode(self.url, id="join-qr")
            yield Static(Content(t("join.hint", self.lang)), id="join-hint")
