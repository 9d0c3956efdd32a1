"""Live moves in the store: the `live` table, its upsert, finished runs, and the v1 → v2 upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path


from game.engine import Game
from game.scoring import score
from game.store import MIGRATIONS, SCHEMA_VERSION, LiveRow, Store, record_headless
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent


def _plain(rows):
    return [(r.room, r.team, r.level_id, r.moves, r.perception, r.steps, r.finished) for r in rows]


def test_update_live_upserts_one_row_per_team_and_level(tmp_path):
    with Store(tmp_path / "mot.sqlite3") as store:
        assert store.live("R") == []
        store.update_live("R", "红队", "first-call", 1, 0, "E")
        store.update_live("R", "蓝队", "first-call", 1, -2, "O")
        store.update_live("R", "红队", "first-call", 2, 1, "EE")
        store.update_live("other", "红队", "first-call", 1, 3, "E")
        rows = store.live("R")
        assert _plain(rows) == [
            ("R", "红队", "first-call", 2, 1, "EE", False),
            ("R", "蓝队", "first-call", 1, -2, "O", False),
        ]
        assert all(isinstance(r, LiveRow) and r.updated_at.endswith("Z") for r in rows)
        store.update_live("R", "红队", "first-call", 5, 3, "EEOAC", finished=True)
        assert _plain(store.live("R"))[0] == ("R", "红队", "first-call", 5, 3, "EEOAC", True)


def test_recording_a_room_run_marks_the_live_row_finished(tmp_path, level):
    state = Game(level).play(IDEAL)
    result = score(level, state)
    with Store(tmp_path / "mot.sqlite3") as store:
        store.update_live("R", "红队", level.id, 3, 1, "EEO")
        store.record_run("红队", level.id, level.campaign, state, result, mode="classroom",
                         room="R", team="红队")
        store.record_run("ana", level.id, level.campaign, state, result)  # no room: no live row
        store.record_run("bo", level.id, level.campaign, state, result, room="R")  # no team: player
        assert _plain(store.live("R")) == [
            ("R", "bo", "first-call", 5, 3, "EEOAC", True),
            ("R", "红队", "first-call", 5, 3, "EEOAC", True),
        ]
    record_headless(tmp_path / "h.sqlite3", "H", "绿队", level, state, result)
    with Store(tmp_path / "h.sqlite3") as store:
        assert _plain(store.live("H")) == [("H", "绿队", "first-call", 5, 3, "EEOAC", True)]


def test_a_version_1_file_is_upgraded(tmp_path, level):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("INSERT INTO players(name) VALUES ('ana')")
    conn.execute("INSERT INTO settings(key, value) VALUES ('lang', 'zh')")
    conn.execute(
        "INSERT INTO runs(uuid, player_id, level_id, mode, mot_score, peak, end_value, adherence,"
        " explored_first, offered_before_act, acted, confirmed_last, found, total_discoveries,"
        " points, finished_at) VALUES ('u-1', 1, 'first-call', 'learn', 3, 3, 3, 4, 1, 1, 1, 1,"
        " 3, 3, 86, '2025-03-01T09:00:00.000Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with Store(path) as store:
        assert store.notice is None and store.moved_to is None
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert [(r.uuid, r.seed) for r in store.runs()] == [("u-1", None)]  # no seed before v3
        assert store.get_setting("lang") == "zh"
        store.update_live("R", "ana", "first-call", 1, 0, "E")
        assert len(store.live("R")) == 1
    with Store(path) as store:  # opening again changes nothing
        assert len(store.live("R")) == 1 and len(store.runs()) == 1
