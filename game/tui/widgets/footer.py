"""The Footer, fitted to the terminal: below 100 columns the palette hint (Ctrl+P, also in the
help) steps aside, so at 80×24 every key the screen offers stays visible.

It also rebuilds only when what it shows changes. Textual's Footer recomposes on every
bindings update (each focus change, each redraw of a scene: a dozen a move), and building its
keys was a fifth of the CPU of a played level; here updates in one frame are one check, and an
unchanged set of keys is no rebuild at all.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100


class MotFooter(Footer):
    _shown: tuple | None = None
    _check_pending = False

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow

    def _signature(self) -> tuple:
        """Everything the keys are built from: the shown bindings, enabled or not, and the hint."""
        keys = tuple((b.key, b.action, b.description, b.key_display, enabled, tooltip, id(b.group))
                     for (_, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show)
        return keys, self.show_command_palette, self.compact

    def compose(self):
        if self._bindings_ready:
            self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._check_pending = False
        if self.is_attached and self._signature() != self._shown:
            await self.recompose()
