"""`mot results`: the CSV for Excel (BOM, Chinese intact, exact rows) and xAPI 1.0.3 statements
checked against the specification's rules for every field the export uses."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from game.cli import main as mot
from game.commands.results import CSV_COLUMNS, iso_duration, xapi_statements
from game.engine import Game
from game.played import played
from game.scoring import score
from game.store import Store
from tests.conftest import FIRST_CALL_IDEAL as IDEAL

ROOT = Path(__file__).resolve().parent.parent
REFUND = ["offer-refund", "repeat-policy"]
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
RUN_A = "3f1d2c4b-8e9a-4b7c-9d10-2a3b4c5d6e7f"
RUN_C = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
HOME = "https://example.org/mot"


@pytest.fixture
def db(tmp_path, level) -> Path:
    """Room 周一班: 红队 plays the ideal path in 2 min 13.5 s, in Chinese, with what it saw
    recorded (schema 6); =蓝队 refunds and fails, recorded as an older game did (no language, no
    texts: rebuilt from the level); another room and a run stopped before its ending are there
    to be left out."""
    path = tmp_path / "mot.sqlite3"
    with Store(path) as store:
        state = Game(level).play(IDEAL)
        store.record_run("红队", level.id, level.campaign, state, score(level, state),
                         mode="classroom", room="周一班", team="红队", run_uuid=RUN_A,
                         started_at=T0 - timedelta(seconds=133.5), finished_at=T0,
                         move_times=[T0 - timedelta(seconds=100 - 20 * i) for i in range(5)],
                         lang="zh", played=played(level, state))
        state = Game(level).play(REFUND)
        store.record_run("=蓝队", level.id, level.campaign, state, score(level, state),
                         mode="classroom", room="周一班", team="=蓝队", run_uuid=RUN_C,
                         started_at=T0, finished_at=T0 + timedelta(minutes=1, seconds=5))
        state = Game(level).play(IDEAL)
        store.record_run("ana", level.id, level.campaign, state, score(level, state),
                         room="other", finished_at=T0)
        state = Game(level).play(IDEAL[:2])  # stopped before an ending
        store.record_run("绿队", level.id, level.campaign, state, score(level, state),
                         mode="classroom", room="周一班", team="绿队",
                         finished_at=T0 + timedelta(minutes=3))
    return path


def export(capsysbinary, *args) -> bytes:
    capsysbinary.readouterr()
    assert mot(["results", *args]) == 0
    return capsysbinary.readouterr().out


# -- CSV ------------------------------------------------------------------------------------

def test_csv_has_a_bom_keeps_chinese_and_has_the_exact_rows(db, capsysbinary):
    data = export(capsysbinary, "--db", str(db), "--room", "周一班", "--format", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "红队".encode("utf-8") in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert CSV_COLUMNS[-8:] == ("move_no", "scene", "choice", "step", "delta", "perception",
                                "moved_at", "said")

    def run_a(points):  # the points column (16) on the run's first row only
        return [RUN_A, "红队", "红队", "周一班", "first-call", "tutorial", "classroom", "zh",
                "2025-03-01T08:57:46.500Z", "2025-03-01T09:00:00.000Z", "133.5", "delighted",
                "3", "3", "3", "4", points, "0"]

    def run_c(points):
        return [RUN_C, "'=蓝队", "'=蓝队", "周一班", "first-call", "tutorial", "classroom", "",
                "2025-03-01T09:00:00.000Z", "2025-03-01T09:01:05.000Z", "65", "lost",
                "-3", "-3", "-3", "1", points, "0"]

    assert rows[1:] == [
        run_a("86") + ["1", "call", "ask-impact", "explore", "1", "0", "2025-03-01T08:58:20.000Z", ""],
        run_a("") + ["2", "needs", "ask-what-success", "explore", "1", "1", "2025-03-01T08:58:40.000Z", ""],
        run_a("") + ["3", "plan", "loaners-and-note", "offer", "2", "3", "2025-03-01T08:59:00.000Z", ""],
        run_a("") + ["4", "deliver", "five-cs", "act", "1", "3", "2025-03-01T08:59:20.000Z", ""],
        run_a("") + ["5", "follow", "call-grace", "confirm", "1", "3", "2025-03-01T08:59:40.000Z", ""],
        run_c("5") + ["1", "call", "offer-refund", "offer", "-1", "-2", "2025-03-01T09:01:05.000Z", ""],
        run_c("") + ["2", "needs", "repeat-policy", "offer", "-1", "-3", "2025-03-01T09:01:05.000Z", ""],
    ]
    assert sum(int(r[16]) for r in rows[1:] if r[16]) == 86 + 5  # a column sum counts runs once


def test_csv_file_filters_and_unfinished(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "en")
    out = tmp_path / "out.csv"
    assert mot(["results", "--db", str(db), "--player", "红队", "--format", "csv",
                "-o", str(out)]) == 0
    assert f"1 runs, 5 rows written to {out}" in capsys.readouterr().err
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["run_uuid"] for r in rows} == {RUN_A} and len(rows) == 5
    assert mot(["results", "--db", str(db), "--format", "csv", "-o", str(out), "--unfinished"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len({r["run_uuid"] for r in rows}) == 4
    assert [r["choice"] for r in rows if r["team"] == "绿队"] == IDEAL[:2]
    assert all(r["ending"] == "" for r in rows if r["team"] == "绿队")


def test_the_output_name_says_the_format(db, tmp_path, capsys, monkeypatch):
    """Without --format, `-o runs.csv` writes CSV and `-o runs.jsonl` xAPI; a name that says
    nothing is still asked for a format (exit 2), and nothing is written."""
    monkeypatch.setenv("MOT_LANG", "en")
    out = tmp_path / "runs.CSV"
    assert mot(["results", "--db", str(db), "--player", "红队", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        assert {r["run_uuid"] for r in csv.DictReader(f)} == {RUN_A}
    lines = tmp_path / "runs.jsonl"
    assert mot(["results", "--db", str(db), "--player", "红队", "-o", str(lines)]) == 0
    assert all(json.loads(line)["actor"] for line in lines.read_text("utf-8").splitlines())
    capsys.readouterr()
    assert mot(["results", "--db", str(db), "-o", str(tmp_path / "runs.txt")]) == 2
    assert "-o a file named .csv, .xlsx or .jsonl" in capsys.readouterr().err
    assert not (tmp_path / "runs.txt").exists()


def test_missing_database_and_bad_homepage(tmp_path, capsys):
    assert mot(["results", "--db", str(tmp_path / "none.sqlite3"), "--format", "csv"]) == 1
    assert not (tmp_path / "none.sqlite3").exists()
    Store(tmp_path / "x.sqlite3").close()
    assert mot(["results", "--db", str(tmp_path / "x.sqlite3"), "--format", "xapi",
                "--homepage", "not an iri"]) == 2


# -- xAPI 1.0.3 -----------------------------------------------------------------------------

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# ISO 8601 durations as xAPI uses them (Data §4.6: to 0.01 s; weeks stand alone).
DURATION_RE = re.compile(r"^P(?:\d+W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
                         r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?)$")
# RFC 3987 absolute IRI: a scheme, a colon, then no spaces (the export uses http/https only).
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LANG_TAG_RE = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*|und)$")  # RFC 5646, as used
ADL = "http://adlnet.gov/expapi/verbs/"
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}


def check_language_map(value) -> None:
    assert isinstance(value, dict) and value
    for tag, text in value.items():
        assert LANG_TAG_RE.match(tag), tag
        assert isinstance(text, str)


def check_activity(activity: dict) -> None:
    assert activity.get("objectType", "Activity") == "Activity"
    assert IRI_RE.match(activity["id"]), activity["id"]
    definition = activity.get("definition", {})
    if "type" in definition:
        assert IRI_RE.match(definition["type"])
    for key in ("name", "description"):
        if key in definition:
            check_language_map(definition[key])


def check_extensions(extensions: dict) -> None:
    for key in extensions:
        assert IRI_RE.match(key) and key.startswith(HOME + "/xapi/ext/"), key


def check_statement(s: dict) -> None:
    """The xAPI 1.0.3 Data rules for every property the export fills in."""
    assert set(s) <= STATEMENT_KEYS
    assert not {"stored", "authority", "version"} & set(s)  # set by the LRS, not a provider
    assert UUID_RE.match(s["id"]) and uuid.UUID(s["id"]).version == 5
    # Actor: an Agent identified by exactly one IFI, here an account {homePage IRL, name}.
    actor = s["actor"]
    assert actor["objectType"] == "Agent"
    assert not {"mbox", "mbox_sha1sum", "openid"} & set(actor)
    assert set(actor["account"]) == {"homePage", "name"}
    assert actor["account"]["homePage"] == HOME and IRI_RE.match(actor["account"]["homePage"])
    assert isinstance(actor["account"]["name"], str) and actor["account"]["name"]
    # Verb: an ADL verb IRI with a language-map display.
    verb = s["verb"]
    assert verb["id"] in {ADL + v for v in ("answered", "completed", "passed", "failed", "terminated")}
    check_language_map(verb["display"])
    check_activity(s["object"])
    # Timestamp: ISO 8601 with a time zone.
    stamp = datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
    assert stamp.tzinfo is not None
    # Context: registration is a UUID; context activities are lists of activities.
    context = s["context"]
    assert UUID_RE.match(context["registration"])
    if "language" in context:
        assert LANG_TAG_RE.match(context["language"]) and context["language"] != "und"
    for kind, activities in context.get("contextActivities", {}).items():
        assert kind in {"parent", "grouping", "category", "other"}
        assert isinstance(activities, list)
        for activity in activities:
            check_activity(activity)
    check_extensions(context.get("extensions", {}))
    result = s.get("result", {})
    check_extensions(result.get("extensions", {}))
    if "score" in result:
        sc = result["score"]
        assert set(sc) == {"raw", "min", "max", "scaled"}
        assert (sc["min"], sc["max"]) == (-3, 3) and sc["min"] < sc["max"]
        assert sc["min"] <= sc["raw"] <= sc["max"]
        assert -1 <= sc["scaled"] <= 1 and sc["scaled"] == pytest.approx(sc["raw"] / 3)
    if "duration" in result:
        assert DURATION_RE.match(result["duration"]), result["duration"]
    for flag in ("success", "completion"):
        if flag in result:
            assert isinstance(result[flag], bool)


def test_iso_durations():
    assert iso_duration(133.5) == "PT2M13.5S"
    assert iso_duration(0) == "PT0S"
    assert iso_duration(65) == "PT1M5S"
    assert iso_duration(3600) == "PT1H"
    assert iso_duration(3725.256) == "PT1H2M5.26S"
    assert iso_duration(0.004) == "PT0S"
    for seconds in (0, 0.01, 59.999, 60, 133.5, 3599.995, 86400.5):
        assert DURATION_RE.match(iso_duration(seconds)), seconds
    assert not DURATION_RE.match("PT") and not DURATION_RE.match("P") and not DURATION_RE.match("2M")


def test_xapi_export_follows_the_1_0_3_rules(db, capsysbinary):
    data = export(capsysbinary, "--db", str(db), "--room", "周一班", "--format", "xapi",
                  "--homepage", HOME + "/")
    lines = data.decode("utf-8").splitlines()
    statements = [json.loads(line) for line in lines]
    for s in statements:
        check_statement(s)
    assert len({s["id"] for s in statements}) == len(statements) == (5 + 2) + (2 + 2)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["answered"] * 5 + ["completed", "passed"] + ["answered"] * 2 + ["completed", "failed"]

    by_run = {RUN_A: statements[:7], RUN_C: statements[7:]}
    for run_uuid, group in by_run.items():
        assert {s["context"]["registration"] for s in group} == {run_uuid}
        # Ids: uuid5 of the run's uuid and the statement's place, so a second export matches.
        assert group[0]["id"] == str(uuid.uuid5(uuid.UUID(run_uuid), "move-1"))

    level_iri = HOME + "/levels/first-call"
    campaign_iri = HOME + "/campaigns/tutorial"
    for s in statements:
        # The learner is scoped to the room: the same team name in another class is another account.
        assert s["actor"]["name"] in {"红队", "=蓝队"}
        assert s["actor"]["account"]["name"] == "周一班/" + s["actor"]["name"]
        if s["verb"]["id"] == ADL + "answered":
            obj = s["object"]
            definition = obj["definition"]
            assert obj["id"].startswith(level_iri + "/scenes/")
            assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
            assert definition["interactionType"] == "choice" and "choice" in INTERACTION_TYPES
            ids = [c["id"] for c in definition["choices"]]
            assert len(ids) == len(set(ids)) >= 2
            for c in definition["choices"]:
                check_language_map(c["description"])
            assert set(definition["correctResponsesPattern"]) <= set(ids)
            assert s["result"]["response"] in ids
            assert s["result"]["extensions"][HOME + "/xapi/ext/step"] in {
                "explore", "offer", "act", "confirm"}
            assert s["result"]["success"] == (
                s["result"]["response"] in definition["correctResponsesPattern"])
            assert [a["id"] for a in s["context"]["contextActivities"]["parent"]] == [level_iri]
            assert [a["id"] for a in s["context"]["contextActivities"]["grouping"]] == [campaign_iri]
        else:
            assert s["object"]["id"] == level_iri
            assert [a["id"] for a in s["context"]["contextActivities"]["parent"]] == [campaign_iri]
            assert s["result"]["completion"] is True

    answered_a = by_run[RUN_A][:5]
    assert {s["context"]["language"] for s in by_run[RUN_A]} == {"zh-CN"}  # played in Chinese
    assert all("language" not in s["context"] for s in by_run[RUN_C])  # an older run: unknown
    assert [s["context"]["extensions"][HOME + "/xapi/ext/move"] for s in answered_a] == [1, 2, 3, 4, 5]
    assert [s["timestamp"] for s in answered_a] == [  # each move's own time
        "2025-03-01T08:58:20.000Z", "2025-03-01T08:58:40.000Z", "2025-03-01T08:59:00.000Z",
        "2025-03-01T08:59:20.000Z", "2025-03-01T08:59:40.000Z"]
    # Readable in both languages: the customer's line names the interaction, cards their text.
    first = answered_a[0]["object"]["definition"]
    assert first["name"]["zh-CN"].startswith("你好，我是 FILTEX 的 Grace Wang")
    assert first["name"]["en-US"].startswith("Hello, Grace Wang from FILTEX")
    refund = next(c for c in first["choices"] if c["id"] == "offer-refund")
    assert refund["description"] == {"en-US": "I can cancel the order and refund you today, no "
                                              "questions asked.",
                                     "zh-CN": "我可以今天就取消订单、全额退款，没有任何问题。"}
    assert by_run[RUN_A][5]["object"]["definition"]["name"] == {"en-US": "A First Call",
                                                               "zh-CN": "第一通电话"}
    assert [s["object"]["definition"]["correctResponsesPattern"] for s in answered_a] == [
        [c] for c in IDEAL]
    assert [s["result"]["extensions"][HOME + "/xapi/ext/before"] for s in answered_a] == [-1, 0, 1, 3, 3]
    assert [s["result"]["response"] for s in answered_a] == IDEAL
    assert [s["result"]["extensions"][HOME + "/xapi/ext/step"] for s in answered_a] == [
        "explore", "explore", "offer", "act", "confirm"]
    assert answered_a[0]["timestamp"] == "2025-03-01T08:58:20.000Z"
    completed, passed = by_run[RUN_A][5:]
    assert completed["result"]["score"] == {"raw": 3, "min": -3, "max": 3, "scaled": 1.0}
    assert completed["result"]["duration"] == "PT2M13.5S"
    assert passed["result"]["success"] is True and passed["timestamp"] == "2025-03-01T09:00:00.000Z"
    completed, failed = by_run[RUN_C][2:]
    assert failed["result"]["score"]["raw"] == -3 and failed["result"]["score"]["scaled"] == -1.0
    assert failed["result"]["success"] is False and completed["result"]["duration"] == "PT1M5S"

    again = export(capsysbinary, "--db", str(db), "--room", "周一班", "--format", "xapi",
                   "--homepage", HOME)
    assert again == data  # stable: same ids, same bytes


@pytest.mark.parametrize("raw", [-3, -2, -1, 0, 1, 2, 3])
def test_pass_rule_and_scaled_score_for_every_mot_score(raw):
    from game.store import RunRecord

    run = RunRecord(id=1, uuid=str(uuid.uuid4()), player_id=1, player="p", level_id="lv",
                    campaign_id=None, room=None, team=None, mode="learn", ending="e",
                    mot_score=raw, peak=raw, end_value=raw, adherence=0, explored_first=False,
                    offered_before_act=False, acted=False, confirmed_last=False, found=0,
                    total_discoveries=0, points=0, started_at=None,
                    finished_at="2025-03-01T09:00:00.000Z", duration_s=None, moves=[])
    completed, verdict = xapi_statements([run], HOME)
    for s in (completed, verdict):
        check_statement(s)
        assert "contextActivities" not in s["context"]  # no campaign, no parent
    assert verdict["verb"]["id"] == ADL + ("passed" if raw >= 1 else "failed")
    assert verdict["result"]["score"]["scaled"] == raw / 3


def test_unfinished_runs_are_terminated_not_completed(db, capsysbinary):
    data = export(capsysbinary, "--db", str(db), "--player", "绿队", "--format", "xapi",
                  "--homepage", HOME, "--unfinished")
    statements = [json.loads(line) for line in data.decode().splitlines()]
    for s in statements:
        check_statement(s)
    assert [s["verb"]["id"] for s in statements] == [ADL + "answered"] * 2 + [ADL + "terminated"]
    assert statements[-1]["result"]["completion"] is False
    assert "success" not in statements[-1]["result"]


def test_success_is_measured_against_the_best_move_offered_there(level, tmp_path):
    """After two poor moves the author's ideal (five-cs) is not offered any more: the coach's best
    move from that state (come-clean) is the correct response, and taking it succeeds."""
    path = ["offer-refund", "promise-thursday", "come-clean", "call-grace"]
    with Store(tmp_path / "b.sqlite3") as store:
        state = Game(level).play(path)
        store.record_run("ana", level.id, level.campaign, state, score(level, state), lang="en",
                         played=played(level, state), finished_at=T0)
        runs = store.runs()
    answered = [s for s in xapi_statements(runs, HOME) if s["verb"]["id"] == ADL + "answered"]
    for s in answered:
        check_statement(s)
    assert [s["result"]["success"] for s in answered] == [False, False, True, True]
    third = answered[2]
    assert third["object"]["definition"]["correctResponsesPattern"] == ["come-clean"]
    # Only the cards offered there are listed: the author's ideal was not even on the table.
    assert {c["id"] for c in third["object"]["definition"]["choices"]} == {"come-clean",
                                                                          "wait-for-customs"}
    assert third["actor"]["account"] == {"homePage": HOME, "name": "ana"}  # no room: the player
    assert third["context"]["language"] == "en-US"


def test_statements_are_a_pure_function_of_the_stored_run(db, level):
    """Re-exporting after the level was edited (title, the customer's line, a card's text, the
    ideal) gives the very same bytes for a run that stored what its player saw."""
    import dataclasses

    from game.model import Text

    def dump(levels):
        with Store.open_readonly(db) as store:
            runs = [r for r in store.runs(room="周一班") if r.uuid == RUN_A]
        return json.dumps(xapi_statements(runs, HOME, levels), ensure_ascii=False)

    call = level.scenes["call"]
    edited_call = dataclasses.replace(
        call, text=Text({"en": "Reworded.", "zh": "改写了。"}),
        choices=tuple(dataclasses.replace(c, text=Text.plain("new words"), ideal=not c.ideal)
                      for c in call.choices))
    edited = dataclasses.replace(level, title=Text.plain("Renamed"),
                                 scenes={**level.scenes, "call": edited_call})
    before = dump({level.id: level})
    assert dump({level.id: edited}) == before == dump({})
    assert "Reworded" not in before and "第一通电话" in before


def test_headless_runs_record_when_they_started_their_language_and_texts(tmp_path, capsys):
    db = tmp_path / "h.sqlite3"
    assert mot(["run", "first-call", "--choices", ",".join(IDEAL), "--db", str(db), "--lang", "zh",
                "--room", "R1", "--team", "红队"]) == 0
    with Store.open_readonly(db) as store:
        (run,) = store.runs()
    assert run.started_at is not None and run.duration_s is not None and run.duration_s >= 0
    assert run.lang == "zh" and run.titles["level"]["zh"] == "第一通电话"
    assert run.moves[0].line["zh"].startswith("你好") and run.moves[0].best == "ask-impact"
    assert run.moves[0].before == -1 and run.moves[0].offered[0][0] == "ask-impact"
    completed = [s for s in xapi_statements([run], HOME) if s["verb"]["id"] == ADL + "completed"]
    assert completed[0]["result"]["duration"].startswith("PT")
    assert completed[0]["actor"]["account"]["name"] == "R1/红队"


async def test_the_game_records_its_language_each_moves_time_and_what_was_shown(tmp_path):
    """Played in the TUI, in Chinese: the run keeps its language, a real time per move (not
    the finish time for all), and the line and cards as shown."""
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen
    from tests.tui_helpers import choose, go_on, make_app, wait_for_screen

    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SceneScreen(app.library.level("first-call")))
        await choose(pilot, 2)  # offer-refund
        await go_on(pilot)
        await choose(pilot, 3)  # repeat-policy: the customer leaves
        await go_on(pilot)
        await wait_for_screen(pilot, DebriefScreen)
    (run,) = app.store.runs()
    assert run.lang == "zh" and [m.choice for m in run.moves] == REFUND
    first, second = run.moves
    assert first.at < second.at <= run.finished_at  # each move's own time
    assert first.line["zh"].startswith("你好") and first.choice_text["zh"].startswith("我可以今天")
    assert (first.best, first.before, second.before) == ("ask-impact", -1, -2)
    assert run.titles == {"level": {"en": "A First Call", "zh": "第一通电话"},
                          "campaign": {"en": "Tutorial: A First Call", "zh": "入门：第一通电话"}}
