"""A scrolling container whose children come from a callable, rebuilt by `recompose()`.

Screens that keep their state outside widgets (the scene, the debrief) use it to redraw one
region without recomposing the whole screen (which would restart the meter's animation).
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import VerticalScroll


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
