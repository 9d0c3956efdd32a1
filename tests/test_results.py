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
    """Room 周一班: 红队 plays the ideal path in 2 min 13.5 s; =蓝队 refunds and fails;
    another room and a run stopped before its ending are there to be left out."""
    path = tmp_path / "mot.sqlite3"
    with Store(path) as store:
        state = Game(level).play(IDEAL)
        store.record_run("红队", level.id, level.campaign, state, score(level, state),
                         mode="classroom", room="周一班", team="红队", run_uuid=RUN_A,
                         started_at=T0 - timedelta(seconds=133.5), finished_at=T0,
                         move_times=[T0 - timedelta(seconds=100 - 20 * i) for i in range(5)])
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
    run_a = [RUN_A, "红队", "红队", "周一班", "first-call", "tutorial", "classroom",
             "2025-03-01T08:57:46.500Z", "2025-03-01T09:00:00.000Z", "133.5", "delighted",
             "3", "3", "3", "4", "86", "0"]
    run_c = [RUN_C, "'=蓝队", "'=蓝队", "周一班", "first-call", "tutorial", "classroom",
             "2025-03-01T09:00:00.000Z", "2025-03-01T09:01:05.000Z", "65", "lost",
             "-3", "-3", "-3", "1", "5", "0"]
    assert rows[1:] == [
        run_a + ["1", "call", "ask-impact", "explore", "1", "0"],
        run_a + ["2", "needs", "ask-what-success", "explore", "1", "1"],
        run_a + ["3", "plan", "loaners-and-note", "offer", "2", "3"],
        run_a + ["4", "deliver", "five-cs", "act", "1", "3"],
        run_a + ["5", "follow", "call-grace", "confirm", "1", "3"],
        run_c + ["1", "call", "offer-refund", "offer", "-1", "-2"],
        run_c + ["2", "needs", "repeat-policy", "offer", "-1", "-3"],
    ]


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
        assert s["actor"]["account"]["name"] in {"红队", "=蓝队"}
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
