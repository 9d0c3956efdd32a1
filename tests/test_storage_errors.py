"""Hostile save files and folders: every attack ends quickly with exit 0 or 1, a message with a
code in both languages, and the user's file byte for byte as it was (nothing moved or created)."""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main as mot
from game.engine import Game
from game.i18n import STRINGS
from game.scoring import score
from game.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, storage_error
from tests.conftest import FIRST_CALL
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent
CODES = [f"S{n:03d}" for n in range(1, 11)]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: what must not change."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def attack(capsys, *args, code: str) -> str:
    """Run `mot ARGS`; it must fail with exit 1, quickly, saying error[code]. Returns stderr."""
    capsys.readouterr()
    start = time.monotonic()
    assert mot(list(args)) == 1
    assert time.monotonic() - start < 9  # never the 10 s busy timeout, never a hang
    err = capsys.readouterr().err
    assert f"error[{code}]: " in err, err
    assert "internal error" not in err and "Traceback" not in err
    return err


def run_args(*extra) -> list[str]:
    return ["run", str(FIRST_CALL), "--ideal", "--json", *extra]


def foreign_db(path: Path, version: int = 0) -> Path:
    """Another program's SQLite file: its own `players` table, with other columns."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE players (id INTEGER PRIMARY KEY, nickname TEXT, high_score REAL)")
    conn.execute("INSERT INTO players VALUES (1, 'zed', 99.5)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def version_1_db(path: Path) -> Path:
    """A save of ours at schema 1, with one run."""
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("INSERT INTO players(name) VALUES ('ana')")
    conn.execute(
        "INSERT INTO runs(uuid, player_id, level_id, room, team, mode, ending, mot_score, peak,"
        " end_value, adherence, explored_first, offered_before_act, acted, confirmed_last, found,"
        " total_discoveries, points, finished_at) VALUES ('u-1', 1, 'first-call', 'R', '红队',"
        " 'classroom', 'delighted', 3, 3, 3, 4, 1, 1, 1, 1, 3, 3, 86, '2025-03-01T09:00:00.000Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


# -- the messages ----------------------------------------------------------------------------

def test_every_code_has_a_message_in_both_languages():
    for code in CODES:
        entry = STRINGS[f"store.{code}"]
        assert entry["en"] and entry["zh"] and entry["en"] != entry["zh"]
        error = StoreError(code, "/data/mot.sqlite3", "boom", team="红队", room="R")
        assert error.code == code and set(error.messages) == {"en", "zh"}
        assert error.line("results", "zh") == f"mot results: error[{code}]: {error.messages['zh']}"
        assert error.message("fr") == error.messages["en"]


@pytest.mark.parametrize("exc, code", [
    (OSError(errno.ENOSPC, "No space left on device"), "S003"),
    (PermissionError(errno.EACCES, "Permission denied"), "S001"),
    (OSError(errno.EROFS, "Read-only file system"), "S001"),
    (sqlite3.OperationalError("database or disk is full"), "S003"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "S001"),
    (sqlite3.DatabaseError("file is not a database"), "S006"),
    (sqlite3.OperationalError("database is locked"), "S009"),
])
def test_errors_are_named_for_the_user(tmp_path, exc, code):
    error = storage_error(exc, tmp_path / "mot.sqlite3")
    assert error.code == code
    if code in ("S003", "S009"):  # SQLite's (or the system's) own words are kept
        assert all(_text(exc) in text for text in error.messages.values())


def _text(exc) -> str:
    return exc.strerror if isinstance(exc, OSError) else str(exc)


def test_a_failing_mkdir_is_a_read_only_folder(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "new" / "mot.sqlite3")
    assert caught.value.code == "S001" and isinstance(caught.value.__cause__, PermissionError)


# -- the data folder -------------------------------------------------------------------------

@pytest.mark.parametrize("below", ["", "sub"])
def test_a_data_dir_that_is_a_file_is_refused_by_every_command(tmp_path, capsys, monkeypatch, below):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes\n")
    home = notes / below if below else notes
    monkeypatch.setenv("MOT_HOME", str(home))
    monkeypatch.setenv("MOT_LANG", "en")
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        Store()
    assert caught.value.code == "S002" and caught.value.path == notes
    err = attack(capsys, *run_args("--room", "R", "--team", "红队"), code="S002")
    assert f"{notes} is a file, not a folder" in err
    attack(capsys, "play", code="S002")  # before the screen: no app, no traceback
    attack(capsys, "play", "--data-dir", str(home), code="S002")
    attack(capsys, "classroom", "--room", "R", "--team", "红队", "--level", "first-call", code="S002")
    monkeypatch.setenv("MOT_LANG", "zh")
    assert "是一个文件，而不是文件夹" in attack(capsys, "play", code="S002")
    assert snapshot(tmp_path) == before


def _writes_ignore_permissions(folder: Path) -> bool:
    """As root, chmod does not stop writes (and os.access says yes): try it."""
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


def test_a_read_only_data_dir_is_a_message(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    with Store(home / "mot.sqlite3") as store:  # an existing save, then the folder locked
        store.set_setting("lang", "en")
    before = snapshot(home)
    os.chmod(home, 0o555)
    try:
        if _writes_ignore_permissions(home):
            pytest.skip("running as root: chmod does not make a folder read-only")
        monkeypatch.setenv("MOT_HOME", str(home))
        monkeypatch.setenv("MOT_LANG", "en")
        for path in (home / "mot.sqlite3", home / "other.sqlite3", home / "sub" / "mot.sqlite3"):
            with pytest.raises(StoreError) as caught:
                Store(path)
            assert caught.value.code == "S001"
        assert "read-only" in attack(capsys, *run_args("--room", "R", "--team", "x"), code="S001")
        attack(capsys, "play", code="S001")
        capsys.readouterr()
        assert mot(["results", "--format", "csv"]) == 0  # reading still works
        assert snapshot(home) == before
    finally:
        os.chmod(home, 0o755)


# -- a full disk -----------------------------------------------------------------------------

def _connect_with(factory):
    return functools.partial(sqlite3.connect, factory=factory)


class FullDuringMigration(sqlite3.Connection):
    """The disk fills up while the migration creates a table; SQLite rolls the transaction back
    itself, so the ROLLBACK that follows fails with "cannot rollback"."""

    def execute(self, sql, *args):
        if sql.lstrip().startswith("CREATE TABLE live"):
            super().execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        if sql == "ROLLBACK" and not self.in_transaction:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")
        return super().execute(sql, *args)


def test_disk_full_in_the_migration_says_so_not_cannot_rollback(tmp_path, capsys, monkeypatch):
    path = version_1_db(tmp_path / "old.sqlite3")
    runs_before = sqlite3.connect(path).execute("SELECT * FROM runs").fetchall()
    monkeypatch.setattr(sqlite3, "connect", _connect_with(FullDuringMigration))
    with pytest.raises(StoreError) as caught:
        Store(path)
    error = caught.value
    assert error.code == "S003"
    assert str(error.__cause__) == "database or disk is full"
    for text in error.messages.values():
        assert "database or disk is full" in text and "cannot rollback" not in text
    monkeypatch.setenv("MOT_LANG", "en")
    err = attack(capsys, *run_args("--db", str(path), "--room", "R", "--team", "x"), code="S003")
    assert "the disk is full (database or disk is full)" in err and "cannot rollback" not in err
    monkeypatch.undo()
    conn = sqlite3.connect(path)  # nothing lost: still version 1, the run still there
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT * FROM runs").fetchall() == runs_before
    conn.close()
    with Store(path) as store:  # space again: the upgrade goes through
        assert [r.uuid for r in store.runs()] == ["u-1"]


class NoRoomToGrow(sqlite3.Connection):
    """A real SQLITE_FULL: the file may not grow by a single page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pages = super().execute("PRAGMA page_count").fetchone()[0]
        super().execute(f"PRAGMA max_page_count = {max(pages, 1)}")


