"""The SQLite store: round trips, progress, rankings, bad save files, and 20 writers at once."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from game.engine import Game
from game.scoring import score
from tests.conftest import FIRST_CALL as LEVEL_FILE
from game.store import (SCHEMA_VERSION, RankRow, Store, default_data_dir, default_db_path,
                        record_headless)

ROOT = Path(__file__).resolve().parent.parent
PATHS = {  # points, MOT score, adherence noted for reading the expectations below
    "A": ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"],  # 86, 3, 4
    # B: 0 1 3 1 −1: peak 3, end −1 → +1; no confirm → 3; 3 found: 40 + 15 + 6
    "B": ["ask-impact", "ask-what-success", "loaners-and-note", "ship-loaners",
          "close-ticket"],  # 61, 1, 3
    "C": ["offer-refund", "repeat-policy"],  # 5, −3, 1
    # D: −2 −1 1 2 0: the tie |−2| = |2| goes to the later 2, end 0 → +1; O and A → 2; 2 found
    "D": ["offer-refund", "ask-what-success", "loaners-and-note", "five-cs", "close-ticket"],  # 54, 1, 2
}
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def play(level, key: str):
    state = Game(level).play(PATHS[key])
    return state, score(level, state)


def record(store: Store, level, key: str, player: str = "ana", minutes: int = 0, **kw) -> str:
    state, result = play(level, key)
    return store.record_run(player, level.id, level.campaign, state, result,
                            finished_at=T0 + timedelta(minutes=minutes), **kw)


def test_run_round_trip_with_moves(tmp_path, level):
    state, result = play(level, "A")
    started = T0 - timedelta(seconds=90)
    with Store(tmp_path / "deep" / "dir" / "mot.sqlite3") as store:
        assert store.notice is None
        run_id = store.record_run("ana", level.id, level.campaign, state, result, mode="exam",
                                  started_at=started, finished_at=T0)
        again = store.record_run("ana", level.id, level.campaign, state, result, run_uuid=run_id)
        (run,) = store.runs()
    assert again == run_id
    assert (run.uuid, run.player, run.level_id, run.campaign_id, run.mode) == (
        run_id, "ana", "first-call", "tutorial", "exam")
    assert (run.room, run.team, run.ending) == (None, None, "delighted")
    assert (run.mot_score, run.peak, run.end_value, run.points) == (3, 3, 3, 86)
    assert run.adherence == 4 and run.explored_first and run.acted and run.confirmed_last
    assert (run.found, run.total_discoveries) == (3, 3)
    assert run.started_at == "2025-03-01T08:58:30.000Z"
    assert run.finished_at == "2025-03-01T09:00:00.000Z"
    assert run.duration_s == 90.0
    assert [(m.seq, m.scene, m.choice, m.step, m.delta, m.perception) for m in run.moves] == [
        (n, m.scene, m.choice, m.step, m.delta, m.perception) for n, m in enumerate(state.moves, 1)]


def test_connection_settings_and_schema(tmp_path):
    with Store.open(tmp_path / "mot.sqlite3") as store:
        pragma = lambda name: store._conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == 10_000
        assert pragma("foreign_keys") == 1
        assert pragma("user_version") == SCHEMA_VERSION
        with pytest.raises(ValueError):
            store.record_run("ana", "x", None, None, None, mode="speedrun")


def test_best_scores_and_completed_levels(tmp_path, level):
    with Store(tmp_path / "mot.sqlite3") as store:
        record(store, level, "C", minutes=1)
        record(store, level, "A", minutes=2)
        record(store, level, "B", minutes=3)
        record(store, level, "A", player="bo", minutes=4)
        unfinished = Game(level).play(["ask-impact"])
        store.record_run("ana", "follow-up", "tutorial", unfinished, score(level, unfinished))
        assert store.best_scores("ana") == {"first-call": 3, "follow-up": 0}
        assert store.completed_levels("ana") == {"first-call"}
        assert store.completed_levels("nobody") == set() and store.best_scores("nobody") == {}
        assert [r.mot_score for r in store.runs(player="ana", level="first-call")] == [-3, 3, 1]
        assert len(store.runs()) == 5


def test_ranking_order_with_exact_numbers(tmp_path, level):
    with Store(tmp_path / "mot.sqlite3") as store:
        room = store.ensure_room("周一班", level_id="first-call")
        assert room.name == "周一班" and room.level_id == "first-call" and room.campaign_id is None
        plan = [("红队", "A"), ("蓝队", "C"), ("红队", "C"), ("amber", "B"), ("绿队", "B"),
                ("蓝队", "A")]
        for minute, (team, key) in enumerate(plan):
            record(store, level, key, player=team, minutes=minute, mode="classroom",
                   room="周一班", team=team)
        record(store, level, "A", player="红队", room="other", team="红队")  # another room
        ranking = store.ranking("周一班")
        assert store.room("周一班").campaign_id is None
        assert store.room("other").level_id == "first-call"
        assert store.room("nowhere") is None
    at = lambda m: (T0 + timedelta(minutes=m)).isoformat(timespec="milliseconds")[:-6] + "Z"  # noqa: E731
    assert ranking == [  # one run per team and level counts: the first; the retry is practice
        RankRow("红队", 86, 1, 3, 4, at(0), 1),   # A counts; the later C does not
        RankRow("amber", 61, 1, 1, 3, at(3)),     # ties 绿队 on points and score: by name
        RankRow("绿队", 61, 1, 1, 3, at(4)),
        RankRow("蓝队", 5, 1, -3, 1, at(1), 1),   # C counts; the later A does not buy 86 points
    ]


def test_settings(tmp_path):
    path = tmp_path / "mot.sqlite3"
    with Store(path) as store:
        assert store.get_setting("lang") is None
        assert store.get_setting("lang", "en") == "en"
        store.set_setting("lang", "zh")
        store.set_setting("lang", "en")
        store.set_setting("timer", 60)
    with Store(path) as store:
        assert (store.get_setting("lang"), store.get_setting("timer")) == ("en", "60")
        store.set_setting("timer", None)
        assert store.get_setting("timer") is None


def _check_fresh_store_works(store: Store, level) -> None:
    record(store, level, "A")
    assert store.best_scores("ana") == {"first-call": 3}


def test_corrupt_file_is_set_aside(tmp_path, level):
    path = tmp_path / "mot.sqlite3"
    path.write_bytes(b"not a database")
    with Store(path) as store:
        assert re.fullmatch(r"mot\.sqlite3\.corrupt-\d{8}-\d{6}", store.moved_to.name)
        assert store.moved_to.read_bytes() == b"not a database"
        assert set(store.notice) == {"en", "zh"}
        assert all(str(store.moved_to) in text for text in store.notice.values())
        _check_fresh_store_works(store, level)
    with Store(path) as store:  # the fresh file is fine next time
        assert store.notice is None and len(store.runs()) == 1


def test_damaged_pages_are_set_aside(tmp_path, level):
    path = tmp_path / "mot.sqlite3"
    with Store(path) as store:
        for minute in range(40):
            record(store, level, "A", minutes=minute)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 3 + 300] = b"\xff" * 300
    path.write_bytes(bytes(data))
    with Store(path) as store:
        assert ".corrupt-" in store.moved_to.name and store.notice
        assert store.runs() == []


def test_newer_schema_is_set_aside(tmp_path, level):
    path = tmp_path / "mot.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with Store(path) as store:
        assert re.fullmatch(r"mot\.sqlite3\.newer-\d{8}-\d{6}", store.moved_to.name)
        assert "newer" in store.notice["en"] and "更新版本" in store.notice["zh"]
        _check_fresh_store_works(store, level)
    moved = sqlite3.connect(store.moved_to)
    assert moved.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    moved.close()


def test_data_dir_choice(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv("MOT_HOME", raising=False)
    assert default_data_dir() == Path(platformdirs.user_data_dir("moment-of-truth"))
    monkeypatch.setenv("MOT_HOME", str(tmp_path / "home"))
    assert default_data_dir() == tmp_path / "home"
    assert default_db_path() == tmp_path / "home" / "mot.sqlite3"
    assert default_data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    with Store() as store:
        assert store.path == tmp_path / "home" / "mot.sqlite3"
    assert (tmp_path / "home" / "mot.sqlite3").exists()


def test_record_headless(tmp_path, monkeypatch, level):
    monkeypatch.setenv("MOT_HOME", str(tmp_path))
    state, result = play(level, "B")
    record_headless(None, None, None, level, state, result)
    record_headless(None, "room", "蓝队", level, state, result)
    with Store() as store:
        runs = store.runs()
    assert [(r.player, r.mode, r.room, r.team, r.campaign_id) for r in runs] == [
        ("headless", "headless", None, None, "tutorial"),
        ("蓝队", "classroom", "room", "蓝队", "tutorial")]


def test_mot_run_records_into_a_room(tmp_path):
    db = tmp_path / "room.sqlite3"
    cmd = [sys.executable, "-m", "game", "run", str(LEVEL_FILE), "--ideal", "--json",
           "--db", str(db), "--room", "R", "--team", "红队"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    with Store(db) as store:
        assert store.ranking("R") == [RankRow("红队", 86, 1, 3, 4, store.runs()[0].finished_at)]
        assert len(store.runs()[0].moves) == 5


WRITER = """
import os, sys, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from game.engine import Game
from game.loader import load_level
from game.scoring import score
from game.store import Store

