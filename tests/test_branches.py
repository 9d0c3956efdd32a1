"""Conditional `next`: a move's destination decided by the state right after it."""

from __future__ import annotations

from game.analysis import analyse
from game.commands.graph import dot, mermaid
from game.engine import Game
from game.loader import load_level
from tests.conftest import TUTORIAL

LEVEL = '''format = 1
[level]
id = "branches"
title = "Branches"
you = "a"
customer = "b"
start = "one"

[characters.a]
name = "A"
[characters.b]
name = "B"

[discovery.need]
kind = "expectation"
text = { en = "The need", zh = "需求" }

[scene.one]
text = { en = "One", zh = "一" }

[[scene.one.choice]]
id = "ask"
step = "explore"
text = { en = "Ask", zh = "问" }
perception = 1
reveals = ["need"]
next = "two"

[[scene.one.choice]]
id = "guess"
step = "offer"
text = { en = "Guess", zh = "猜" }
next = "two"

[scene.two]
text = { en = "Two", zh = "二" }

[[scene.two.choice]]
id = "deliver"
step = "act"
text = { en = "Deliver", zh = "交付" }
perception = 1
# perception is read AFTER this move's +1: from 1 it is 2 here.
next = [
  { when = "need and perception >= 2", to = "three" },
  { when = "perception >= 1", to = "end:fine" },
  { to = "end:poor" },
]

[scene.three]
text = { en = "Three", zh = "三" }

[[scene.three.choice]]
id = "check"
step = "confirm"
text = { en = "Check", zh = "确认" }
perception = 1
ideal = true
next = "end:great"

[ending.great]
title = "Great"
[ending.fine]
title = "Fine"
[ending.poor]
title = "Poor"
'''


def write(tmp_path):
    path = tmp_path / "branches.toml"
    path.write_text(LEVEL, encoding="utf-8")
    result = load_level(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.level


def test_the_first_branch_that_holds_after_the_move_wins(tmp_path):
    level = write(tmp_path)
    game = Game(level)
    asked = game.play(["ask", "deliver"])  # need found, 1 → 2 after the move: the first branch
    assert asked.scene == "three" and not asked.finished
    guessed = game.play(["guess", "deliver"])  # 0 → 1, no need: the second branch
    assert guessed.ending == "fine" and guessed.trace == (0, 1)
    assert game.play(["ask", "deliver", "check"]).ending == "great"


def test_the_default_is_taken_when_nothing_holds(tmp_path):
    level = write(tmp_path)
    state = Game(level).play(["guess"])
    poorer = Game(level).take(state.__class__(scene="two", perception=-2), level.scenes["two"].choices[0])
    assert poorer.ending == "poor" and poorer.perception == -1


def test_analysis_follows_every_branch(tmp_path):
    report = analyse(write(tmp_path))
    assert report.endings == {"great": True, "fine": True, "poor": False}
    assert report.best.choices == ["ask", "deliver", "check"] and report.best.score == 3
    assert report.worst.choices == ["guess", "deliver"] and report.worst.score == 1
    assert report.paths == 2 and report.unused_choices == [] and report.unreachable_scenes == []


def test_graphs_draw_one_edge_per_branch(tmp_path):
    level = write(tmp_path)
    text = dot(level)
    assert '-> "scene:three" [label=<Act +1 · Deliver<br/><i>→ if need and perception &gt;= 2</i>>' in text
    assert '-> "end:fine" [label=<Act +1 · Deliver<br/><i>→ if perception &gt;= 1</i>>' in text
    assert '-> "end:poor" [label=<Act +1 · Deliver<br/><i>→ otherwise</i>>' in text
    assert mermaid(level).count("Act +1 · Deliver") == 3


def test_the_tutorial_shows_the_feature():
    level = load_level(TUTORIAL / "02-follow-up.toml", known_levels={"first-call"}).level
    confirm = level.scenes["close"].choice("confirm-opening")
    assert [to for _, to in confirm.branches] == ["end:partner", "end:valued"] and confirm.next == "end:supplier"
    game = Game(level, {"first-call": 3})
    assert game.play(["ask-june", "trusted-plan", "on-site", "confirm-opening"]).ending == "partner"
    assert game.play(["pitch-catalogue", "plain-quote", "on-site", "confirm-opening"]).ending == "supplier"