def test_a_real_sqlite_full_during_the_migration(tmp_path, monkeypatch):
    path = version_1_db(tmp_path / "old.sqlite3")
    monkeypatch.setattr(sqlite3, "connect", _connect_with(NoRoomToGrow))
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.code == "S003" and "cannot rollback" not in str(caught.value)
    assert "database or disk is full" in caught.value.messages["zh"]
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    conn.close()


def test_disk_full_while_saving_a_run_keeps_the_file_whole(tmp_path, level):
    path = tmp_path / "mot.sqlite3"
    state = Game(level).play(IDEAL)
    result = score(level, state)
    with Store(path) as store:
        store.record_run("ana", level.id, level.campaign, state, result)
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError) as caught:
            for n in range(200):  # until a page is needed
                store.record_run(f"player-{n}", level.id, level.campaign, state, result)
        assert caught.value.code == "S003"
        assert "cannot rollback" not in str(caught.value)
        saved = len(store.runs())
        assert all(len(r.moves) == 5 for r in store.runs())  # no run without its moves
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        store.record_run("after", level.id, level.campaign, state, result)
        assert len(store.runs()) == saved + 1


# -- another program's database --------------------------------------------------------------

@pytest.mark.parametrize("version", [0, 1, SCHEMA_VERSION, 42])
def test_another_programs_database_is_refused_never_moved(tmp_path, capsys, monkeypatch, version):
    path = foreign_db(tmp_path / "app.db", version)
    monkeypatch.setenv("MOT_LANG", "en")
    before = snapshot(tmp_path)
    for opener in (Store, Store.open_readonly):
        with pytest.raises(StoreError) as caught:
            opener(path)
        assert caught.value.code == "S004" and caught.value.path == path
    assert "database of another program" in attack(
        capsys, "results", "--db", str(path), "--format", "csv", code="S004")
    attack(capsys, "scoreboard", "--room", "R", "--db", str(path), code="S004")
    attack(capsys, *run_args("--db", str(path), "--room", "R", "--team", "x"), code="S004")
    attack(capsys, "classroom", "--db", str(path), "--room", "R", "--team", "x",
           "--level", "first-call", code="S004")
    monkeypatch.setenv("MOT_HOME", str(tmp_path))
    (tmp_path / "mot.sqlite3").write_bytes(path.read_bytes())  # the game's own save is foreign
    before = snapshot(tmp_path)
    assert "其他程序的数据库" in attack(capsys, "play", "--lang", "zh", code="S004")
    assert snapshot(tmp_path) == before  # same bytes, same names, no .corrupt- or .newer- copy


