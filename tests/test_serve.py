"""`mot serve`: the command each browser tab runs, loopback by default, and a real server that
answers with the page that connects to it."""

from __future__ import annotations

import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from game.cli import build_parser
from game.commands.serve import classroom_command, is_loopback
from game.store import Store

ROOT = Path(__file__).resolve().parent.parent


def parse(*argv):
    return build_parser().parse_args(["serve", *argv])


def test_each_tab_runs_the_classroom_asking_for_its_team(tmp_path):
    db = tmp_path / "a dir" / "room.sqlite3"
    args = parse("--room", "周一 班", "--db", str(db))
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert shlex.split(classroom_command(args)) == [
        sys.executable, "-m", "game", "classroom", "--room", "周一 班", "--db", str(db.resolve()),
        "--ask-team"]
    args = parse("--room", "R", "--db", "x.sqlite3", "--level", "first-call", "--lang", "zh",
                 "--timer", "0")
    words = shlex.split(classroom_command(args))
    assert words[words.index("--db") + 1] == str(Path("x.sqlite3").resolve())  # absolute
    assert words[-6:] == ["--level", "first-call", "--lang", "zh", "--timer", "0"]


def test_loopback():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.20", "::", "example.org"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback_and_creates_the_room(tmp_path):
    db, port = tmp_path / "room.sqlite3", _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "game", "serve", "--room", "周一班",
                             "--db", str(db), "--port", str(port), "--level", "first-call"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline, page = time.monotonic() + 20, None
        while page is None:
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "mot serve did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.1)
        assert f"ws://127.0.0.1:{port}/ws" in page
        assert "周一班" in page  # the page title names the room
        with Store(db) as store:
            assert store.room("周一班") is not None
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
