"""`mot check --analyse`: exact on a level worked out by hand, and sound on every shipped level.

The fixture tests/fixtures/analysis/known-space.toml explains its own state space in a comment;
this file asserts those numbers. For shipped levels the analysis is checked against the engine:
every reported path is replayed, and where the level is small enough every path is enumerated
by brute force and the best and worst scores, the path count and the unused choices compared.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from game.analysis import _scenarios, analyse
from game.cli import main
from game.commands.check import check
from game.engine import Game
from game.library import load_folder_for
from game.scoring import mot_score

ROOT = Path(__file__).resolve().parent.parent
KNOWN = Path(__file__).resolve().parent / "fixtures" / "analysis" / "known-space.toml"
SHIPPED = sorted(p for p in (ROOT / "levels").rglob("*.toml") if p.name != "campaign.toml")
BRUTE_FORCE_LIMIT = 200_000  # paths × score scenarios; above it, enumerate only three scenarios


def level_of(path: Path):
    result = load_folder_for(path)[1][0]
    assert result.ok, [str(d) for d in result.errors]
    return result.level


def all_paths(level, scores):
    """Every (moves, score, ending) from the start, by depth-first search with the engine."""
    game = Game(level, scores)
    stack = [game.start()]
    while stack:
        state = stack.pop()
        if state.finished:
            yield state.moves, mot_score(level.perception, state.trace), state.ending
            continue
        stack.extend(game.take(state, c) for c in game.choices(state))


def test_known_space_exactly():
    levels, diagnostics, reports = check([KNOWN])
    assert levels == 1
    secret_line = KNOWN.read_text("utf-8").splitlines().index("[ending.secret]") + 1
    assert [(d.code, d.line) for d in diagnostics] == [("W102", secret_line)]
    (report,) = reports
    assert report.complete and report.states == 16  # 17 if unread flags were kept
    assert report.endings == {"happy": True, "unhappy": True, "gone": True, "secret": False}
    assert report.unreachable_endings == ["secret"]
    assert report.unreachable_scenes == [] and report.stuck_scenes == []
    assert report.unused_choices == [("close", "rescue")]
    assert report.paths == 11
    assert (report.best.score, report.best.choices, report.best.ending) == (3, ["ask", "plan", "check"], "happy")
    assert report.worst.score == -3
    assert report.worst.choices in (["hang-up"], ["rush", "stall", "drop"])
    assert (report.ideal.score, report.ideal.choices) == (3, ["ask", "plan", "check"])
    # The table in the fixture's comment, path by path.
    table = {tuple(m.choice for m in moves): (s, e) for moves, s, e in all_paths(level_of(KNOWN), {})}
    assert table == {
        ("hang-up",): (-3, "gone"),
        ("ask", "plan", "check"): (3, "happy"), ("ask", "plan", "drop"): (2, "unhappy"),
        ("ask", "stall", "check"): (2, "happy"), ("ask", "stall", "drop"): (-1, "unhappy"),
        ("rush", "plan", "check"): (2, "happy"), ("rush", "plan", "drop"): (-1, "unhappy"),
        ("rush", "stall", "check"): (-1, "happy"), ("rush", "stall", "drop"): (-3, "unhappy"),
        ("rush", "apologise", "check"): (1, "happy"), ("rush", "apologise", "drop"): (-2, "unhappy"),
    }


def test_known_space_cli_text(capsys):
    assert main(["check", "--analyse", "--lang", "en", str(KNOWN)]) == 0  # warnings only
    out = capsys.readouterr().out
    assert re.search(r"^known-space: 16 states$", out, re.M)
    for line in ("  ending secret: UNREACHABLE", "  best  +3 → happy: ask,plan,check",
                 "  paths: 11", "  choices on no path: close/rescue"):
        assert line in out.splitlines()


def test_known_space_cli_json(capsys):
    assert main(["check", "--analyse", "--format", "json", str(KNOWN)]) == 0
    data = json.loads(capsys.readouterr().out)
    (level,) = data["levels"]
    # W102 from the walk; W111 and W113 from the balancing report (tests/test_balance.py)
    assert sorted(d["code"] for d in data["diagnostics"]) == ["W102", "W111", "W111", "W113"]
    assert (level["best"]["mot_score"], level["worst"]["mot_score"], level["paths"]) == (3, -3, 11)
    assert level["endings"]["secret"] is False and level["unused_choices"] == ["close/rescue"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_level_analyses_clean(path):
    levels, diagnostics, reports = check([path])
    assert [str(d) for d in diagnostics] == []
    (report,) = reports
    assert report.complete
    assert all(report.endings.values()) and report.unreachable_scenes == []
    assert report.ideal is not None and report.ideal.score == report.best.score
    level = level_of(path)
    for info in (report.best, report.worst, report.ideal):  # every reported path is real
        state = Game(level, info.scores).play(info.choices)
        assert (state.ending, mot_score(level.perception, state.trace)) == (info.ending, info.score)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_level_matches_brute_force(path):
    level = level_of(path)
    report = analyse(level)
    scenarios = _scenarios(level)
    if report.paths is None:
        pytest.skip("the level loops: infinitely many paths")
    counted = report.scenarios[report.main_start()[4]]  # the best earlier scores, as the ideal
    complete = report.paths * len(scenarios) <= BRUTE_FORCE_LIMIT
    if not complete:  # the counted scenario and the best's and worst's
        scenarios = [report.best.scores, report.worst.scores]
    scenarios = [counted] + [s for s in scenarios if s != counted]
    paths = [list(all_paths(level, scores)) for scores in scenarios]
    assert len(paths[0]) == report.paths  # the count is for the counted scenario
    every = list(itertools.chain.from_iterable(paths))
    assert max(s for _, s, _ in every) == report.best.score
    assert min(s for _, s, _ in every) == report.worst.score
    used = {(m.scene, m.choice) for moves, _, _ in every for m in moves}
    every_choice = {(s, c.id) for s, scene in level.scenes.items() for c in scene.choices}
    never = every_choice - used
    assert set(report.unused_choices) <= never
    if complete:
        assert sorted(never) == sorted(report.unused_choices)
        assert {e for _, _, e in every} == {e for e, ok in report.endings.items() if ok}


def test_scenarios_no_condition_can_tell_apart_are_one():
    """A finale naming five earlier levels has 3,125 combinations of their scores, but only the
    classes its conditions can tell apart need walking; the all-+3 scenario represents its class."""
    from game.analysis import _distinct
    from game.conditions import parse
    from game.model import Choice, Ending, Level, Scene, Text

    def level_with(when: str) -> Level:
        choices = (Choice("a", "act", Text.plain("a"), "end:e", when=parse(when)),
                   Choice("b", "act", Text.plain("b"), "end:e"))
        return Level(id="l", title=Text.plain("l"), start="s", you="x", customer="y",
                     scenes={"s": Scene("s", Text.plain("s"), choices)},
                     endings={"e": Ending("e", Text.plain("e"))})

    scenarios = [{"x": v} for v in (-3, -1, 0, 1, 3)]
    assert _distinct(level_with("score.x >= 1"), scenarios) == [{"x": 3}, {"x": -3}]
    assert _distinct(level_with("score.x"), scenarios) == [{"x": 3}, {"x": 0}]  # true unless 0
    # the meter is compared with the score: every value may matter
    assert len(_distinct(level_with("score.x > perception"), scenarios)) == 5
    finale = level_of(ROOT / "levels" / "who-killed-the-order" / "07-who-killed-the-order.toml")
    assert len(_scenarios(finale)) > 1000 > len(_distinct(finale, _scenarios(finale)))
