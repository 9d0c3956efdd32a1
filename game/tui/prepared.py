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

from collections.abc import Callable, Hashable

from textual.app import App
from textual.screen import Screen

BUILD_AFTER = 0.4  # seconds after the screen before is drawn: it is read for longer than that


class Prepared:
    """At most one screen built ahead (for a screen's next step), with the conditions it was
    built under. Empty until `build`; `take` and `drop` leave it empty again."""

    def __init__(self) -> None:
        self.app: App | None = None
        self.screen: Screen | None = None
        self.key: tuple = ()

    def _conditions(self, key: Hashable) -> tuple:
        return (getattr(self.app, "lang", None), self.app.theme, key)

    def build(self, app: App, screen: Screen, key: Hashable = ()) -> None:
        self.drop()
        self.app, self.screen = app, screen
        self.key = self._conditions(key)
        # Registering starts the screen's message loop: it composes and mounts now.
        app._register(app, screen)

    @property
    def ready(self) -> bool:
        """Composed and mounted (for tests and benchmarks that wait for it)."""
        return self.screen is not None and self.screen.is_running and self.screen.is_mounted

    def take(self, key: Hashable = (), usable: Callable[[Screen], bool] = lambda screen: True) -> Screen | None:
        """The screen, when the conditions still hold and `usable(screen)`; else None (and the
        screen is dropped)."""
        screen = self.screen
        if (screen is not None and screen.is_running and self._conditions(key) == self.key
                and usable(screen)):
            self.screen = None
            return screen
        self.drop()
        return None

    def drop(self) -> None:
        """Remove the screen unless it was shown (it is then the stack's to remove)."""
        screen, self.screen = self.screen, None
        if screen is not None and screen.is_attached and not any(
                screen in stack for stack in self.app._screen_stacks.values()):
            screen.remove()
