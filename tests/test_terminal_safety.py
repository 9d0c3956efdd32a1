"""Untrusted strings never drive the terminal or the markup parser: team and room names are
cleaned where they enter, everything `mot` prints passes a filter, and the scoreboard shows a
room name with markup as plain text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from game.store import Store

ROOT = Path(__file__).resolve().parent.parent
EVIL = "\x1b]2;PWN\x1b\\\x1b[2J红队\u202e"


def mot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_team_name_with_escapes_is_stored_and_exported_clean(tmp_path):
    db = tmp_path / "room.sqlite3"
    assert mot("run", "first-call", "--ideal", "--team", EVIL, "--room", "R", "--db", str(db)).returncode == 0
    with Store(db) as store:
        (run,) = store.runs(room="R")
    assert run.team == "]2;PWN\\[2J红队"
    out = subprocess.run([sys.executable, "-m", "game", "results", "--room", "R", "--db", str(db),
                          "--format", "csv"], cwd=ROOT, capture_output=True, timeout=120).stdout
    assert b"\x1b" not in out and "红队".encode() in out


def test_check_never_prints_a_raw_escape(tmp_path):
    level = tmp_path / "lv" / "01-x.toml"
    level.parent.mkdir()
    text = (ROOT / "tests" / "fixtures" / "balance" / "base-balanced.toml").read_text("utf-8")
    level.write_text(text.replace('title = "Balance: BASE"', 'title = { en = "x", "\\u001b[2Jfr" = "y" }'),
                     encoding="utf-8")
    proc = mot("check", str(level))
    assert proc.returncode == 1 and "E004" in proc.stdout
    assert "\x1b" not in proc.stdout + proc.stderr and "[2Jfr" in proc.stdout


async def test_the_scoreboard_shows_markup_in_a_room_name_as_text(tmp_path):
    from game.tui.scoreboard import ScoreboardApp
    from game.tui.screens.scoreboard import ScoreboardScreen
    from tests.tui_helpers import tutorial_library, wait_for

    room = "[@click=app.quit]周一班[/x]"
    app = ScoreboardApp(room, tmp_path / "room.sqlite3", lang="en", library=tutorial_library())
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreboardScreen) and app.screen.query("#banner"),
                       what="the scoreboard's banner")
        banner = str(app.screen.query_one("#banner").render())
        assert room in banner
        await pilot.click("#banner")
        await pilot.pause()
        assert app.is_running  # the [@click] in the name did nothing
