"""The balancing report (`mot check --analyse`), exact on the hand-worked fixture
tests/fixtures/analysis/known-space.toml (its comment has every number), and each of its
warnings W110–W115 and W120 on a fixture made to trigger it (tests/fixtures/balance/)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from game.cli import main
from game.commands.check import check

HERE = Path(__file__).resolve().parent
KNOWN = HERE / "fixtures" / "analysis" / "known-space.toml"
BALANCE = HERE / "fixtures" / "balance"


def report_of(path: Path, balancing: bool = True):
    _, diagnostics, reports = check([path], balancing=balancing)
    (report,) = reports
    return diagnostics, report


def test_known_space_balance_exactly():
    diagnostics, report = report_of(KNOWN)
    b = report.balance
    assert b.choices == {
        ("open", "ask"): (3, -1), ("open", "rush"): (2, -3), ("open", "hang-up"): (-3, -3),
        ("middle", "plan"): (3, -1), ("middle", "stall"): (2, -3), ("middle", "apologise"): (1, -2),
        ("close", "check"): (3, -1), ("close", "drop"): (2, -3),
    }
    assert b.histogram == {-3: 2, -2: 1, -1: 3, 1: 1, 2: 3, 3: 1}
    assert sum(b.histogram.values()) == report.paths == 11
    assert Fraction(b.random_expected).limit_denominator(100) == Fraction(-13, 18)
    assert (b.strategies["first"].score, b.strategies["first"].choices) == (3, ["ask", "plan", "check"])
    for name in ("longest-en", "longest-zh"):
        assert (b.strategies[name].score, b.strategies[name].choices) == (2, ["ask", "plan", "drop"])
    steps = b.strategies["steps"]
    assert (steps.score, steps.expected, steps.choices) == (2, 2.0, ["ask", "plan", "drop"])
    assert b.give_away == (3, 3) and b.give_away_scenes == ["open", "middle", "close"]
    codes = sorted((d.code, d.message.split(" (")[0]) for d in diagnostics if d.code != "W102")
    assert codes == [("W111", "choice middle/apologise"), ("W111", "choice middle/stall"),
                     ("W113", "on the ideal path the ideal is the only choice of its step in 3 of 3 scenes")]
    stall = next(d for d in diagnostics if "middle/stall" in d.message)
    assert "caps the level at -1 after rush → stall" in stall.message


def test_balance_warnings_only_with_analyse():
    diagnostics, _ = report_of(KNOWN, balancing=False)
    assert [d.code for d in diagnostics] == ["W102"]


def test_known_space_balance_json(capsys):
    assert main(["check", "--analyse", "--format", "json", str(KNOWN)]) == 0
    (level,) = json.loads(capsys.readouterr().out)["levels"]
    b = level["balance"]
    assert b["histogram"] == {"-3": 2, "-2": 1, "-1": 3, "+1": 1, "+2": 3, "+3": 1}
    assert b["random_expected"] == round(-13 / 18, 4)
    assert b["choices"]["middle/apologise"] == {"best": 1, "worst": -2}
    assert b["strategies"]["longest-en"]["score"] == 2
    assert b["give_away"] == {"scenes": 3, "of": 3, "where": ["open", "middle", "close"]}


def test_known_space_balance_text(capsys):
    main(["check", "--analyse", "--lang", "en", str(KNOWN)])
    lines = capsys.readouterr().out.splitlines()
    for line in ("    paths by MOT score: -3: 2  -2: 1  -1: 3  +1: 1  +2: 3  +3: 1",
                 "    random player expects -0.72", "    always first: +3", "    always longest-en: +2",
                 "    always steps: +2 (expected +2.00 with guessed ties)",
                 "    ideal alone in its step: 3 of 3 scenes", "      middle/apologise: +1 / -2"):
        assert line in lines


# One fixture per warning: its first line says which warning, at which line, and (after `path:`)
# the evidence path the message must name.
FIXTURES = sorted(BALANCE.glob("w1[12]*.toml"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_each_balance_warning(path: Path):
    head = path.read_text("utf-8").splitlines()[0]
    assert head.startswith("# expect: ")
    code_at, _, evidence = head[len("# expect: "):].partition(" path: ")
    code, at = code_at.split()
    line, col = (int(x) for x in at.split(":"))
    diagnostics, _ = report_of(path)
    found = [(d.code, d.line, d.col) for d in diagnostics]
    assert found == [(code, line, col)], [str(d) for d in diagnostics]
    assert evidence.strip() in diagnostics[0].message


def test_every_balance_warning_has_a_fixture():
    codes = {p.name[:4].upper() for p in FIXTURES}
    assert codes == {"W110", "W111", "W112", "W113", "W114", "W115", "W120"}


def test_texts_that_tie_for_longest_are_no_strategy(capsys):
    """Each scene's two texts are equally long: the longest-text walk is a guess (reported as
    such, and `tied` in JSON), and W112 does not claim that picking the longest wins."""
    path = BALANCE / "tie-longest.toml"
    diagnostics, report = report_of(path)
    assert "W112" not in {d.code for d in diagnostics}
    assert report.balance.strategies["longest-en"].tied and report.balance.strategies["longest-en"].score == 3
    main(["check", "--analyse", "--lang", "en", str(path)])
    assert "    always longest-en: +3 (texts tie for longest on the way: a guess, not a strategy)" in \
        capsys.readouterr().out.splitlines()
    main(["check", "--analyse", "--format", "json", str(path)])
    (level,) = json.loads(capsys.readouterr().out)["levels"]
    assert level["balance"]["strategies"]["longest-en"]["tied"] is True
