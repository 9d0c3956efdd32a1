"""The coach behind the interaction analysis sheet: at every move, the best move among those the
learner was offered there, worked out by hand on tests/fixtures/balance/base-balanced.toml, and
never an option the learner was not offered, on poor paths through every shipped story level."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from game.advice import Coach
from game.cli import main as mot
from game.engine import Game
from game.library import load_folder
from game.loader import load_level

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "balance" / "base-balanced.toml"


def test_advice_by_hand():
    level = load_level(BASE).level
    state = Game(level).play(["chat", "survey"])
    first, second = Coach(level).advise(state)
    # open: ask keeps +3 (ask → check), chat and discount keep at most −1 (→ check: −1, 0 → −1)
    assert (first.taken.id, first.taken_best, first.best.id, first.best_best) == ("chat", -1, "ask", 3)
    assert first.offered == ("ask", "chat", "discount") and first.door is None
    # close at −1: check → 0 scores −1, ship → −2, survey → −3; the door was ask at move 1
    assert (second.taken.id, second.taken_best, second.best.id, second.best_best) == ("survey", -3, "check", -1)
    assert second.door is not None and (second.door[0], second.door[1].id) == (0, "ask")


def test_the_best_move_is_the_learners_when_it_is_as_good():
    level = load_level(BASE).level
    advice = Coach(level).advise(Game(level).play(["ask", "check"]))
    assert [a.was_best for a in advice] == [True, True]


def test_mot_run_json_gives_best_and_note(capsys):
    assert mot(["run", "first-call", "--ideal", "--json", "--lang", "zh", "--seed", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["best"] for p in data["path"]] == [p["choice"] for p in data["path"]]  # the ideal is best
    level = load_folder(ROOT / "levels" / "tutorial")[0].levels[0]
    first = data["path"][0]
    assert first["note"] == level.scenes[first["scene"]].choice(first["choice"]).feedback.get("zh")


STORY = [lv for c in ("who-killed-the-order", "customer-first") for lv in load_folder(ROOT / "levels" / c)[0].levels]


@pytest.mark.parametrize("level", STORY, ids=lambda lv: lv.id)
def test_best_is_always_offered_on_poor_paths(level):
    """Three deliberately poor paths (the worst-delta move each time, the last card, a random
    non-ideal card): every piece of advice names a choice the learner was offered."""
    scores = {}
    pickers = [
        lambda cs, rng: min(cs, key=lambda c: c.delta),
        lambda cs, rng: cs[-1],
        lambda cs, rng: rng.choice([c for c in cs if not c.ideal] or cs),
    ]
    coach = Coach(level, scores)
    for n, pick in enumerate(pickers):
        rng = random.Random(n)
        game = Game(level, scores)
        state = game.start()
        while not state.finished and len(state.moves) < 60:
            state = game.take(state, pick(game.choices(state), rng))
        advice = coach.advise(state)
        assert len(advice) == len(state.moves)
        for tip, move in zip(advice, state.moves):
            assert tip.taken.id == move.choice
            assert tip.best.id in tip.offered
            if tip.door is not None:
                assert tip.door[0] < tip.index
