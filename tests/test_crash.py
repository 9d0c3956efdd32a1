"""An exception nothing handles: one line on stderr naming a log file, exit status 1, and the
traceback in that file (never on the learner's screen, never parsed as markup)."""

from __future__ import annotations

import pytest

from game.tui.app import MotApp
from game.tui.scoreboard import ScoreboardApp

# Textual leaves a coroutine of the Header unawaited when an app dies in its first mount.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


class Broken(MotApp):
    def on_mount(self) -> None:
        raise ValueError("boom [/x] \x1b]2;PWN\x07")


def test_a_crash_is_one_line_and_a_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOT_HOME", str(tmp_path))
    app = Broken(lang="en")
    app.run(headless=True, size=(80, 24))
    assert app.return_code == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("mot:")]
    assert len(lines) == 1, err
    line = lines[0]
    assert "ValueError: boom [/x]" in line and "\x1b" not in line and "\x07" not in line
    logs = list((tmp_path / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in line
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "on_mount" in text
    assert "Traceback" not in err and "NOTE:" not in err


def test_the_line_speaks_the_players_language(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOT_HOME", str(tmp_path))
    app = Broken(lang="zh")
    app.run(headless=True, size=(80, 24))
    assert app.return_code == 1
    assert "游戏因意外错误而停止" in capsys.readouterr().err


def test_no_writable_folder_still_one_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MOT_HOME", str(blocker))
    monkeypatch.setenv("TMPDIR", str(blocker))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(blocker))
    app = Broken(lang="en")
    app.run(headless=True, size=(80, 24))
    err = capsys.readouterr().err
    assert app.return_code == 1 and "ValueError: boom" in err and "Details" not in err


class BrokenBoard(ScoreboardApp):
    def on_mount(self) -> None:
        raise RuntimeError("board")


def test_the_scoreboard_crashes_the_same_way(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOT_HOME", str(tmp_path))
    app = BrokenBoard("room", str(tmp_path / "x.sqlite3"), lang="en")
    app.run(headless=True, size=(80, 24))
    assert app.return_code == 1
    assert "RuntimeError: board" in capsys.readouterr().err


async def test_a_full_disk_mid_game_is_a_notice_not_a_crash(tmp_path):
    """The save fails as the level ends: the debrief still comes, the player is told why."""
    from game.store import StoreError
    from game.tui.screens.debrief import DebriefScreen
    from tests.tui_helpers import choose, go_on, make_app, open_first_level, wait_for_screen

    app = make_app(tmp_path)

    def full(*args, **kwargs):
        raise StoreError("S003", app.store.path, "database or disk is full")

    async with app.run_test(size=(80, 24)) as pilot:
        scene = await open_first_level(pilot)
        app.store.record_run = full
        app.store.save_progress = full
        while not scene.state.finished:
            await choose(pilot, 1)
            if not scene.state.finished:
                await go_on(pilot)
        await go_on(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert debrief.result.mot_score == 3
        shown = [n.message for n in app._notifications]
        assert any("disk is full" in m for m in shown), shown
        assert len([m for m in shown if "disk" in m]) == 1  # told once, not at every move
    assert app.return_code in (0, None)
