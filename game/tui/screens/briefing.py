"""Briefing: who you are, who the customer is, the situation; for a finale, the scorecard."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ...model import Level
from ..prepared import BUILD_AFTER, Prepared
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.portrait import Portrait
from ..widgets.prose import Prose
from ..widgets.scorecard import Scorecard
from .base import GameScreen


class BriefingScreen(GameScreen):
    DEFAULT_CSS = """
    BriefingScreen #brief-scroll { height: 1fr; padding: 0 2; }
    BriefingScreen #brief-title { text-style: bold; color: $accent; margin: 1 0; }
    BriefingScreen .who { height: auto; margin-top: 1; }
    BriefingScreen .who-text { height: auto; width: 1fr; }
    BriefingScreen .who-name { text-style: bold; }
    BriefingScreen .who-role { color: $foreground-muted; }
    BriefingScreen #brief-buttons { height: 1; padding: 0 2; margin-bottom: 1; }
    BriefingScreen Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("enter", "start", "Start", id="briefing.start"),
        Binding("escape", "back", "Back", id="briefing.back"),
    ]

    def __init__(self, level: Level) -> None:
        super().__init__()
        self.level = level
        self._scene = Prepared()  # the level's first scene, built while this is read

    def compose(self) -> ComposeResult:
        level, lang = self.level, self.lang
        yield MotHeader()
        with VerticalScroll(id="brief-scroll"):
            yield Static(Content(level.title.get(lang)), id="brief-title")
            yield Prose(level.brief.get(lang), id="brief-text")
            for key, char_id in (("briefing.you", level.you), ("briefing.customer", level.customer)):
                char = level.character(char_id)
                if char is None:
                    continue
                with Horizontal(classes="who"):
                    with Vertical(classes="who-text"):
                        yield Static(self.text(key), classes="who-role")
                        yield Static(Content(char.name.get(lang)), classes="who-name")
                        yield Prose(char.role.get(lang), classes="who-role")
                    if char.portrait:
                        yield Portrait(char.portrait)
            if level.scorecard and self.app.library is not None:
                yield Static(self.text("scorecard.title"), classes="who-name")
                yield Scorecard(self.app.library.campaign_of(level.id), self.app.best_scores(), lang, exclude=level.id)
        with Horizontal(id="brief-buttons"):
            yield Button(self.tr("briefing.start"), id="start", variant="primary", compact=True)
            yield Button(self.tr("briefing.back"), id="back", compact=True)
        yield MotFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        self.set_timer(BUILD_AFTER, self._prepare_scene)

    def after_language_change(self) -> None:
        self._scene.drop()  # built in the other language
        self.set_timer(BUILD_AFTER, self._prepare_scene)

    def on_unmount(self) -> None:
        self._scene.drop()

    def _prepare_scene(self) -> None:
        """Build the first scene (off screen) while the briefing is read: Enter only shows it."""
        from .scene import SceneScreen

        if (self._scene.screen is None and self.is_attached and self.app.screen is self
                and SceneScreen.preparable(self.app)):
            self._scene.build(self.app, SceneScreen(self.level))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start() if event.button.id == "start" else self.action_back()

    def action_start(self) -> None:
        from .scene import SceneScreen

        screen = self._scene.take()
        if screen is None:
            screen = SceneScreen(self.level)
        else:
            screen.started_at = datetime.now(timezone.utc)  # the level starts now, not when it was built
        self.app.switch_screen(screen)

    def action_back(self) -> None:
        self.app.pop_screen()
