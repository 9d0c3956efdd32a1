"""A scrolling container whose children come from a callable, rebuilt by `recompose()`.

Screens that keep their state outside widgets (the scene, the debrief) use it to redraw one
region without recomposing the whole screen (which would restart the meter's animation).
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import VerticalScroll


class DynamicScroll(VerticalScroll):
    def __init__(self, source: Callable[[], ComposeResult], **kwargs) -> None:
        super().__init__(**kwargs)
        self._source = source

    def compose(self) -> ComposeResult:
        yield from self._source()
