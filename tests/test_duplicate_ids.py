"""Two level files with the same id: an error (E007) naming both, not an impostor that silently
hides the real level."""

from __future__ import annotations

from pathlib import Path

from game.commands.check import check
from game.library import load_library

BASE = Path(__file__).resolve().parent / "fixtures" / "balance" / "base-balanced.toml"


def two_campaigns(tmp_path) -> Path:
    root = tmp_path / "levels"
    for folder, title in (("a-course", "The real one"), ("b-course", "The impostor")):
        (root / folder).mkdir(parents=True)
        text = BASE.read_text("utf-8").replace('title = "Balance: BASE"', f'title = "{title}"')
        (root / folder / "01-level.toml").write_text(text, encoding="utf-8")
    return root


def test_check_names_both_files(tmp_path):
    root = two_campaigns(tmp_path)
    _, diagnostics, _ = check([root])
    (dup,) = [d for d in diagnostics if d.code == "E007"]
    assert "b-course" in dup.path and "a-course/01-level.toml" in dup.message
    assert dup.line > 1  # at the `id` value, not the top of the file


def test_the_library_plays_the_first_and_lists_the_other_as_broken(tmp_path):
    library = load_library(two_campaigns(tmp_path))
    (level,) = library.levels
    assert level.title.get("en") == "The real one"
    (broken,) = library.broken
    assert broken.path.parent.name == "b-course" and broken.diagnostics[-1].code == "E007"
