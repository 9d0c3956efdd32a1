"""`mot debrief`: a small Textual app that shows one room's class debrief (see
screens/class_debrief.py). It holds only what the command read: the level, the room's runs of
it and its votes; the database was opened read-only and is not touched again. Esc or Ctrl+Q
quits, F2 switches 中文/English."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from ..i18n import default_language
from ..model import Level
from .crash import CrashReport
from .localize import SwitchesLanguage, localize_bindings


class DebriefApp(CrashReport, SwitchesLanguage, App):
    TITLE = "Moment of Truth · 关键时刻"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    BINDINGS = [
        Binding("f2", "toggle_language", "中文/EN", id="language", tooltip="Switch language"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, level: Level, runs: Iterable = (), votes: Iterable = (), *,
                 room: str | None = None, lang: str | None = None) -> None:
        super().__init__()
        self.level, self.runs, self.votes, self.room = level, list(runs), list(votes), room
        self.set_reactive(DebriefApp.lang, lang or default_language())

    def on_mount(self) -> None:
        """The debrief is pushed, not the default screen: Textual loads a screen's own CSS only
        for screens it pushes. Closing it quits."""
        from .screens.class_debrief import ClassDebriefScreen

        localize_bindings(self, self.lang)
        self.push_screen(ClassDebriefScreen(self.level, self.runs, self.votes, room=self.room),
                         callback=lambda _: self.exit())

