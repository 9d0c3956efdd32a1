"""SQLite persistence: players, finished runs with their moves, settings, classroom rooms.

Why it looks the way it does:
- One file shared by every screen of a classroom, so WAL mode, a 10 s busy timeout, and each run
  written with its moves in one `BEGIN IMMEDIATE` transaction that is retried when the database
  stays locked. A run carries a uuid made *before* the first attempt, so a retry can never
  record it twice.
- A save file must never crash the game: one that is not SQLite, fails `quick_check`, or comes
  from a newer version is moved aside and a fresh one started; `Store.notice` says so in both
  languages for the UI to show.
- The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` brings version n−1 to n.
- A valid SQLite database that is not ours (another program's tables) is never touched: it is
  refused with a `StoreError`, as are a read-only or full disk and a data folder that is a file.
  `StoreError` carries a code (S001…) and the message in both languages, for the command line.
- `Store.open_readonly` (for `mot results` and `mot scoreboard`) creates, migrates and moves
  nothing: a missing, damaged or foreign file is only reported.
- In a room's ranking each team's first run of a level counts; later runs of it are practice.
- A run keeps what its player saw (schema 6): its language, the level's and campaign's titles,
  each move's time, the meter before it, the customer's line and the cards offered in every
  language, the author's ideal and the best move offered there (`game.played`). Exports are a
  pure function of the stored run: editing a level later changes none of them.
- A run keeps the scene events it met (schema 8: `runs.events`, `game.played.SeenEvent`), so
  exports show what moved the meter between moves.
- `sent` remembers which xAPI statement ids an LRS has confirmed (`mark_sent`, `sent_ids`), so
  `mot results --lrs` never sends one twice and resumes where a dropped network left it.
- A team of a room is claimed by one screen at a time (`claim_team`, atomic under BEGIN IMMEDIATE).
- A classroom in progress is one JSON document per room (`rounds`): the hot-seat round or
  campaign under "hotseat" (`save_round`, `round_state`, `finish_round`), and each team of a
  one-screen-per-team room under "teams" (`save_team_progress`: its level, seed and choices,
  and whether its screen left mid-level). Each part is rewritten alone, inside one transaction,
  so screens of one room never overwrite each other's part.

Pure stdlib (plus platformdirs for the default location): no Textual, no TOML.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import queue
import sqlite3
import threading
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Sequence

SCHEMA_VERSION = 8
DB_NAME = "mot.sqlite3"
APP_NAME = "moment-of-truth"
MODES = ("learn", "exam", "classroom", "headless")
_STEP_LETTERS = {"explore": "E", "offer": "O", "act": "A", "confirm": "C"}  # = i18n.STEP_LETTERS
BUSY_TIMEOUT_S = 10.0
LOCK_RETRIES = 5
STALE_AFTER_S = 600.0  # a team's claim or unfinished live row older than this no longer holds its name

# StoreError codes: what went wrong with the save file, for `mot <cmd>: error[S00x]: …`.
READ_ONLY = "S001"       # the data folder or the file cannot be written
NOT_A_FOLDER = "S002"    # the data folder's path is a file
DISK_FULL = "S003"       # sqlite3 "database or disk is full", or ENOSPC
FOREIGN = "S004"         # a valid SQLite database of another program
NO_DATABASE = "S005"     # read-only open: there is no file
NOT_A_DATABASE = "S006"  # read-only open: not SQLite, or damaged
EMPTY = "S007"           # read-only open: an SQLite file with no game data yet
NEWER = "S008"           # read-only open: saved by a newer version of the game
CANNOT_OPEN = "S009"     # anything else (locked for too long, …), with SQLite's own words
TEAM_TAKEN = "S010"      # a room's team name is already playing on another screen

MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE players (
            id   INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE)""",
        """CREATE TABLE rooms (
            name        TEXT PRIMARY KEY,
            created_at  TEXT NOT NULL,
            level_id    TEXT,
            campaign_id TEXT)""",
        """CREATE TABLE runs (
            id                 INTEGER PRIMARY KEY,
            uuid               TEXT NOT NULL UNIQUE,
            player_id          INTEGER NOT NULL REFERENCES players(id),
            level_id           TEXT NOT NULL,
            campaign_id        TEXT,
            room               TEXT REFERENCES rooms(name),
            team               TEXT,
            mode               TEXT NOT NULL
                               CHECK (mode IN ('learn', 'exam', 'classroom', 'headless')),
            ending             TEXT,
            mot_score          INTEGER NOT NULL,
            peak               INTEGER NOT NULL,
            end_value          INTEGER NOT NULL,
            adherence          INTEGER NOT NULL,
            explored_first     INTEGER NOT NULL,
            offered_before_act INTEGER NOT NULL,
            acted              INTEGER NOT NULL,
            confirmed_last     INTEGER NOT NULL,
            found              INTEGER NOT NULL,
            total_discoveries  INTEGER NOT NULL,
            points             INTEGER NOT NULL,
            started_at         TEXT,
            finished_at        TEXT NOT NULL,
            duration_s         REAL)""",
        "CREATE INDEX runs_by_room ON runs(room, finished_at)",
        "CREATE INDEX runs_by_player ON runs(player_id, level_id)",
        """CREATE TABLE moves (
            run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            scene      TEXT NOT NULL,
            choice     TEXT NOT NULL,
            step       TEXT NOT NULL,
            delta      INTEGER NOT NULL,
            perception INTEGER NOT NULL,
            at         TEXT,
            PRIMARY KEY (run_id, seq))""",
        """CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT)""",
    ],
    2: [
        # Where each team of a room stands in a level right now, for the scoreboard: one row
        # per (room, team, level), rewritten after every move, `finished` once the run is saved.
        """CREATE TABLE live (
            room       TEXT NOT NULL,
            team       TEXT NOT NULL,
            level_id   TEXT NOT NULL,
            moves      INTEGER NOT NULL,
            perception INTEGER NOT NULL,
            steps      TEXT NOT NULL,
            finished   INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (room, team, level_id))""",
    ],
    3: [
        # The seed that shuffled the cards (the issue "Choices that test judgment…"): stored with
        # each run, and with a room so that every screen of a room shows the same order.
        "ALTER TABLE runs ADD COLUMN seed INTEGER",
        "ALTER TABLE rooms ADD COLUMN seed INTEGER",
        # A level in progress, one per player, rewritten after every move (the issue "A debrief
        # that teaches…"): Continue resumes it, and Ctrl+Q or a crash loses nothing.
        """CREATE TABLE in_progress (
            player     TEXT PRIMARY KEY,
            level_id   TEXT NOT NULL,
            seed       INTEGER,
            choices    TEXT NOT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
    ],
    4: [
        # Which screen plays a team of a room (the issue "Hostile input…"): a second terminal or
        # tab joining under the same name is refused. `token` is the holder's; `updated_at` is
        # refreshed while it plays, so a crashed holder's claim goes stale.
        """CREATE TABLE claims (
            room       TEXT NOT NULL,
            team       TEXT NOT NULL,
            token      TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (room, team))""",
    ],
    5: [
        # Vote mode (the issue "Classroom 2"): every phone that joins a room is a participant,
        # known by a random token its page keeps; one vote per participant per decision.
        """CREATE TABLE participants (
            room      TEXT NOT NULL,
            token     TEXT NOT NULL,
            nickname  TEXT NOT NULL,
            lang      TEXT NOT NULL DEFAULT 'zh',
            joined_at TEXT NOT NULL,
            PRIMARY KEY (room, token))""",
        """CREATE TABLE votes (
            room        TEXT NOT NULL,
            round       INTEGER NOT NULL DEFAULT 1,
            level_id    TEXT NOT NULL,
            decision    INTEGER NOT NULL,
            scene       TEXT NOT NULL,
            participant TEXT NOT NULL,
            choice      TEXT NOT NULL,
            voted_at    TEXT NOT NULL,
            PRIMARY KEY (room, round, level_id, decision, participant))""",
        # A classroom round in progress (hot-seat, teams, vote), as JSON, so a trainer can stop
        # and `mot classroom --resume` it; `finished` once the podium was reached or it ended.
        """CREATE TABLE rounds (
            room       TEXT PRIMARY KEY,
            state      TEXT NOT NULL,
            finished   INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL)""",
    ],
    6: [
        # What the player saw, kept with the run (the issue "From pip install to the trainer's
        # report and a real Learning Record Store"): the workbook and the xAPI statements are a
        # pure function of the stored run. Language maps are JSON {"en": …, "zh": …, "*": …}.
        "ALTER TABLE runs ADD COLUMN lang TEXT",         # the language it was played in
        "ALTER TABLE runs ADD COLUMN titles TEXT",       # JSON {"level": map, "campaign": map}
        "ALTER TABLE runs ADD COLUMN lost_turns INTEGER",  # hot-seat turns lost to the timer
        "ALTER TABLE moves ADD COLUMN before INTEGER",   # the meter before the move
        "ALTER TABLE moves ADD COLUMN line TEXT",        # the customer's line as shown (map)
        "ALTER TABLE moves ADD COLUMN choice_text TEXT",  # the card chosen (map)
        "ALTER TABLE moves ADD COLUMN offered TEXT",     # JSON [[id, map], …]: the cards there
        "ALTER TABLE moves ADD COLUMN ideal TEXT",       # JSON [id, …]: the author's ideal
        "ALTER TABLE moves ADD COLUMN best TEXT",        # the best move offered (game.advice)
        # Statements an LRS confirmed (stored, or already there): never sent twice.
        """CREATE TABLE sent (
            statement_id TEXT NOT NULL,
            lrs          TEXT NOT NULL,
            sent_at      TEXT NOT NULL,
            PRIMARY KEY (statement_id, lrs))""",
    ],
    7: [
        # The learner's own words (issue 15, free-answer mode): a typed reply is stored with the
        # move it was matched to, and with a level in progress (JSON [said, …], one per choice,
        # "" for a picked card) so Continue brings the words back.
        "ALTER TABLE moves ADD COLUMN said TEXT",
        "ALTER TABLE in_progress ADD COLUMN said TEXT",
    ],
    8: [
        # Scene events (issue 16, `event = …`): what moved the meter without a move, kept with
        # the run as JSON [{"scene", "at" (moves before it), "delta", "before", "after",
        # "text": map}, …] (`game.played.SeenEvent`); NULL in older runs.
        "ALTER TABLE runs ADD COLUMN events TEXT",
    ],
}

_NOTICES = {
    "corrupt": {
        "en": "The save file could not be read. It was moved to {path} and a fresh one started.",
        "zh": "存档文件无法读取，已移至 {path}，并新建了存档。",
    },
    "newer": {
        "en": "The save file comes from a newer version of the game. It was moved to {path} "
              "and a fresh one started.",
        "zh": "存档文件来自更新版本的游戏，已移至 {path}，并新建了存档。",
    },
}


def default_data_dir(data_dir: str | Path | None = None) -> Path:
    """The explicit directory, else $MOT_HOME, else the user's data directory."""
    if data_dir:
        return Path(data_dir).expanduser()
    if os.environ.get("MOT_HOME"):
        return Path(os.environ["MOT_HOME"]).expanduser()
    import platformdirs  # only here: keeps `import game.store` cheap

    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path(data_dir: str | Path | None = None) -> Path:
    return default_data_dir(data_dir) / DB_NAME


def utc_iso(when: datetime | str | None = None) -> str:
    """ISO 8601 in UTC with milliseconds and a `Z`: one format, so text order is time order.
    Naive datetimes are taken as UTC."""
    if when is None:
        when = datetime.now(timezone.utc)
    elif isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


@dataclass(frozen=True)
class MoveRecord:
    seq: int
    scene: str
    choice: str
    step: str
    delta: int
    perception: int
    at: str | None
    # What the player saw (schema 6; None in older runs): see MIGRATIONS[6] and `game.played`.
    before: int | None = None
    line: dict | None = None
    choice_text: dict | None = None
    offered: tuple | None = None  # ((id, map), …)
    ideal: tuple | None = None
    best: str | None = None
    said: str | None = None  # schema 7 on: what the learner typed (free-answer mode), else None


@dataclass(frozen=True)
class RunRecord:
    id: int
    uuid: str
    player_id: int
    player: str
    level_id: str
    campaign_id: str | None
    room: str | None
    team: str | None
    mode: str
    ending: str | None
    mot_score: int
    peak: int
    end_value: int
    adherence: int
    explored_first: bool
    offered_before_act: bool
    acted: bool
    confirmed_last: bool
    found: int
    total_discoveries: int
    points: int
    started_at: str | None
    finished_at: str
    duration_s: float | None
    seed: int | None = None  # the card order's seed (schema 3 on)
    practice: bool = False  # a later run of the same team and level in a room: not ranked
    moves: list[MoveRecord] = field(default_factory=list)
    lang: str | None = None  # schema 6 on: the language it was played in
    titles: dict | None = None  # schema 6 on: {"level": map, "campaign": map} at play time
    lost_turns: int | None = None  # schema 6 on: hot-seat turns lost to the timer
    events: list | None = None  # schema 8 on: the scene events met, as stored (see MIGRATIONS[8])


@dataclass(frozen=True)
class RankRow:
    """One team of a room: points summed over its counted runs (the first of each level), the
    score and adherence of the last of those; `practice_runs` counts its later runs of a level
    it had already played, which are kept but not ranked."""

    team: str
    points: int
    runs: int
    mot_score: int
    adherence: int
    finished_at: str
    practice_runs: int = 0


@dataclass(frozen=True)
class LiveRow:
    """A team's position in a level of a room: moves made, current perception, the steps used
    as letters in order ("EOA"), and whether the run has finished (and was recorded)."""

    room: str
    team: str
    level_id: str
    moves: int
    perception: int
    steps: str
    finished: bool
    updated_at: str


@dataclass(frozen=True)
class VoteRow:
    """One participant's vote at one decision of a room's round (vote mode), with the
    participant's nickname (None if the participant row is gone)."""

    room: str
    round: int
    level_id: str
    decision: int
    scene: str
    participant: str
    nickname: str | None
    choice: str
    voted_at: str


@dataclass(frozen=True)
class Room:
    name: str
    created_at: str
    level_id: str | None
    campaign_id: str | None
    seed: int | None = None


@dataclass(frozen=True)
class ParticipantRecord:
    """A phone that joined a room in vote mode: its token, nickname and page language."""

    room: str
    token: str
    nickname: str
    lang: str
    joined_at: str


@dataclass(frozen=True)
class Progress:
    """A level in progress: where Continue takes the player back to."""

    level_id: str
    seed: int | None
    choices: tuple[str, ...]
    started_at: str
    said: tuple[str, ...] = ()  # schema 7 on: the typed words per choice ("" for a picked card)


class StoreError(Exception):
    """A save file that cannot be used, said plainly: `code` (S001…, see above), `messages`
    {"en": …, "zh": …}, and `path`. The error that caused it, if any, is `__cause__`, and its
    own words appear in the messages where they help (a full disk, anything unexpected)."""

    def __init__(self, code: str, path: str | Path | None = None,
                 error: BaseException | str | None = None, **values) -> None:
        from .i18n import t  # only when something went wrong: keeps `import game.store` light

        self.code = code
        self.path = Path(path) if path is not None else None
        detail = _error_text(error)
        self.messages: dict[str, str] = {
            lang: t(f"store.{code}", lang, path=path, error=detail, **values) for lang in ("en", "zh")}
        super().__init__(f"[{code}] {self.messages['en']}")

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages["en"]

    def line(self, command: str, lang: str) -> str:
        """The command line's report: `mot results: error[S005]: no database at …`."""
        return f"mot {command}: error[{self.code}]: {self.message(lang)}"


def _error_text(error: BaseException | str | None) -> str:
    if error is None:
        return ""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing folder above `path`, when it is a file rather than a folder."""
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            return None if folder.is_dir() else folder
    return None


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be created in `folder` (the nearest existing one above it, if it does
    not exist yet). As root this says yes to any folder, but then writes succeed too."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return os.access(candidate, os.W_OK | os.X_OK)
    return True


def storage_error(exc: BaseException, path: Path) -> StoreError:
    """What an OSError or sqlite3 error while opening or writing `path` means for the user."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc).lower()
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, OSError):
        blocker = _file_in_the_way(path)
        if exc.errno == errno.ENOSPC:
            return StoreError(DISK_FULL, path, exc)
        if blocker is not None or exc.errno in (errno.ENOTDIR, errno.EEXIST):
            return StoreError(NOT_A_FOLDER, blocker or path.parent, exc)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StoreError(READ_ONLY, path.parent, exc)
        return StoreError(CANNOT_OPEN, path, exc)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StoreError(DISK_FULL, path, exc)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StoreError(READ_ONLY, path if _writable_folder(path.parent) else path.parent, exc)
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in text or "malformed" in text:
        return StoreError(NOT_A_DATABASE, path, exc)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        blocker = _file_in_the_way(path)
        if blocker is not None:
            return StoreError(NOT_A_FOLDER, blocker, exc)
        if not _writable_folder(path.parent):
            return StoreError(READ_ONLY, path.parent, exc)
    return StoreError(CANNOT_OPEN, path, exc)


