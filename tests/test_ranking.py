"""A room's ranking counts one run per team and level, the first; later runs are practice —
shown as a count, flagged in `runs()` and the exports, never added to the points."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

from game.cli import main as mot
from game.engine import Game
from game.scoring import classroom_points, score
from game.store import RankRow, Store
from tests.conftest import FIRST_CALL
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

TEN = ["offer-refund", "ask-whose-fault", "loaners-and-note", "five-cs", "close-ticket"]  # 10 points
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat(timespec="milliseconds")[:-6] + "Z"


def record(store: Store, level, path, team: str | None, minutes: int, level_id: str | None = None,
           room: str | None = "R", player: str | None = None) -> None:
    state = Game(level).play(path)
    store.record_run(player or team, level_id or level.id, level.campaign, state, score(level, state),
                     mode="classroom", room=room, team=team, finished_at=T0 + timedelta(minutes=minutes))


def test_the_paths_score_what_the_tests_say(level):
    ten, ideal = (score(level, Game(level).play(p)) for p in (TEN, IDEAL))
    assert (ten.points, ten.mot_score, ten.adherence.total, len(ten.found)) == (10, -3, 2, 0)
    assert (ideal.points, ideal.mot_score, ideal.adherence.total, len(ideal.found)) == (86, 3, 4, 3)


def test_a_team_that_scores_10_then_retries_with_86_ranks_with_10(tmp_path, level):
    with Store(tmp_path / "room.sqlite3") as store:
        record(store, level, TEN, "红队", 0)
        record(store, level, IDEAL, "红队", 1)  # the retry: practice
        record(store, level, IDEAL, "蓝队", 2)
        assert store.ranking("R") == [
            RankRow("蓝队", 86, 1, 3, 4, at(2), 0),
            RankRow("红队", 10, 1, -3, 2, at(0), 1),  # 10, not 96 and not 86; one practice run
        ]
        runs = store.runs(room="R")
        assert [(r.team, r.points, r.practice) for r in runs] == [
            ("红队", 10, False), ("红队", 86, True), ("蓝队", 86, False)]
        assert [r.practice for r in store.runs(room="R", level=level.id, player="红队")] == [False, True]
        # The formula on the board is true of every team: its points are its counted runs'.
        for row in store.ranking("R"):
            counted = [r for r in runs if r.team == row.team and not r.practice]
            assert row.points == sum(classroom_points(r.mot_score, r.adherence, r.found) for r in counted)
            assert row.practice_runs == sum(r.team == row.team and r.practice for r in runs)


def test_each_level_counts_once_per_team(tmp_path, level):
    with Store(tmp_path / "room.sqlite3") as store:
        record(store, level, TEN, "红队", 0)                               # first-call: 10
        record(store, level, IDEAL, "红队", 1, level_id="follow-up")       # follow-up: 86
        record(store, level, IDEAL, "红队", 2)                             # practice
        record(store, level, TEN, "红队", 3, level_id="follow-up")         # practice
        record(store, level, IDEAL, "绿队", 4, level_id="follow-up")
        record(store, level, TEN, "绿队", 5, room=None)                    # no room: not ranked
        record(store, level, IDEAL, None, 6, player="ana")                 # no team: by player
        record(store, level, TEN, None, 7, player="ana")
        assert store.ranking("R") == [
            RankRow("红队", 96, 2, 3, 4, at(1), 2),   # last counted run: follow-up's 86 (+3, 4)
            RankRow("ana", 86, 1, 3, 4, at(6), 1),
            RankRow("绿队", 86, 1, 3, 4, at(4), 0),
        ]
        assert [r.practice for r in store.runs()] == [False, False, True, True, False, False,
                                                      False, True]


def test_the_first_run_is_the_first_to_finish_then_the_first_recorded(tmp_path, level):
    with Store(tmp_path / "room.sqlite3") as store:
        record(store, level, IDEAL, "红队", 5)  # recorded first, finished later
        record(store, level, TEN, "红队", 0)    # finished first: this one counts
        record(store, level, TEN, "蓝队", 9)    # the same moment: the first recorded counts
        record(store, level, IDEAL, "蓝队", 9)
        assert store.ranking("R") == [
            RankRow("红队", 10, 1, -3, 2, at(0), 1),
            RankRow("蓝队", 10, 1, -3, 2, at(9), 1),
        ]


def test_two_mot_runs_into_the_same_room_team_and_level_count_once(tmp_path, capsys):
    db = tmp_path / "room.sqlite3"
    common = ["run", str(FIRST_CALL), "--json", "--db", str(db), "--room", "R", "--team", "红队"]
    assert mot([*common, "--ideal"]) == 0
    assert mot([*common, "--choices", ",".join(TEN)]) == 0
    capsys.readouterr()
    with Store.open_readonly(db) as store:
        first, again = store.runs(room="R")
        assert (first.points, first.practice, again.points, again.practice) == (86, False, 10, True)
        assert store.ranking("R") == [RankRow("红队", 86, 1, 3, 4, first.finished_at, 1)]


def test_the_exports_mark_practice_runs(tmp_path, level, capsysbinary):
    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        record(store, level, TEN, "红队", 0)
        record(store, level, IDEAL, "红队", 1)
    capsysbinary.readouterr()
    assert mot(["results", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
    # points on each run's first row only (a column sum counts a run once)
    assert [(r["points"], r["practice"]) for r in rows] == (
        [("10", "0")] + [("", "0")] * 4 + [("86", "1")] + [("", "1")] * 4)
    assert mot(["results", "--db", str(db), "--format", "xapi", "--homepage", "https://h.example"]) == 0
    statements = [json.loads(line) for line in capsysbinary.readouterr().out.decode().splitlines()]
    practice = [s["context"]["extensions"].get("https://h.example/xapi/ext/practice")
                for s in statements if s["verb"]["display"]["en-US"] == "completed"]
    assert practice == [None, True]
