"""A character's text-art portrait from assets/portraits/<name>.txt (missing file: nothing)."""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content
from textual.widgets import Static

from ...paths import default_assets_dir
from ...model import clean_text

MAX_LINES, MAX_WIDTH = 9, 24


@lru_cache(maxsize=64)
def read_portrait(name: str) -> str:
    """The art, cleaned of control characters and cut to a size that fits beside dialogue."""
    assets = default_assets_dir().resolve()
    path = (assets / "portraits" / f"{name}.txt").resolve()
    if not path.is_relative_to(assets):
        return ""
    try:
        text = clean_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
    return "\n".join(line[:MAX_WIDTH] for line in text.splitlines()[:MAX_LINES])


class Portrait(Static):
    DEFAULT_CSS = """
    Portrait { width: auto; height: auto; color: $secondary; padding: 0 1; }
    """

    def __init__(self, name: str, **kwargs) -> None:
        super().__init__(Content(read_portrait(name)), **kwargs)
        if not read_portrait(name):  # only ever hidden inline: narrow screens hide it by CSS
            self.display = False
