"""A level file that does not load: its diagnostics as file:line:col, until it is fixed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.prose import Prose
from .base import GameScreen


class ErrorsScreen(GameScreen):
    DEFAULT_CSS = """
    ErrorsScreen VerticalScroll { padding: 1 2; }
    ErrorsScreen .h { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorsScreen .diag { color: $error; }
    ErrorsScreen .warn { color: $warning; }
    ErrorsScreen #hint { margin-top: 1; color: $foreground-muted; }
    """

    def __init__(self, path, diagnostics) -> None:
        super().__init__()
        self.path = path
        self.diagnostics = diagnostics

    def compose(self) -> ComposeResult:
        yield MotHeader()
        with VerticalScroll():
            yield Static(self.text("errors.title", file=str(self.path)), classes="h")
            for d in self.diagnostics:
                # In the player's language (F2 recomposes): code and file:line:col stay ASCII;
                # Chinese wraps per character (a long message is one "word" to Textual).
                yield Prose(d.render(self.lang), classes="diag" if d.is_error else "warn")
            yield Static(self.text("errors.hint"), id="hint")
        yield MotFooter()
