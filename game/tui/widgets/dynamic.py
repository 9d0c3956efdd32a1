"""A scrolling container whose children come from a callable, rebuilt by `recompose()` or
updated in place by `refill()`.

Screens that keep their state outside widgets (the scene, the debrief) use it to redraw one
region without recomposing the whole screen (which would restart the meter's animation).

`refill()` composes the region again but keeps every widget that is still there: a widget of
the same type and id at the same place takes the new one's content (a Static its content, a
Prose its text, a card its choice, a container its children, recursively); only what differs
is mounted or removed. Textual styles and lays out each new widget, which was most of a
move's CPU when the whole stage was rebuilt; changing content costs a repaint. The tree after
a refill is the tree a recompose would build (same widgets, ids, classes, order), so queries
and snapshots see no difference.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.compose import compose
from textual.containers import Container, Horizontal, HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, Static

CONTAINERS = (Container, Horizontal, HorizontalGroup, Vertical, VerticalGroup, VerticalScroll)


async def _take(old: Widget, new: Widget) -> bool:
    """Make `old` show what `new` would; False when it cannot (then `new` replaces it)."""
    kind = type(old)
    if kind is not type(new) or old.id != new.id:
        return False
    morph = getattr(old, "morph_from", None)
    if morph is not None:  # the widget knows what to copy (and its classes)
        return morph(new) is not False
    if kind is Button:  # its variant's class is its own: leave its classes alone
        old.label = new.label
        old.variant = new.variant
        return True
    if kind not in CONTAINERS and kind not in (Static, Label):
        return False  # a widget with state of its own: always a fresh one
    if old.classes != new.classes:
        old.set_classes(new.classes)
    if kind in (Static, Label):
        if old.content != new.content:
            old.update(new.content)
    else:
        await _fill(old, list(new._pending_children))
    return True


async def _fill(parent: Widget, widgets: list[Widget]) -> None:
    """Bring `parent`'s children in line with `widgets`: keep the leading ones that can take
    the new content, remove the rest (first: ids must be free) and mount what is new."""
    old = [child for child in parent.children if not child.has_class("-textual-system")]
    keep = 0
    for current, new in zip(old, widgets):
        if not await _take(current, new):
            break
        keep += 1
    if old[keep:]:
        await parent.remove_children(old[keep:])
    if widgets[keep:]:
        await parent.mount_all(widgets[keep:])


class DynamicScroll(VerticalScroll):
    """With `lazy=True` nothing is built until `load()`: tabs nobody opens cost nothing.

    The scrollbar's gutter is always reserved, so text does not re-wrap (and Chinese lines do
    not jump) when a scrollbar appears."""

    DEFAULT_CSS = """
    DynamicScroll { scrollbar-gutter: stable; }
    """

    def __init__(self, source: Callable[[], ComposeResult], lazy: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._source = source
        self.loaded = not lazy

    def compose(self) -> ComposeResult:
        if self.loaded:
            yield from self._source()

    async def load(self) -> None:
        if not self.loaded:
            self.loaded = True
            await self.recompose()

    async def refill(self) -> None:
        """Compose again, changing the widgets that are there rather than replacing them.
        Focus inside the region leaves first: a focused card or button that goes would hand
        focus to this scroll, and focusing (then blurring) it restyles everything in it."""
        if not self.is_attached or self._pruning:
            return
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            self.screen.set_focus(None)
        async with self.batch():
            await _fill(self, compose(self))