def test_a_newer_save_of_ours_is_still_moved_aside_but_a_foreign_one_is_not(tmp_path):
    ours = tmp_path / "ours.sqlite3"
    Store(ours).close()
    conn = sqlite3.connect(ours)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as caught:  # read-only: said, not moved
        Store.open_readonly(ours)
    assert caught.value.code == "S008" and ours.exists()
    with Store(ours) as store:  # the game itself sets it aside, as before
        assert ".newer-" in store.moved_to.name and store.notice


# -- mot results / mot scoreboard: read-only ----------------------------------------------------

def test_a_missing_database_creates_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOT_LANG", "en")
    err = attack(capsys, "scoreboard", "--room", "R", "--db", "typo/x.sqlite3", code="S005")
    assert "no database at typo/x.sqlite3" in err
    attack(capsys, "results", "--db", "typo/x.sqlite3", "--format", "csv", code="S005")
    attack(capsys, "results", "--db", "none.sqlite3", "--format", "xapi", code="S005")
    monkeypatch.setenv("MOT_HOME", str(tmp_path / "never"))
    attack(capsys, "results", "--format", "csv", code="S005")  # the default file
    attack(capsys, "scoreboard", "--room", "R", code="S005")
    assert list(tmp_path.iterdir()) == []  # no typo/, no never/, no file


