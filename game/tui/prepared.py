"""A screen built ahead, while the learner reads, so the key that shows it only shows it.

The debrief is the one screen a level ends on: some forty widgets to compose, mount and style
before its first frame (about half of the Enter's CPU; at twenty served tabs, the slowest key
of a level). It can be built while the learner reads the last coach note, seconds before
they press Enter. Textual composes a screen when it is registered with the app, and
`push_screen`/`switch_screen` register a screen only when it is not running yet; so a
screen registered early (the same call `push_screen` makes) is composed, mounted and styled
off the stack, and switching to it later lays it out and draws it.

What the screen shows must not change between building and showing it: `Prepared` keeps the
conditions it was built under (language, theme, and whatever the caller adds) and hands the
screen over only when they still hold; otherwise, and whenever the caller drops it, the
unused screen is removed, so nothing off the stack lingers or keeps running.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import App
from textual.screen import Screen


class Prepared:
    """One screen built ahead, with the conditions it was built under."""

    def __init__(self, app: App, screen: Screen, key: Hashable = ()) -> None:
        self.app, self.screen = app, screen
        self.key = self._conditions(app, key)
        # Registering starts the screen's message loop: it composes and mounts now.
        app._register(app, screen)

    @staticmethod
    def _conditions(app: App, key: Hashable) -> tuple:
        return (getattr(app, "lang", None), app.theme, key)

    @property
    def ready(self) -> bool:
        """Composed and mounted (for tests and benchmarks that wait for it)."""
        return self.screen.is_running and self.screen.is_mounted

    def take(self, key: Hashable = ()) -> Screen | None:
        """The screen, when the conditions still hold; else None (and the screen is dropped)."""
        if self._conditions(self.app, key) == self.key and self.screen.is_running:
            return self.screen
        self.drop()
        return None

    def drop(self) -> None:
        """Remove the screen unless it was shown (it is then the stack's to remove)."""
        screen = self.screen
        if screen.is_attached and not any(screen in stack for stack in self.app._screen_stacks.values()):
            screen.remove()
