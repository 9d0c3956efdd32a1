"""`mot results --format xlsx`: the trainer's workbook, opened back with openpyxl — its sheets,
one Summary row per team with the ranking's totals, real date-time cells, Chinese intact, and a
team name that starts with = kept as text (never a formula)."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest

from game.cli import main as mot
from game.engine import Game
from game.played import played
from game.scoring import score
from game.store import Store
from game.workbook import summary_rows
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
ROOM = "周一班"
REFUND = ["offer-refund", "repeat-policy"]  # 5 points
TEN = ["offer-refund", "ask-whose-fault", "loaners-and-note", "five-cs", "close-ticket"]  # 10 points
FOLLOW_BEST = ["ask-june", "trusted-plan", "on-site", "confirm-opening"]  # 82 after a +3
FOLLOW_POOR = ["price-rise", "plain-quote", "on-site", "send-invoice"]  # 10
FOLLOW_MID = ["ask-june", "plain-quote", "on-site", "send-invoice"]  # 37 with no earlier score


@pytest.fixture(scope="module")
def levels():
    from game.library import load_library

    library = load_library()
    return library.level("first-call"), library.level("follow-up")


@pytest.fixture
def room_db(tmp_path, levels):
    """Three teams, two levels: 红队 (Chinese) plays both well and lost a turn; =蓝队 (English)
    plays both poorly, then replays the first level perfectly (practice: never counted); 绿队
    is middling and lost two turns. Four phones voted on the first scene; another room's run is
    left out."""
    first, follow = levels
    path = tmp_path / "room.sqlite3"
    clock = iter(range(0, 10_000, 7))

    def record(team, level, choices, lang, scores=None, lost=None):
        state = Game(level, scores or {}).play(choices)
        start = T0 + timedelta(minutes=next(clock))
        times = [start + timedelta(seconds=30 * (i + 1)) for i in range(len(choices))]
        store.record_run(team, level.id, level.campaign, state, score(level, state),
                         mode="classroom", room=ROOM, team=team, started_at=start,
                         finished_at=times[-1] + timedelta(seconds=5), move_times=times, lang=lang,
                         played=played(level, state, scores), lost_turns=lost)

    with Store(path) as store:
        record("红队", first, IDEAL, "zh")
        record("=蓝队", first, REFUND, "en")
        record("绿队", first, TEN, "zh", lost=1)
        record("红队", follow, FOLLOW_BEST, "zh", {"first-call": 3}, lost=1)
        record("=蓝队", follow, FOLLOW_POOR, "en", {"first-call": -3})
        record("绿队", follow, FOLLOW_MID, "zh", lost=1)
        record("=蓝队", first, IDEAL, "en")  # practice: a later run of a level already played
        state = Game(first).play(IDEAL)
        store.record_run("ana", first.id, first.campaign, state, score(first, state),
                         room="other", finished_at=T0)
    with sqlite3.connect(path) as conn:  # the room's vote mode: four phones, first decision
        for token, nick, choice in (("p1", "小李", "ask-impact"), ("p2", "小王", "ask-impact"),
                                    ("p3", "Sam", "offer-refund"), ("p4", "=SUM(1)", "ask-impact")):
            conn.execute("INSERT INTO participants(room, token, nickname, lang, joined_at)"
                         " VALUES (?, ?, ?, 'zh', ?)", (ROOM, token, nick, "2025-03-03T09:50:00.000Z"))
            conn.execute("INSERT INTO votes(room, round, level_id, decision, scene, participant,"
                         " choice, voted_at) VALUES (?, 1, 'first-call', 1, 'call', ?, ?, ?)",
                         (ROOM, token, choice, "2025-03-03T09:51:00.000Z"))
    return path


def export(db, out, *extra) -> None:
    """The workbook in the language MOT_LANG says (each test sets it)."""
    assert mot(["results", "--db", str(db), "--room", ROOM, "--format", "xlsx", "-o", str(out),
                *extra]) == 0


def rows_of(ws) -> list[list]:
    """The data rows under the header, up to the first empty row."""
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        out.append(list(row))
    return out


def test_the_workbook_a_trainer_opens(room_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOT_LANG", "en")
    out = tmp_path / "class.xlsx"
    export(room_db, out)
    assert f"written to {out}" in capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Runs", "Moves", "Decisions"]
    for ws in wb:
        assert ws.freeze_panes == "A2"  # the header stays in view
        assert all(c.font.b for c in ws[1] if c.value is not None)
        assert all(ws.column_dimensions[c.column_letter].customWidth for c in ws[1])  # sized

    # Summary: one row per team, points as the room's ranking counts them (first run per level).
    summary = wb["Summary"]
    header = [c.value for c in summary[1]]
    assert header == ["Rank", "Team", "Points", "A First Call · MOT score",
                      "The Follow-up · MOT score", "Adherence", "Discoveries", "Lost turns",
                      "Runs counted", "Practice runs"]
    rows = rows_of(summary)
    assert [r[:3] for r in rows] == [[1, "红队", 86 + 82], [2, "绿队", 10 + 37], [3, "=蓝队", 5 + 10]]
    assert [r[3:] for r in rows] == [
        [3, 3, 4 + 4, 3 + 1, 1, 2, 0],  # 红队: +3 and +3, every step both times
        [-3, -1, 2 + 3, 0 + 1, 2, 2, 0],  # 绿队: 10 + 37
        [-3, -3, 1 + 2, 0 + 0, 0, 2, 1],  # =蓝队's perfect replay is practice: not counted
    ]
    with Store.open_readonly(room_db) as store:
        ranking = store.ranking(ROOM)
    assert [(r.team, r.points, r.runs, r.practice_runs) for r in ranking] == [
        (r[1], r[2], r[8], r[9]) for r in rows]
    # A name that starts with = is a text cell, shown as typed: no formula, no apostrophe.
    blue = summary.cell(row=4, column=2)
    assert blue.value == "=蓝队" and blue.data_type == "s" and not blue.quotePrefix
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 4 and not any(b"<f>" in z.read(n) for n in sheets)
        chart = z.read("xl/charts/chart1.xml").decode()  # the bar chart of points by team
        assert "<barChart>" in chart and "Points by team" in chart
        assert "'Summary'!$C$2:$C$4" in chart and "'Summary'!$B$2:$B$4" in chart

    # Runs: one row per finished run, start and finish as real date-time cells.
    runs = wb["Runs"]
    head = [c.value for c in runs[1]]
    assert head[:7] == ["Team", "Player", "Room", "Level", "Language", "Mode", "Ending"]
    data = rows_of(runs)
    assert len(data) == 7
    started, finished, duration = (head.index(k) for k in ("Started (UTC)", "Finished (UTC)",
                                                           "Duration"))
    first = runs.cell(row=2, column=started + 1)
    assert isinstance(first.value, datetime) and first.is_date
    assert first.value == datetime(2025, 3, 3, 9, 0) and first.number_format == "yyyy-mm-dd hh:mm:ss"
    assert isinstance(runs.cell(row=2, column=finished + 1).value, datetime)
    assert data[0][duration] == timedelta(seconds=5 * 30 + 5)
    assert [r[4] for r in data][:2] == ["中文", "English"] and data[0][3] == "A First Call"
    assert [r[head.index("Counted")] for r in data][-1] == "practice"

    # Moves: what each team saw, in its own language, the meter before and after, the time.
    moves = wb["Moves"]
    head = [c.value for c in moves[1]]
    assert head == ["Team", "Level", "Move", "Scene", "The customer said", "Choice", "Step",
                    "Meter before", "Meter after", "Before → after", "Time (UTC)", "Said (typed)"]
    data = rows_of(moves)
    assert len(data) == 5 + 2 + 5 + 4 + 4 + 4 + 5
    red = data[0]
    assert red[:4] == ["红队", "A First Call", 1, "call"]
    assert red[4].startswith("你好，我是 FILTEX 的 Grace Wang")  # Chinese intact
    assert red[5].startswith("真抱歉") and red[6] == "探索"
    assert red[7:10] == [-1, 0, "-1 → +0"] and red[10] == datetime(2025, 3, 3, 9, 0, 30)
    blue = data[5]
    assert blue[0] == "=蓝队" and blue[4].startswith("Hello, Grace Wang") and blue[6] == "Offer"
    assert moves.cell(row=2, column=5).alignment.wrap_text  # long lines wrap
    assert moves.column_dimensions["E"].width == 50 and moves.column_dimensions["C"].width < 10

    # Decisions: per scene, how many teams took each card (counted runs), the ideal marked;
    # the room's vote on the same scene counts voters.
    decisions = wb["Decisions"]
    data = rows_of(decisions)
    call_teams, call_votes = data[0], data[1]
    assert call_teams[:2] == ["A First Call", "call"] and call_teams[3] == "teams"
    assert call_votes[:2] == ["A First Call", "call"] and call_votes[3] == "voters"
    cards = dict(zip(call_teams[5::2], call_teams[6::2]))
    ideal = next(k for k in cards if k and k.startswith("✓ "))
    assert ideal.startswith("✓ I'm sorry. Before I chase it") and cards[ideal] == 1
    assert cards["I can cancel the order and refund you today, no questions asked."] == 2
    assert sum(v for v in cards.values() if v is not None) == 3  # three teams, one run each
    votes = dict(zip(call_votes[5::2], call_votes[6::2]))
    assert votes[ideal] == 3 and sum(v for v in votes.values() if v is not None) == 4
    assert decisions.cell(row=2, column=6).fill.fgColor.rgb.endswith("D9EAD3")
    assert {r[1] for r in data} >= {"call", "needs", "plan"}


def test_chinese_headers_and_sheet_names(room_db, tmp_path, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "zh")
    out = tmp_path / "班级.xlsx"
    export(room_db, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "对局", "每步", "决策"]
    assert [c.value for c in wb["汇总"][1]][:4] == ["名次", "队伍", "积分", "第一通电话 · MOT 分数"]
    assert rows_of(wb["汇总"])[0][:3] == [1, "红队", 168]


def test_summary_rows_count_as_the_ranking_does(room_db):
    with Store.open_readonly(room_db) as store:
        runs = store.runs(room=ROOM)
        ranking = store.ranking(ROOM)
    rows = summary_rows(runs)
    assert [(r["team"], r["points"], r["runs"], r["practice"]) for r in rows] == [
        (r.team, r.points, r.runs, r.practice_runs) for r in ranking]


def test_unfinished_runs_count_in_the_summary_and_list_only_when_asked(room_db, tmp_path,
                                                                        monkeypatch, levels):
    first, _ = levels
    with Store(room_db) as store:  # a fourth team stopped by the trainer after one move
        state = Game(first).play(IDEAL[:1])
        store.record_run("黄队", first.id, first.campaign, state, score(first, state),
                         mode="classroom", room=ROOM, team="黄队", finished_at=T0 + timedelta(hours=2),
                         lang="zh", played=played(first, state))
    monkeypatch.setenv("MOT_LANG", "en")
    out = tmp_path / "a.xlsx"
    export(room_db, out)
    wb = openpyxl.load_workbook(out)
    assert "黄队" in [r[1] for r in rows_of(wb["Summary"])]  # as the ranking counts it
    assert "黄队" not in [r[0] for r in rows_of(wb["Runs"])]
    export(room_db, out, "--unfinished")
    wb = openpyxl.load_workbook(out)
    assert [r[6] for r in rows_of(wb["Runs"]) if r[0] == "黄队"] == ["(unfinished)"]
