"""A character's text-art portrait from assets/portraits/<name>.txt (missing file: nothing)."""

from __future__ import annotations

from functools import lru_cache

from textual.content import Content
from textual.widgets import Static

from ...paths import default_assets_dir, read_regular
from ...model import clean_text

MAX_LINES, MAX_WIDTH = 9, 24
MAX_BYTES = 64 * 1024


@lru_cache(maxsize=64)
def read_portrait(name: str) -> str:
    """The art, cleaned of control characters and cut to a size that fits beside dialogue."""
    assets = default_assets_dir()
    try:  # a regular file inside assets/, never a FIFO that would hang the scene, and small
        raw = read_regular(assets / "portraits" / f"{name}.txt", MAX_BYTES, inside=assets)
        text = clean_text(raw.decode("utf-8"))
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

    def morph_from(self, new: "Portrait") -> bool:
        """The same art stays (see DynamicScroll.refill); another is a new portrait."""
        return self.content == new.content and self.classes == new.classes