# -- is it ours? ------------------------------------------------------------------------------

@functools.cache
def _expected_shape(version: int) -> dict[str, frozenset[str]]:
    """Our tables and their columns at schema `version`, built from MIGRATIONS in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for target in range(1, version + 1):
            for statement in MIGRATIONS[target]:
                conn.execute(statement)
        return _shape(conn)
    finally:
        conn.close()


def _shape(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """The file's own tables (not SQLite's) and their columns."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]
    return {name: frozenset(row[0] for row in conn.execute(
        "SELECT name FROM pragma_table_info(?)", (name,))) for name in names}


def _inspect(conn: sqlite3.Connection) -> tuple[int, dict[str, frozenset[str]]]:
    """The schema version and the tables, read in one snapshot (another process may be
    creating the schema at this very moment)."""
    conn.execute("BEGIN")
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0], _shape(conn)
    except BaseException:
        _rollback_quietly(conn)
        raise
    conn.execute("COMMIT")
    return found


def _is_ours(shape: dict[str, frozenset[str]], version: int) -> bool:
    """Version 0 is ours only while empty; versions we know must have our tables, column for
    column (other tables may sit beside them)."""
    if version == 0:
        return not shape
    return all(shape.get(table) == columns for table, columns in _expected_shape(version).items())


