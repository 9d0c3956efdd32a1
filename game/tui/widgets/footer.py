"""The Footer: the keys the screen offers, drawn as one line by one widget.

Textual's Footer is a container with a widget per key. Every change of keys (a scene's 1-9
Choose becoming Enter Continue, twice a move) restyled, re-measured and laid out each of them,
and each frame composited them one by one: about a fifth of a move's CPU. This Footer looks the
same (the same theme variables, paddings, hover, dimmed disabled keys, the palette key on the
right behind its bar) but is a single line of text: a change of keys is a repaint of one line.

Below 100 columns the palette hint (Ctrl+P, also in the help) steps aside, so at 80×24 every key
the screen offers stays visible; keys that do not fit are cut at the right edge, as before.
A click (mouse down) on a key presses it; a disabled key rings the bell.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

NARROW = 100


class Key(NamedTuple):
    key: str
    display: str
    description: str
    disabled: bool
    tooltip: str


class MotFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--item",
                         "footer-key--hover", "footer-key--bar"}
    DEFAULT_CSS = """
    MotFooter {
        dock: bottom; height: 1; width: 1fr;
        color: $footer-foreground; background: $footer-background;
        text-wrap: nowrap; text-overflow: clip;
        & > .footer-key--item { background: $footer-item-background; }
        & > .footer-key--hover { color: $footer-key-foreground; background: $block-hover-background; }
        & > .footer-key--key {
            color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground; background: $footer-description-background;
        }
        & > .footer-key--bar { color: $foreground 20%; }
    }
    """

    show_command_palette = reactive(True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._ready = False
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # where each key was drawn (for clicks)
        self._hover: Key | None = None

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
            self._show()

    def bindings_changed(self, screen) -> None:
        self._ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._show()

    def sync(self) -> None:
        """Show the screen's keys now (in the caller's frame)."""
        if self.app.app_focus:
            self._show()

    def _show(self) -> None:
        """Read the keys from the screen's bindings; repaint only if they changed."""
        if not self._ready or not self.is_attached:
            return
        keys, palette = self._read()
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    def _read(self) -> tuple[tuple[Key, ...], Key | None]:
        """The keys Textual's Footer would show: the first shown binding of each action, in
        the order of the screen's active bindings; the palette's key apart."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, Key] = {}
        own_display = getattr(self.screen, "key_display", None)  # a screen may say it better ("1-4")
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                display = (own_display(binding) if own_display else None) or app.get_key_display(binding)
                by_action[binding.action] = Key(binding.key, display, binding.description, not enabled,
                                                tooltip or "")
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _ = found
                palette = Key(binding.key, app.get_key_display(binding), binding.description,
                              not enabled, binding.tooltip or binding.description)
        return tuple(by_action.values()), palette

    # -- drawing ---------------------------------------------------------------------------
    def _key_text(self, key: Key, compact: bool = False) -> Text:
        """One key as Textual's FooterKey draws it: " key " then "description " (compact, as
        the palette's key is: "key" then " description")."""
        key_style = self._style("footer-key--key")
        description_style = self._style("footer-key--description")
        if key.description:
            text = (Text.assemble((key.display, key_style), (f" {key.description}", description_style)) if compact
                    else Text.assemble((f" {key.display} ", key_style), (f"{key.description} ", description_style)))
        else:
            text = Text.assemble((key.display, key_style))
        text.stylize_before(self._item_style(key))
        return text

    def render(self) -> Text:
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in self._keys if self._ready else ():
            text = self._key_text(key)
            start = cell_len(line.plain)
            line.append_text(text)
            self._spans.append((start, start + text.cell_len, key))
        if self._palette is not None and self._ready:
            palette = self._key_text(self._palette, compact=True)
            palette.append(" ", self._item_style(self._palette))
            bar = Text("▏", self._style("footer-key--bar") + Style(
                bgcolor=self._item_style(self._palette).bgcolor))
            bar.append_text(palette)
            start = max(0, width - bar.cell_len)
            used = min(cell_len(line.plain), start)
            line.truncate(used)  # the docked key covers what runs under it
            line.pad_right(start - used)
            line.append_text(bar)
            self._spans = [span for span in self._spans if span[1] <= start]
            self._spans.append((start + 1, start + bar.cell_len, self._palette))
        return line

    def _style(self, component: str) -> Style:
        """A component's style; plain before the stylesheet has styled this Footer."""
        return self.get_component_rich_style(component, default=Style.null())

    def _item_style(self, key: Key) -> Style:
        item = self._style("footer-key--hover" if key == self._hover else "footer-key--item")
        return item + Style(dim=True) if key.disabled else item

    # -- mouse -----------------------------------------------------------------------------
    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_on(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_on(None)

    def _hover_on(self, key: Key | None) -> None:
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()
