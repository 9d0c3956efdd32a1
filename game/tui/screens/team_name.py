"""Asks for the team's name when a browser tab or terminal joins a classroom room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Input, Static

from ...model import clean_name
from ..widgets.footer import MotFooter
from ..widgets.prose import Prose
from .base import GameScreen

MAX_NAME = 24


class TeamNameScreen(GameScreen):
    DEFAULT_CSS = """
    TeamNameScreen { align: center middle; }
    TeamNameScreen Vertical { width: 60; height: auto; border: thick $accent; padding: 1 2; }
    TeamNameScreen .h { text-style: bold; color: $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(self.text("team.title"), classes="h")
            yield Prose(self.tr("team.prompt", room=self.app.room or ""))
            yield Input(placeholder=self.tr("team.placeholder"), max_length=MAX_NAME, id="team-name")
        yield MotFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = clean_name(event.value)  # never a terminal code in a name others will see
        if not name:
            self.notify(self.tr("team.empty"), severity="warning", markup=False)
            return
        self.app.join_as(name)
