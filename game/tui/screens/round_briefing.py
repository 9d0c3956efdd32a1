"""The briefing that opens every level of a hot-seat round or campaign: "Round n/N · level ·
you play …", the situation, and the order the teams play in (it rotates each round)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ...classroom import Round
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.prose import Prose
from .base import GameScreen


class RoundBriefingScreen(GameScreen):
    DEFAULT_CSS = """
    RoundBriefingScreen #round-brief { height: 1fr; padding: 0 2; }
    RoundBriefingScreen #round-title { width: 100%; text-style: bold; color: $text; background: $accent;
                                       padding: 1 2; margin: 1 0; }
    RoundBriefingScreen #round-role { color: $foreground-muted; margin-bottom: 1; }
    RoundBriefingScreen #round-order { text-style: bold; margin-top: 1; }
    RoundBriefingScreen #round-buttons { height: 1; padding: 0 2; margin-bottom: 1; }
    RoundBriefingScreen.-projector #round-title { padding: 2 4; }
    RoundBriefingScreen.-projector #round-brief { padding: 0 4; }
    """
    BINDINGS = [
        Binding("enter", "start", "Start", id="round.start"),
        Binding("escape", "quit_asking", "Quit", id="round.quit"),
    ]

    def __init__(self, round_: Round, number: int, total: int) -> None:
        super().__init__()
        self.round = round_
        self.number = number
        self.total = total

    def compose(self) -> ComposeResult:
        level, lang = self.round.level, self.lang
        you = level.character(level.you)
        role = you.name.get(lang) if you else ""
        yield MotHeader()
        with VerticalScroll(id="round-brief"):
            yield Static(self.text("class.briefing", n=self.number, total=self.total,
                                   level=level.title.get(lang), role=role), id="round-title")
            if you is not None and you.role:
                yield Static(Content(you.role.get(lang)), id="round-role")
            yield Prose(level.brief.get(lang), id="round-text")
            teams = self.round.teams
            order = [teams[(self.round.first + i) % len(teams)].name for i in range(len(teams))]
            yield Static(self.text("class.order", order=" → ".join(order)), id="round-order")
        with Horizontal(id="round-buttons"):
            yield Button(self.tr("briefing.start"), id="start", variant="primary", compact=True)
        yield MotFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        self._fit(self.app.size.width, self.app.size.height)

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        from .classroom import PROJECTOR

        self.set_class(width >= PROJECTOR[0] and height >= PROJECTOR[1], "-projector")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        self.app.start_round()

    async def action_quit_asking(self) -> None:
        await self.app.action_quit()