@pytest.mark.parametrize("content, code", [
    (b"name,score\nana,3\n", "S006"),           # notes, not a database
    (b"SQLite format 3\x00" + b"\xff" * 84, "S006"),  # a header, then garbage
    (b"", "S007"),                               # an empty file: SQLite, no game yet
])
def test_a_file_that_is_not_a_save_is_left_exactly_as_it_was(tmp_path, capsys, content, code):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    before = snapshot(tmp_path)
    attack(capsys, "results", "--db", str(path), "--format", "csv", code=code)
    attack(capsys, "results", "--db", str(path), "--format", "xapi", code=code)
    attack(capsys, "scoreboard", "--room", "R", "--db", str(path), code=code)
    assert snapshot(tmp_path) == before  # same bytes, same name, no .corrupt- copy


def test_results_as_a_separate_process_never_says_internal_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    done = subprocess.run([sys.executable, "-m", "game", "results", "--db", str(path),
                           "--format", "csv"], cwd=ROOT, capture_output=True, timeout=60, check=False,
                          env={**os.environ, "MOT_LANG": "zh"})
    assert done.returncode == 1 and done.stdout == b""
    err = done.stderr.decode()
    assert err.startswith("mot results: error[S006]: ") and "不是关键时刻的数据库" in err
    assert path.read_bytes() == b"hello" and sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_damaged_pages_are_reported_not_moved(tmp_path, capsys, level):
    path = tmp_path / "mot.sqlite3"
    state = Game(level).play(IDEAL)
    with Store(path) as store:
        for n in range(40):
            store.record_run("ana", level.id, level.campaign, state, score(level, state), room="R",
                             team=f"t{n}")
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 3 + 300] = b"\xff" * 300
    path.write_bytes(bytes(data))
    before = snapshot(tmp_path)
    capsys.readouterr()
    start = time.monotonic()
    code = mot(["results", "--db", str(path), "--format", "csv"])
    assert code in (0, 1) and time.monotonic() - start < 9
    if code == 1:
        assert "error[S006]" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_an_older_save_is_read_as_it_is_never_upgraded(tmp_path, capsysbinary):
    path = version_1_db(tmp_path / "old.sqlite3")
    before = snapshot(tmp_path)
    assert mot(["results", "--db", str(path), "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert "u-1,ana,红队,R,first-call" in out
    with Store.open_readonly(path) as store:
        assert store.live("R") == []  # schema 1 had no live table
        assert [(r.team, r.points, r.practice_runs) for r in store.ranking("R")] == [("红队", 86, 0)]
        with pytest.raises(RuntimeError):
            store.set_setting("lang", "zh")  # read-only: no write is even tried
    assert snapshot(tmp_path) == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1


async def test_the_scoreboard_app_says_what_is_wrong_and_creates_nothing(tmp_path):
    from game.tui.scoreboard import ScoreboardApp

    db = tmp_path / "typo" / "room.sqlite3"
    app = ScoreboardApp("R", db, lang="zh", library=object())
    async with app.run_test(size=(120, 30)) as pilot:
        deadline = time.monotonic() + 60
        while app.reads < 2:  # two polls: neither creates anything
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        status = str(app.screen.status)
        assert "无法读取数据库" in status and "处没有数据库" in status
        await pilot.press("ctrl+q")
    assert not (tmp_path / "typo").exists()


def test_a_reader_creates_no_journal_files_and_follows_a_writer_that_comes(tmp_path, level):
    path = tmp_path / "room.sqlite3"
    state = Game(level).play(IDEAL)
    with Store(path) as writer:
        writer.record_run("红队", level.id, level.campaign, state, score(level, state), room="R",
                          team="红队")
    assert sorted(os.listdir(tmp_path)) == ["room.sqlite3"]  # closed: the file alone
    with Store.open_readonly(path) as reader:
        assert [r.team for r in reader.ranking("R")] == ["红队"]
        assert sorted(os.listdir(tmp_path)) == ["room.sqlite3"]  # no -wal, no -shm of ours
        with Store(path) as writer:  # a team starts playing while the board is up
            writer.update_live("R", "蓝队", level.id, 1, -2, "O")
            assert [(r.team, r.finished) for r in reader.live("R")] == [("红队", True), ("蓝队", False)]
            writer.record_run("蓝队", level.id, level.campaign, state, score(level, state),
                              room="R", team="蓝队")
            assert [r.team for r in reader.ranking("R")] == ["红队", "蓝队"]
