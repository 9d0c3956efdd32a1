"""The Footer, fitted to the terminal: below 100 columns the palette hint (Ctrl+P, also in the
help) steps aside, so at 80×24 every key the screen offers stays visible.

It also rebuilds only when what it shows changes. Textual's Footer recomposes on every
bindings update (each focus change, each redraw of a scene: a dozen a move), and building its
keys was a fifth of the CPU of a played level; here updates in one frame are one check, and an
unchanged set of keys is no rebuild at all. A changed set (a scene's 1-9 Choose becoming Enter
Continue) changes the keys already there rather than building new ones: every new FooterKey
is styled (and restyled for `compact`) from scratch, which made the Footer half of a move's CPU.
The footer after an update in place is the footer a recompose would build.
"""

from __future__ import annotations

from textual import events
from textual.compose import compose
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

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

    async def sync(self) -> None:
        """Show the screen's keys now (in the caller's frame), rather than after a refresh."""
        if self._bindings_ready and self.app.app_focus:
            with self._context():  # the new keys bind to this Footer (data_bind)
                await self._rebuild_if_changed(pending=self._check_pending)

    async def _rebuild_if_changed(self, pending: bool = False) -> None:
        self._check_pending = pending
        if self.is_attached and self._signature() != self._shown:
            if not await self._update_in_place():
                await self.recompose()

    async def _update_in_place(self) -> bool:
        """Make the keys shown the keys a recompose would build, reusing the FooterKeys there
        (spare ones stay, hidden: a new key costs a restyle); False (nothing changed) when
        either is more than a row of keys (groups, labels)."""
        new, old = compose(self), list(self.children)
        if not all(type(key) is FooterKey for key in (*new, *old)):
            return False
        palette = "-command-palette"
        new_palette = [key for key in new if key.has_class(palette)]
        old_palette = [key for key in old if key.has_class(palette)]
        if len(new_palette) != len(old_palette) or new[len(new) - len(new_palette):] != new_palette:
            return False
        new_keys = [key for key in new if not key.has_class(palette)]
        old_keys = [key for key in old if not key.has_class(palette)]
        for current, wanted in zip(old_keys + old_palette, new_keys[:len(old_keys)] + new_palette):
            _copy_key(current, wanted)
            if not current.display:
                current.display = True
        for spare in old_keys[len(new_keys):]:  # kept, hidden, for the next longer row
            if spare.display:
                spare.display = False
        if len(new_keys) > len(old_keys):
            extra = new_keys[len(old_keys):]
            await (self.mount_all(extra, before=old_palette[0]) if old_palette else self.mount_all(extra))
        return True


def _copy_key(key: FooterKey, new: FooterKey) -> None:
    """`key` becomes `new` (key, label, action, enabled, tooltip), repainted only if it changed."""
    shown = (new.key, new.key_display, new.description, new.action, new._disabled, new.tooltip)
    if shown == (key.key, key.key_display, key.description, key.action, key._disabled, key.tooltip):
        return
    key.key, key.key_display, key.description, key.action = new.key, new.key_display, new.description, new.action
    key._disabled = new._disabled
    key.tooltip = new.tooltip
    key.set_class(new._disabled, "-disabled")
    key.refresh(layout=True)
