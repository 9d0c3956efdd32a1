"""The free-answer paraphrase set (benchmarks/data/free_answer.toml) is valid: every scene is
reached by playing its `choices` with the real engine, every expected id is a choice available
there, the set is big enough and balanced between Chinese and English, and no text copies a
choice's own words or its authored examples (so the benchmark measures paraphrases). No model."""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from game.engine import Game
from game.library import load_library
from tests.conftest import LEVELS

SET = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "free_answer.toml"
ITEM_KEYS = {"lang", "expect", "text", "hard", "late"}


@lru_cache(maxsize=None)
def data() -> dict:
    with SET.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def library():
    return load_library(LEVELS)


def scenes() -> list[dict]:
    return data()["scene"]


def items() -> list[dict]:
    return [item for scene in scenes() for item in scene["items"]]


def scene_id(scene: dict) -> str:
    return f"{scene['level']}:{','.join(scene['choices']) or 'start'}"


def test_format_and_shape():
    assert data()["format"] == 1
    for scene in scenes():
        assert set(scene) == {"level", "choices", "items"}, scene_id(scene)
        assert all(isinstance(c, str) for c in scene["choices"])
        for item in scene["items"]:
            assert set(item) <= ITEM_KEYS and {"lang", "expect", "text"} <= set(item), item
            assert item["lang"] in ("en", "zh"), item
            assert isinstance(item.get("hard", False), bool), item
            assert isinstance(item.get("late", False), bool), item
            assert item["text"].strip() == item["text"] and item["text"], item


@pytest.mark.parametrize("scene", scenes(), ids=scene_id)
def test_scene_is_reached_and_expected_ids_are_available(scene):
    level = library().level(scene["level"])
    assert level is not None, f"no shipped level {scene['level']!r}"
    game = Game(level)
    state = game.play(scene["choices"])  # raises ChoiceUnavailable when the path does not play
    assert not state.finished, scene_id(scene)
    available = {c.id for c in game.choices(state)}
    expected = {item["expect"] for item in scene["items"]} - {"none"}
    assert expected <= available, (scene_id(scene), expected - available)
    assert len(expected) >= 2, scene_id(scene)  # a scene where the matcher has to choose
    texts = [item["text"] for item in scene["items"]]
    assert len(texts) == len(set(texts)), scene_id(scene)


def test_scenes_are_distinct():
    keys = [(s["level"], tuple(s["choices"])) for s in scenes()]
    assert len(keys) == len(set(keys))


def test_counts_and_balance():
    counts = Counter((i["lang"], i["expect"] != "none", bool(i.get("hard"))) for i in items())
    positive = {lang: counts[lang, True, False] + counts[lang, True, True] for lang in ("en", "zh")}
    refused = {lang: counts[lang, False, False] + counts[lang, False, True] for lang in ("en", "zh")}
    hard = {lang: counts[lang, True, True] for lang in ("en", "zh")}
    assert sum(positive.values()) >= 150
    assert sum(refused.values()) >= 30
    assert min(positive.values()) / max(positive.values()) >= 0.9, positive
    assert min(refused.values()) / max(refused.values()) >= 0.8, refused
    assert min(hard.values()) >= 40, hard


def test_both_story_campaigns_are_covered():
    campaigns = Counter(library().campaign_of(s["level"]).campaign.id for s in scenes())
    assert campaigns["who-killed-the-order"] >= 10
    assert campaigns["customer-first"] >= 10


def test_no_text_copies_a_choice_or_an_example():
    """A learner's text is never a choice's authored text (in any language) nor one of the
    examples authors add to help the matcher: the set must not leak into what it measures."""
    authored: set[str] = set()
    for level in library().levels:
        for scene in level.scenes.values():
            for choice in scene.choices:
                authored.update(t.strip().casefold() for t in choice.text.by_lang.values())
                for texts in choice.examples.values():
                    authored.update(t.strip().casefold() for t in texts)
    copied = [i["text"] for i in items() if i["text"].casefold() in authored]
    assert copied == []
