"""Asks for the team's name when a browser tab or terminal joins a classroom room.

A name that another screen of the room is playing is refused (the store's claim is atomic, so
two tabs racing for one name cannot both get it): the screen says so in words, never as markup,
and asks for another name, or offers "That's us: resume" for a team coming back to it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from ...model import clean_name
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.prose import Prose
from .base import GameScreen

MAX_NAME = 24


class TeamNameScreen(GameScreen):
    DEFAULT_CSS = """
    TeamNameScreen { align: center middle; }
    TeamNameScreen Vertical { width: 60; height: auto; border: thick $accent; padding: 1 2; }
    TeamNameScreen .h { text-style: bold; color: $accent; }
    TeamNameScreen #team-taken { color: $warning; margin: 1 0 0 0; }
    TeamNameScreen #team-resume { margin: 1 0 0 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.taken: str | None = None  # the name refused last: kept across a language switch

    def compose(self) -> ComposeResult:
        yield MotHeader()
        with Vertical():
            yield Static(self.text("team.title"), classes="h")
            yield Prose(self.tr("team.prompt", room=self.app.room or ""))
            yield Input(placeholder=self.tr("team.placeholder"), max_length=MAX_NAME, id="team-name")
            if self.taken is not None:
                yield Static(self.text("team.taken", team=self.taken, room=self.app.room or ""),
                             id="team-taken")
                yield Button(Content(self.tr("team.resume")), id="team-resume")
        yield MotFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def after_language_change(self) -> None:
        self.query_one(Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        name = clean_name(event.value)  # never a terminal code in a name others will see
        if not name:
            self.notify(self.tr("team.empty"), severity="warning", markup=False)
            return
        if self._join(name):
            return
        self.taken = name  # another screen plays it: say so, and ask again
        await self.recompose()
        self.query_one(Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "team-resume" and self.taken is not None:
            event.stop()
            self._join(self.taken, resume=True)

    def _join(self, name: str, resume: bool = False) -> bool:
        """True once joined (or when the save file failed, which has been said)."""
        from ...store import StoreError

        try:
            return self.app.claim_and_join(name, resume=resume)
        except StoreError as error:  # a full or read-only disk: a message, not a traceback
            self.notify(error.message(self.lang), severity="error", markup=False, timeout=15)
            return True