db, go, ready, team, minute, choices = sys.argv[1:]
level = load_level(Path({level!r})).level
state = Game(level).play(choices.split(","))
result = score(level, state)
Path(ready).touch()
while not os.path.exists(go):
    time.sleep(0.002)
finished = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=int(minute))
with Store(db) as store:
    store.record_run(team, level.id, level.campaign, state, result, mode="classroom",
                     room="R", team=team, finished_at=finished)
"""


def test_twenty_processes_record_into_one_room_at_once(tmp_path, level):
    """Every writer opens the (not yet existing) database and records at the same moment."""
    db, go = tmp_path / "room.sqlite3", tmp_path / "go"
    teams = ["红队", "蓝队", "绿队", "amber", "blue"]
    plan = "ABCDB" "CACAA" "DBBCB" "ADAAC"  # run i: team i % 5, path plan[i], at T0 + i min
    code = WRITER.format(level=str(LEVEL_FILE))
    procs = [subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(go), str(tmp_path / f"ready-{i}"),
         teams[i % 5], str(i), ",".join(PATHS[key])], cwd=ROOT, stderr=subprocess.PIPE)
        for i, key in enumerate(plan)]
    try:
        deadline = time.monotonic() + 30
        while sum((tmp_path / f"ready-{i}").exists() for i in range(20)) < 20:
            failed = [p.communicate()[1].decode() for p in procs if p.poll() not in (None, 0)]
            assert not failed, failed[0]
            assert time.monotonic() < deadline
            time.sleep(0.01)
        go.touch()
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()
    finally:  # a failed test must not leave writers waiting for `go` forever
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    with Store(db) as store:
        runs = store.runs(room="R")
        ranking = store.ranking("R")
    assert len(runs) == 20 and len({r.uuid for r in runs}) == 20
    assert [r.team for r in runs] == [teams[i % 5] for i in range(20)]  # ordered by finished_at
    for run, key in zip(runs, plan):
        assert [m.choice for m in run.moves] == PATHS[key]
        assert [m.seq for m in run.moves] == list(range(1, len(PATHS[key]) + 1))
    at = lambda m: (T0 + timedelta(minutes=m)).isoformat(timespec="milliseconds")[:-6] + "Z"  # noqa: E731
    assert [r.practice for r in runs] == [i >= 5 for i in range(20)]  # same level: first counts
    assert ranking == [  # each team's first run (minutes 0–4) counts; its 3 later ones are practice
        RankRow("红队", 86, 1, 3, 4, at(0), 3),     # A
        RankRow("blue", 61, 1, 1, 3, at(4), 3),     # B: ties 蓝队, wins by name
        RankRow("蓝队", 61, 1, 1, 3, at(1), 3),     # B
        RankRow("amber", 54, 1, 1, 2, at(3), 3),    # D
        RankRow("绿队", 5, 1, -3, 1, at(2), 3),     # C
    ]