def _looks_like_a_newer_save(shape: dict[str, frozenset[str]]) -> bool:
    """A file with a version we do not know: ours from a newer game if it has no tables yet or
    still has players and runs as we know them; another program's otherwise."""
    players, runs = shape.get("players", frozenset()), shape.get("runs", frozenset())
    return not shape or ({"id", "name"} <= players and {"uuid", "level_id", "mot_score"} <= runs)


class _SetAside(Exception):
    """The file is not a save we can use (`kind` is "corrupt" or "newer")."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _rollback_quietly(conn: sqlite3.Connection) -> None:
    """Undo an open transaction while another error is on its way up: that error is the one
    that matters, so a failing ROLLBACK must not replace it."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _is_lock_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class Store:
    """One open database. Use as a context manager, or call `close()`.

    `notice` is None, or {"en": …, "zh": …} when the old file had to be moved aside
    (`moved_to` is then its new path). A file that cannot be used raises `StoreError`.
    `readonly=True` (or `Store.open_readonly`) only reads: see `_open_readonly`.
    """

    def __init__(self, path: str | Path | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path else default_db_path()
        self.readonly = readonly
        self.notice: dict[str, str] | None = None
        self.moved_to: Path | None = None
        self._lock = threading.RLock()  # the TUI may call from worker threads
        self._conn: sqlite3.Connection | None = None
        self._claims: dict[tuple[str, str], str] = {}  # (room, team) → token, claimed here
        self._immutable = False  # read-only, and no writer had the file open (see _open_readonly)
        self._queue: queue.Queue | None = None  # writes for the writer thread (see `later`)
        self._writer: threading.Thread | None = None
        if readonly:
            self._conn = self._open_readonly()
            return
        try:
            blocker = _file_in_the_way(self.path)
            if blocker is not None:
                raise StoreError(NOT_A_FOLDER, blocker)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for attempt in range(3):
                try:
                    self._conn = self._open()
                    break
                except _SetAside as problem:
                    if attempt == 2:
                        raise StoreError(CANNOT_OPEN, self.path,
                                         "the file keeps being replaced while it is opened") from None
                    if self._same_file():  # not already replaced by another process
                        self.moved_to = self._move_aside(problem.kind)
                        self.notice = {lang: text.format(path=self.moved_to)
                                       for lang, text in _NOTICES[problem.kind].items()}
        except (sqlite3.Error, OSError) as exc:
            raise storage_error(exc, self.path) from exc

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Store":
        return cls(path)

    @classmethod
    def open_readonly(cls, path: str | Path | None = None) -> "Store":
        """Open only to read (`mot results`, `mot scoreboard`): nothing is created, migrated,
        moved or renamed; a missing, foreign, damaged or newer file raises `StoreError`."""
        return cls(path, readonly=True)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Every queued write (`later`) is done first."""
        self._stop_writer()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- writes off the caller's thread ----------------------------------------------------

    def later(self, action, *args, on_done=None, on_error=None, **kwargs) -> None:
        """Run the write `action(*args, **kwargs)` (a method of this store) on the store's
        writer thread, after every write queued before it: the caller (a screen's loop) never
        waits for a busy database. `on_done()` is called (on the writer thread) once the write
        is committed, `on_error(StoreError)` if it failed. A synchronous write of this store
        (`_write`) first waits for the queue, so writes are committed in the order they were
        asked for; `flush()` waits too; `close()` flushes.

        What a crash keeps: a write whose `on_done` ran is committed; under WAL with
        synchronous=NORMAL a commit survives the process being killed (it is in the WAL, which
        the OS holds), and only a power loss or OS crash can take the last commits back. A
        write still queued when the process is killed is lost: at most the moves of the last
        moments (the queue is empty within milliseconds of a move unless the database is
        locked)."""
        if self._queue is None:
            self._queue = queue.Queue()
            self._writer = threading.Thread(target=self._drain, name="store-writer", daemon=True)
            self._writer.start()
        self._queue.put((action, args, kwargs, on_done, on_error))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued write is done; False if `timeout` seconds were not enough."""
        pending = self._queue
        if pending is None or threading.current_thread() is self._writer:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with pending.all_tasks_done:
            while pending.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                pending.all_tasks_done.wait(left)
        return True

    def _drain(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                action, args, kwargs, on_done, on_error = item
                try:
                    action(*args, **kwargs)
                except StoreError as error:
                    if on_error is not None:
                        on_error(error)
                except Exception as exc:  # never the end of the writer: the next write may work
                    if on_error is not None:
                        on_error(storage_error(exc, self.path) if isinstance(exc, (sqlite3.Error, OSError))
                                 else StoreError(CANNOT_OPEN, self.path, str(exc)))
                else:
                    if on_done is not None:
                        on_done()
            finally:
                self._queue.task_done()

    def _stop_writer(self) -> None:
        writer = self._writer
        if writer is None or threading.current_thread() is writer:
            return
        self.flush()
        self._queue.put(None)
        writer.join()
        self._writer = self._queue = None

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        try:
            self._inode = os.stat(self.path).st_ino
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise _SetAside("corrupt")
            # Whose file is it? Asked before anything is written (WAL changes the header).
            version, shape = self._retry(lambda: _inspect(conn))
            if version > SCHEMA_VERSION:
                if _looks_like_a_newer_save(shape):
                    raise _SetAside("newer")
                raise StoreError(FOREIGN, self.path)
            if not _is_ours(shape, version):
                raise StoreError(FOREIGN, self.path)
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            # Under WAL, NORMAL syncs at checkpoints, not at every commit: a commit survives the
            # process being killed (the WAL is in the OS's hands); a power loss or OS crash may
            # take back the last ones. A move's commit costs no fsync, so a room's writers hold
            # the lock for less time.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._retry(lambda: self._migrate(conn, self.path))
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked, unwritable, full, …: a real problem, not a bad file
            raise _SetAside("corrupt") from exc
        except BaseException:
            conn.close()
            raise

    def _open_readonly(self) -> sqlite3.Connection:
        """`mode=ro`: SQLite itself refuses every write. Versions 1 … SCHEMA_VERSION of our
        schema are read as they are (what an older file lacks reads as empty).

        While no `-wal` file lies beside the database, no connection has it open and the file
        alone holds everything: it is then read as `immutable`, which creates no `-wal`/`-shm`
        (and works in a folder we may not write). `_query` switches to a plain read-only
        connection as soon as a writer appears (its `-wal` does), so a scoreboard stays live."""
        if not self.path.exists():
            raise StoreError(NO_DATABASE, self.path)
        if not self.path.is_file():
            raise StoreError(NOT_A_DATABASE, self.path, "not a file")
        immutable = not os.path.exists(f"{self.path}-wal")
        uri = f"{self.path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._reading_error(exc) from exc
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            version, shape = self._retry(lambda: _inspect(conn))
            if version > SCHEMA_VERSION:
                raise StoreError(NEWER if _looks_like_a_newer_save(shape) else FOREIGN, self.path)
            if version == 0:
                raise StoreError(FOREIGN if shape else EMPTY, self.path)
            if not _is_ours(shape, version):
                raise StoreError(FOREIGN, self.path)
            self._immutable = immutable
            return conn
        except BaseException as exc:
            conn.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise self._reading_error(exc) from exc
            raise

    def _reading_error(self, exc: BaseException) -> StoreError:
        """A read that failed: "cannot save, read-only" would be the wrong words for it."""
        error = storage_error(exc, self.path)
        return StoreError(CANNOT_OPEN, self.path, exc) if error.code == READ_ONLY else error

    @staticmethod
    def _migrate(conn: sqlite3.Connection, path: Path | None = None) -> None:
        """Create or upgrade the schema in one transaction; another process may win the race.

        If a statement fails (a full disk), SQLite may already have rolled the transaction
        back, so our ROLLBACK can fail too ("no transaction is active"): the first error is
        the one raised, never the ROLLBACK's."""
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _SetAside("newer")
            if not _is_ours(_shape(conn), version):
                raise StoreError(FOREIGN, path)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback_quietly(conn)
            raise

    def _same_file(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self._inode
        except FileNotFoundError:
            return False

    def _move_aside(self, kind: str) -> Path:
        """Rename the file (and its -wal/-shm) to `<name>.<kind>-<YYYYmmdd-HHMMSS>`."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.{kind}-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.{kind}-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.replace(f"{self.path}{suffix}", f"{target}{suffix}")
            except FileNotFoundError:
                pass  # no sidecar, or another process moved it first
        return target

    # -- writing -------------------------------------------------------------------------

    @staticmethod
    def _retry(action, attempts: int = LOCK_RETRIES):
        """Run `action`, retrying when SQLite stays locked beyond the busy timeout."""
        for attempt in range(attempts):
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _is_lock_error(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05 * 2 ** attempt)

    def _write(self, work) -> object:
        """`work(conn)` inside BEGIN IMMEDIATE … COMMIT, retried whole when locked."""

        if self.readonly:
            raise RuntimeError("this Store was opened read-only")
        self.flush()  # writes queued by `later` go first: commits keep the order asked for

        def attempt():
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                value = work(conn)
                conn.execute("COMMIT")
                return value
            except BaseException:
                _rollback_quietly(conn)
                raise

        with self._lock:
            try:
                return self._retry(attempt)
            except (sqlite3.Error, OSError) as exc:
                raise storage_error(exc, self.path) from exc

    def record_run(self, player: str, level_id: str, campaign_id: str | None, state, result, *,
                   mode: str = "learn", room: str | None = None, team: str | None = None,
                   started_at: datetime | str | None = None,
                   finished_at: datetime | str | None = None,
                   run_uuid: str | None = None,
                   move_times: Sequence[datetime | str] | None = None,
                   seed: int | None = None, lang: str | None = None, played=None,
                   lost_turns: int | None = None) -> str:
        """Save a finished run (an engine `State` and its scoring `Result`) with all its moves.

        Returns the run's uuid. Recording a uuid that is already stored does nothing, so a
        caller unsure whether a save went through may simply call again with the same uuid.
        `move_times` (one per move) default to `finished_at`, as does a None among them. `lang`
        is the language it was played in; `played` (a `game.played.Played`) what the player
        saw, one entry per move;
        `lost_turns` the hot-seat turns the team lost to the timer.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        run_uuid = run_uuid or str(uuidlib.uuid4())
        finished = utc_iso(finished_at)
        started = utc_iso(started_at) if started_at else None
        duration = ((_parse_iso(finished) - _parse_iso(started)).total_seconds()
                    if started else None)
        moves = list(state.moves)
        if move_times is not None and len(move_times) != len(moves):
            raise ValueError("move_times needs one time per move")
        times = ([utc_iso(t) if t is not None else finished for t in move_times]
                 if move_times is not None else [finished] * len(moves))
        adh = result.adherence
        seen = list(played.moves) if played is not None else []
        if played is not None and len(seen) != len(moves):
            raise ValueError("played needs one entry per move")
        titles = _json(played.titles) if played is not None else None
        if played is not None:
            events = _json([e.to_dict() for e in getattr(played, "events", ())])
        else:  # no words to keep, but the meter's moves all the same
            events = _json([{"scene": e.scene, "at": e.at, "delta": e.delta, "before": e.before,
                             "after": e.perception, "text": {}} for e in getattr(state, "events", ())])

        def seen_columns(i: int) -> tuple:
            if not seen:
                return (None,) * 5
            s = seen[i]
            return (_json(s.line), _json(s.choice), _json([list(o) for o in s.offered]),
                    _json(list(s.ideal)), s.best)

        def work(conn: sqlite3.Connection) -> str:
            if conn.execute("SELECT 1 FROM runs WHERE uuid = ?", (run_uuid,)).fetchone():
                return run_uuid
            conn.execute("INSERT OR IGNORE INTO players(name) VALUES (?)", (player,))
            player_id = conn.execute("SELECT id FROM players WHERE name = ?", (player,)).fetchone()[0]
            if room is not None:
                conn.execute("INSERT OR IGNORE INTO rooms(name, created_at, level_id, campaign_id) "
                             "VALUES (?, ?, ?, ?)", (room, finished, level_id, campaign_id))
            cursor = conn.execute(
                "INSERT INTO runs(uuid, player_id, level_id, campaign_id, room, team, mode, ending,"
                " mot_score, peak, end_value, adherence, explored_first, offered_before_act, acted,"
                " confirmed_last, found, total_discoveries, points, started_at, finished_at,"
                " duration_s, seed, lang, titles, lost_turns, events)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_uuid, player_id, level_id, campaign_id, room, team, mode, result.ending,
                 result.mot_score, result.peak, result.end, adh.total, int(adh.explored_first),
                 int(adh.offered_before_act), int(adh.acted), int(adh.confirmed_last),
                 len(result.found), len(result.found) + len(result.missed), result.points,
                 started, finished, duration, seed, lang, titles, lost_turns, events))
            conn.executemany(
                "INSERT INTO moves(run_id, seq, scene, choice, step, delta, perception, at,"
                " before, line, choice_text, offered, ideal, best, said)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(cursor.lastrowid, seq, m.scene, m.choice, m.step, m.delta, m.perception, at,
                  getattr(m, "before", None), *seen_columns(seq - 1), getattr(m, "said", "") or None)
                 for seq, (m, at) in enumerate(zip(moves, times), 1)])
            if room is not None:
                self._upsert_live(conn, room, team if team is not None else player, level_id,
                                  len(moves), result.end,
                                  "".join(_STEP_LETTERS.get(m.step, "?") for m in moves), True,
                                  utc_iso())
            return run_uuid

        return self._write(work)

    @staticmethod
    def _upsert_live(conn: sqlite3.Connection, room: str, team: str, level_id: str, moves: int,
                     perception: int, steps: str, finished: bool, at: str) -> None:
        conn.execute(
            "INSERT INTO live(room, team, level_id, moves, perception, steps, finished, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(room, team, level_id) DO UPDATE SET"
            " moves = excluded.moves, perception = excluded.perception, steps = excluded.steps,"
            " finished = excluded.finished, updated_at = excluded.updated_at",
            (room, team, level_id, int(moves), int(perception), steps, int(bool(finished)), at))

    def update_live(self, room: str, team: str, level_id: str, moves: int, perception: int,
                    steps: str, finished: bool = False) -> None:
        """Record where `team` stands in `level_id` in `room` after a move (one short
        transaction). `steps` are the step letters in order, e.g. "EOA". Starting the level
        again (moves=0) simply overwrites the row. A team claimed through this Store keeps
        its claim fresh with every move."""
        token = self._claims.get((room, team))

        def work(c: sqlite3.Connection) -> None:
            at = utc_iso()
            self._upsert_live(c, room, team, level_id, moves, perception, steps, finished, at)
            if token is not None:
                c.execute("UPDATE claims SET updated_at = ? WHERE room = ? AND team = ? AND token = ?",
                          (at, room, team, token))

        self._write(work)

    # -- one screen per team ---------------------------------------------------------------

    @staticmethod
    def _playing_elsewhere(c: sqlite3.Connection, room: str, team: str, token: str | None,
                           stale_after: float) -> bool:
        """Whether another screen holds `team` in `room`: a fresh claim with another token, or
        (unless we hold the claim) an unfinished live row updated within `stale_after` s."""
        cutoff = utc_iso(datetime.now(timezone.utc) - timedelta(seconds=stale_after))
        claim = c.execute("SELECT token, updated_at FROM claims WHERE room = ? AND team = ?",
                          (room, team)).fetchone()
        if claim is not None and token is not None and claim[0] == token:
            return False
        if claim is not None and claim[1] >= cutoff:
            return True
        if claim is None and Store._team_left(c, room, team):
            return False  # its screen quit and said so: nobody plays it, it may come back
        return c.execute("SELECT 1 FROM live WHERE room = ? AND team = ? AND finished = 0"
                         " AND updated_at >= ? LIMIT 1", (room, team, cutoff)).fetchone() is not None

    def team_playing(self, room: str, team: str, token: str | None = None, *,
                     stale_after: float = STALE_AFTER_S) -> bool:
        """Whether `team` is already playing in `room` on another screen (a read, for messages)."""
        with self._lock:
            try:
                return self._playing_elsewhere(self._conn, room, team, token, stale_after)
            except sqlite3.Error as exc:
                raise storage_error(exc, self.path) from exc

    def claim_team(self, room: str, team: str, token: str, *, resume: bool = False,
                   stale_after: float = STALE_AFTER_S) -> bool:
        """Take `team` of `room` for the screen holding `token`; False when another screen is
        playing it (see `_playing_elsewhere`). The check and the claim are one BEGIN IMMEDIATE
        transaction, so of two screens racing for a name exactly one wins. `resume=True` is
        the team itself coming back (after a crash, or from a new terminal): it always wins."""

        def work(c: sqlite3.Connection) -> bool:
            if not resume and self._playing_elsewhere(c, room, team, token, stale_after):
                return False
            now = utc_iso()
            c.execute("INSERT INTO claims(room, team, token, claimed_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?) ON CONFLICT(room, team) DO UPDATE SET"
                      " token = excluded.token, claimed_at = excluded.claimed_at,"
                      " updated_at = excluded.updated_at", (room, team, token, now, now))
            return True

        won = bool(self._write(work))
        if won:
            self._claims[(room, team)] = token
        return won

    def refresh_claim(self, room: str, team: str, token: str) -> bool:
        """Keep a claim fresh while the team reads or discusses; False if it is no longer ours."""
        return bool(self._write(lambda c: c.execute(
            "UPDATE claims SET updated_at = ? WHERE room = ? AND team = ? AND token = ?",
            (utc_iso(), room, team, token)).rowcount))

    def release_team(self, room: str, team: str, token: str) -> None:
        """The game ended or quit: the name is free again (only our own claim is removed)."""
        self._claims.pop((room, team), None)
        self._write(lambda c: c.execute(
            "DELETE FROM claims WHERE room = ? AND team = ? AND token = ?", (room, team, token)))

    def set_setting(self, key: str, value: str | None) -> None:
        """Store a setting as text; None removes it."""
        if value is None:
            self._write(lambda c: c.execute("DELETE FROM settings WHERE key = ?", (key,)))
        else:
            self._write(lambda c: c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, str(value))))

    def save_progress(self, player: str, level_id: str, seed: int | None, choices: Sequence[str],
                      started_at: datetime | str | None = None, said: Sequence[str] = ()) -> None:
        """Remember `player`'s level in progress: the choices so far and the card order's seed;
        `said`, the words typed for each choice (free-answer mode; "" for a picked card)."""
        words = _json(list(said)) if any(said) else None
        self._write(lambda c: c.execute(
            "INSERT INTO in_progress(player, level_id, seed, choices, started_at, updated_at, said)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(player) DO UPDATE SET level_id = excluded.level_id,"
            " seed = excluded.seed, choices = excluded.choices, started_at = excluded.started_at,"
            " updated_at = excluded.updated_at, said = excluded.said",
            (player, level_id, seed, ",".join(choices), utc_iso(started_at), utc_iso(), words)))

    def clear_progress(self, player: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM in_progress WHERE player = ?", (player,)))

    def progress(self, player: str) -> "Progress | None":
        rows = self._query("SELECT * FROM in_progress WHERE player = ?", (player,))
        if not rows:
            return None
        r = rows[0]
        choices = tuple(c for c in (r["choices"] or "").split(",") if c)
        said = _unjson(r["said"]) if "said" in r.keys() else None
        said = tuple(str(s) for s in said) if isinstance(said, list) else ()
        return Progress(r["level_id"], r["seed"], choices, r["started_at"], said)

    def last_played(self, player: str) -> str | None:
        """The level of the player's most recent finished run."""
        rows = self._query(
            "SELECT level_id FROM runs JOIN players p ON p.id = player_id WHERE p.name = ?"
            " ORDER BY finished_at DESC, runs.id DESC LIMIT 1", (player,))
        return rows[0]["level_id"] if rows else None

    def ensure_room(self, name: str, level_id: str | None = None,
                    campaign_id: str | None = None, seed: int | None = None) -> Room:
        """Create the room if needed; fill in its level or campaign when given. The first seed
        given to a room stays its seed, so every screen that joins shows the same card order."""

        def work(c: sqlite3.Connection) -> None:
            c.execute("INSERT OR IGNORE INTO rooms(name, created_at, level_id, campaign_id) "
                      "VALUES (?, ?, ?, ?)", (name, utc_iso(), level_id, campaign_id))
            c.execute("UPDATE rooms SET level_id = coalesce(?, level_id), "
                      "campaign_id = coalesce(?, campaign_id), seed = coalesce(seed, ?) WHERE name = ?",
                      (level_id, campaign_id, seed, name))

        self._write(work)
        return self.room(name)

    # -- vote mode -----------------------------------------------------------------------

    def join_participant(self, room: str, token: str, nickname: str, lang: str) -> None:
        """A phone joined `room` (or joined again, renamed or in another language): one row per
        token, its first `joined_at` kept."""
        self._write(lambda c: c.execute(
            "INSERT INTO participants(room, token, nickname, lang, joined_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT(room, token) DO UPDATE SET nickname = excluded.nickname,"
            " lang = excluded.lang", (room, token, nickname, lang, utc_iso())))

    def record_vote(self, room: str, round: int, level_id: str, decision: int, scene: str,
                    participant: str, choice: str) -> bool:
        """One participant's vote at one decision; False (and nothing written) when that
        participant already voted there — the primary key keeps one vote per decision."""
        return bool(self._write(lambda c: c.execute(
            "INSERT OR IGNORE INTO votes(room, round, level_id, decision, scene, participant,"
            " choice, voted_at) VALUES (?,?,?,?,?,?,?,?)",
            (room, int(round), level_id, int(decision), scene, participant, choice,
             utc_iso())).rowcount))

    def participants(self, room: str) -> list[ParticipantRecord]:
        """The room's participants, first joined first (none in a file older than schema 5)."""
        if self._query("PRAGMA user_version")[0][0] < 5:
            return []
        rows = self._query("SELECT * FROM participants WHERE room = ? ORDER BY joined_at, token",
                           (room,))
        return [ParticipantRecord(**dict(r)) for r in rows]

    def last_vote_round(self, room: str) -> int:
        """The highest round of `room` with a vote (0 when none): a new vote session of the
        room starts after it, so its decisions never collide with earlier ones."""
        if self._query("PRAGMA user_version")[0][0] < 5:
            return 0
        return int(self._query("SELECT coalesce(max(round), 0) FROM votes WHERE room = ?",
                               (room,))[0][0])

    # -- a classroom in progress (the rounds table, schema 5) -----------------------------

    @staticmethod
    def _round_doc(c: sqlite3.Connection, room: str) -> tuple[dict, bool]:
        """The room's document and its `finished` flag ({} and False when there is none, or
        the file is older than schema 5)."""
        try:
            row = c.execute("SELECT state, finished FROM rounds WHERE room = ?", (room,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return {}, False
            raise
        if row is None:
            return {}, False
        try:
            doc = json.loads(row[0])
        except ValueError:
            doc = {}
        return (doc if isinstance(doc, dict) else {}), bool(row[1])

    @staticmethod
    def _put_round_doc(c: sqlite3.Connection, room: str, doc: dict, finished: bool) -> None:
        c.execute("INSERT INTO rounds(room, state, finished, updated_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT(room) DO UPDATE SET state = excluded.state,"
                  " finished = excluded.finished, updated_at = excluded.updated_at",
                  (room, json.dumps(doc, ensure_ascii=False, sort_keys=True), int(finished), utc_iso()))

    @staticmethod
    def _team_left(c: sqlite3.Connection, room: str, team: str) -> bool:
        entry = Store._round_doc(c, room)[0].get("teams", {}).get(team)
        return isinstance(entry, dict) and bool(entry.get("left"))

    def _read_round_doc(self, room: str) -> tuple[dict, bool]:
        """`_round_doc` through `_query` (a read-only Store follows a live writer)."""
        if self._query("PRAGMA user_version")[0][0] < 5:
            return {}, False
        rows = self._query("SELECT state, finished FROM rounds WHERE room = ?", (room,))
        if not rows:
            return {}, False
        try:
            doc = json.loads(rows[0]["state"])
        except ValueError:
            doc = {}
        return (doc if isinstance(doc, dict) else {}), bool(rows[0]["finished"])

    def save_round(self, room: str, state: dict) -> None:
        """The hot-seat round or campaign of `room` as it stands (after every move): level ids,
        teams, each team's choices and passes, round number, seed, whose turn. It is in
        progress again (unfinished) until `finish_round`."""

        def work(c: sqlite3.Connection) -> None:
            doc, _ = self._round_doc(c, room)
            doc["hotseat"] = state
            self._put_round_doc(c, room, doc, False)

        self._write(work)

    def finish_round(self, room: str) -> None:
        """The hot-seat round or campaign reached its end: nothing left to resume."""

        def work(c: sqlite3.Connection) -> None:
            doc, _ = self._round_doc(c, room)
            if doc:
                self._put_round_doc(c, room, doc, True)

        self._write(work)

    def round_state(self, room: str, *, finished: bool = False) -> dict | None:
        """The hot-seat round or campaign saved for `room`; None when there is none, or when it
        finished (unless `finished=True`)."""
        doc, done = self._read_round_doc(room)
        state = doc.get("hotseat")
        if not isinstance(state, dict) or (done and not finished):
            return None
        return state

    def save_team_progress(self, room: str, team: str, entry: dict | None) -> None:
        """One team of a room on its own screen: its level in progress ({"level", "seed",
        "choices", "started_at", "left"}), or None once it has no level in progress."""

        def work(c: sqlite3.Connection) -> None:
            doc, done = self._round_doc(c, room)
            teams = doc.setdefault("teams", {})
            if entry is None:
                if team not in teams:
                    return
                teams.pop(team)
            else:
                teams[team] = entry
            self._put_round_doc(c, room, doc, done)

        self._write(work)

    def team_progress(self, room: str) -> dict[str, dict]:
        """Every team of the room with a level in progress on its own screen (see above)."""
        doc, _ = self._read_round_doc(room)
        teams = doc.get("teams")
        return {k: v for k, v in teams.items() if isinstance(v, dict)} if isinstance(teams, dict) else {}

    def rooms(self) -> list[str]:
        """Every room's name, oldest first (for a hint that names what exists)."""
        return [r["name"] for r in self._query("SELECT name FROM rooms ORDER BY created_at, name")]

    # -- reading -------------------------------------------------------------------------

    def _query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            if self.readonly and self._immutable and os.path.exists(f"{self.path}-wal"):
                fresh = self._open_readonly()  # a writer has opened the file: read it live now
                self._conn.close()
                self._conn = fresh
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise (self._reading_error(exc) if self.readonly
                       else storage_error(exc, self.path)) from exc

    def set_join_info(self, room: str, url: str, code: str | None = None) -> None:
        """How to join a room (the served page with its key, or a vote's page and code), for the
        scoreboard on the projector to show; the last server started for the room wins."""
        import json

        self.set_setting(f"join:{room}", json.dumps({"url": url, "code": code}, ensure_ascii=False))

    def join_info(self, room: str) -> dict | None:
        import json

        text = self.get_setting(f"join:{room}")
        try:
            info = json.loads(text) if text else None
        except ValueError:
            return None
        return info if isinstance(info, dict) and isinstance(info.get("url"), str) else None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0]["value"] if rows else default

    def room(self, name: str) -> Room | None:
        rows = self._query("SELECT * FROM rooms WHERE name = ?", (name,))
        return Room(**dict(rows[0])) if rows else None

    def best_scores(self, player: str) -> dict[str, int]:
        """The best MOT score per level, for the campaign map."""
        rows = self._query(
            "SELECT level_id, max(mot_score) AS best FROM runs JOIN players p ON p.id = player_id"
            " WHERE p.name = ? GROUP BY level_id", (player,))
        return {r["level_id"]: r["best"] for r in rows}

    def completed_levels(self, player: str) -> set[str]:
        """Levels with at least one run that reached an ending: these unlock the next one."""
        rows = self._query(
            "SELECT DISTINCT level_id FROM runs JOIN players p ON p.id = player_id"
            " WHERE p.name = ? AND ending IS NOT NULL", (player,))
        return {r["level_id"] for r in rows}

    def runs(self, room: str | None = None, player: str | None = None,
             level: str | None = None) -> list[RunRecord]:
        """Finished runs with their moves, oldest first; each filter is optional. `practice`
        marks a room's later runs of a team and level (see `ranking`)."""
        where, params = [], []
        for column, value in (("r.room", room), ("r.player", player), ("r.level_id", level)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = ("SELECT * FROM (SELECT runs.*, p.name AS player, runs.room IS NOT NULL AND"
               " row_number() OVER (PARTITION BY runs.room, coalesce(runs.team, p.name),"
               " runs.level_id ORDER BY runs.finished_at, runs.id) > 1 AS practice"
               " FROM runs JOIN players p ON p.id = runs.player_id) AS r"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY r.finished_at, r.id")
        with self._lock:
            rows = self._query(sql, params)
            moves: dict[int, list[MoveRecord]] = {}
            if rows:
                ids = [r["id"] for r in rows]
                for m in self._query(
                        f"SELECT * FROM moves WHERE run_id IN ({','.join('?' * len(ids))})"
                        " ORDER BY run_id, seq", ids):
                    record = dict(m)
                    moves.setdefault(record.pop("run_id"), []).append(_move_record(record))
        flags = ("explored_first", "offered_before_act", "acted", "confirmed_last", "practice")
        return [RunRecord(**{**dict(r), **{f: bool(r[f]) for f in flags},
                             "titles": _unjson(dict(r).get("titles")),
                             "events": _unjson(dict(r).get("events"))},
                          moves=moves.get(r["id"], [])) for r in rows]

    # -- what an LRS already has (the sent table, schema 6) -------------------------------

    def sent_ids(self, lrs: str) -> set[str]:
        """The statement ids `lrs` has confirmed (none in a file older than schema 6)."""
        if self._query("PRAGMA user_version")[0][0] < 6:
            return set()
        return {r[0] for r in self._query("SELECT statement_id FROM sent WHERE lrs = ?", (lrs,))}

    def mark_sent(self, lrs: str, statement_ids: Iterable[str]) -> None:
        """`lrs` confirmed these statements (stored, or already there): one transaction."""
        at = utc_iso()
        rows = [(sid, lrs, at) for sid in statement_ids]
        if rows:
            self._write(lambda c: c.executemany(
                "INSERT OR IGNORE INTO sent(statement_id, lrs, sent_at) VALUES (?, ?, ?)", rows))

    def live(self, room: str) -> list[LiveRow]:
        """The room's live rows, by team, then the most recently updated first (none in a file
        of schema 1, opened read-only)."""
        if self._query("PRAGMA user_version")[0][0] < 2:
            return []
        rows = self._query("SELECT * FROM live WHERE room = ? ORDER BY team, updated_at DESC,"
                           " level_id", (room,))
        return [LiveRow(**{**dict(r), "finished": bool(r["finished"])}) for r in rows]

    def votes(self, room: str, level_id: str | None = None) -> list[VoteRow]:
        """The room's votes (of one level, if given) with each participant's nickname, by
        round, level, decision, then the order they were cast (none before schema 5)."""
        if self._query("PRAGMA user_version")[0][0] < 5:
            return []
        rows = self._query(
            "SELECT v.room, v.round, v.level_id, v.decision, v.scene, v.participant,"
            " p.nickname, v.choice, v.voted_at FROM votes v LEFT JOIN participants p"
            " ON p.room = v.room AND p.token = v.participant WHERE v.room = ?"
            + (" AND v.level_id = ?" if level_id is not None else "")
            + " ORDER BY v.round, v.level_id, v.decision, v.voted_at, v.participant",
            (room,) if level_id is None else (room, level_id))
        return [VoteRow(**dict(r)) for r in rows]

    def ranking(self, room: str) -> list[RankRow]:
        """The room's scoreboard: per team (or player, for runs without a team) the points of
        its counted runs and how many there are, with the last counted run's MOT score and
        adherence; ordered by points, then that MOT score, then name.

        One run per team and level counts: the first (by finished_at, then id). Later runs of
        a level the team already played are practice: kept, counted in `practice_runs`, never
        added, so a retry cannot buy points and the formula on the board stays true per run."""
        rows = self._query(
            """WITH r AS (
                   SELECT coalesce(runs.team, p.name) AS team, runs.id, runs.points,
                          runs.mot_score, runs.adherence, runs.finished_at,
                          row_number() OVER (PARTITION BY coalesce(runs.team, p.name), runs.level_id
                                             ORDER BY runs.finished_at, runs.id) AS attempt
                   FROM runs JOIN players p ON p.id = runs.player_id
                   WHERE runs.room = ?),
               counted AS (
                   SELECT *, row_number() OVER (PARTITION BY team
                                                ORDER BY finished_at DESC, id DESC) AS recent
                   FROM r WHERE attempt = 1)
               SELECT c.team AS team, sum(c.points) AS points, count(*) AS runs,
                      max(CASE WHEN c.recent = 1 THEN c.mot_score END) AS mot_score,
                      max(CASE WHEN c.recent = 1 THEN c.adherence END) AS adherence,
                      max(c.finished_at) AS finished_at,
                      (SELECT count(*) FROM r WHERE r.team = c.team AND r.attempt > 1)
                          AS practice_runs
               FROM counted c GROUP BY c.team
               ORDER BY points DESC, mot_score DESC, c.team""", (room,))
        return [RankRow(**dict(r)) for r in rows]


def _json(value) -> str | None:
    """JSON as stored: compact, keys sorted, Chinese as it is (so equal data is equal text)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _unjson(text: str | None):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _move_record(row: dict) -> MoveRecord:
    """A moves row (any schema) as a MoveRecord, its JSON columns parsed."""
    offered = _unjson(row.pop("offered", None))
    ideal = _unjson(row.pop("ideal", None))
    return MoveRecord(**{**row, "line": _unjson(row.get("line")),
                         "choice_text": _unjson(row.get("choice_text")),
                         "offered": tuple((o[0], o[1]) for o in offered) if isinstance(offered, list) else None,
                         "ideal": tuple(ideal) if isinstance(ideal, list) else None})


def record_headless(db, room: str | None, team: str | None, level, state, result,
                    seed: int | None = None, started_at: datetime | str | None = None,
                    lang: str | None = None, played=None) -> str:
    """Record a `mot run` into a database (default: the user's), as team `team` in `room`:
    when it started, its language and what it showed (see `Store.record_run`)."""
    level_id = getattr(level, "id", level)
    campaign_id = getattr(level, "campaign", None)
    with Store(db or default_db_path()) as store:
        if store.notice:
            import sys

            from .i18n import default_language

            print(f"mot: {store.notice[default_language()]}", file=sys.stderr)
        if room:
            store.ensure_room(room, level_id, campaign_id)
        return store.record_run(team or "headless", level_id, campaign_id, state, result,
                                mode="classroom" if room else "headless", room=room, team=team,
                                seed=seed, started_at=started_at, lang=lang, played=played)
