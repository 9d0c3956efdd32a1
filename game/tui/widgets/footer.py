"""The Footer, fitted to the terminal: below 100 columns the palette hint (Ctrl+P, also in the
help) steps aside, so at 80×24 every key the screen offers stays visible."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100


class MotFooter(Footer):
    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
