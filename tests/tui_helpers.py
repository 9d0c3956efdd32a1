"""Build the real app on a fixed set of levels, for Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

from game.library import Library, load_folder
from game.store import Store
from game.tui.app import MotApp

ROOT = Path(__file__).resolve().parent.parent


def tutorial_library() -> Library:
    entry, _ = load_folder(ROOT / "levels" / "tutorial")
    return Library(ROOT / "levels", campaigns=[entry])


def make_app(data_dir: Path, lang: str = "en", **kwargs) -> MotApp:
    """The app on the tutorial. Cards keep the file's order (`shuffle=False`) so tests can press
    the numbers they mean; tests/test_shuffle.py plays with the shuffle on."""
    library = kwargs.pop("library", None) or tutorial_library()
    store = Store(Path(data_dir) / "mot.sqlite3")
    kwargs.setdefault("shuffle", False)
    return MotApp(lang=lang, library=library, store=store, player="tester", **kwargs)
