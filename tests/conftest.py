"""Shared fixtures: every test gets its own save folder, and the app is built on known levels."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ROOT / "levels"
TUTORIAL = LEVELS / "tutorial"
FIRST_CALL = TUTORIAL / "01-first-call.toml"
FIRST_CALL_IDEAL = ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never read or write the real user's progress."""
    monkeypatch.setenv("MOT_HOME", str(tmp_path / "mot-home"))
    monkeypatch.delenv("MOT_LEVELS", raising=False)
    monkeypatch.delenv("MOT_LANG", raising=False)


@pytest.fixture(scope="session")
def level():
    """The tutorial's first level: small, stable, and every format feature in one file."""
    from game.loader import load_level

    return load_level(FIRST_CALL).level
