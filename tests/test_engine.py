"""The pure state machine, on the tutorial level and on small levels written for one rule each."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import ChoiceUnavailable, Game, State, clamp
from game.loader import load_level

ROOT = Path(__file__).resolve().parent.parent
FIRST_CALL = ROOT / "levels" / "tutorial" / "01-first-call.toml"
FOLLOW_UP = ROOT / "levels" / "tutorial" / "02-follow-up.toml"


@pytest.fixture(scope="module")
def first_call():
    return load_level(FIRST_CALL).level


@pytest.fixture(scope="module")
def follow_up():
    return load_level(FOLLOW_UP, known_levels={"first-call", "follow-up"}).level


def ids(choices) -> list[str]:
    return [c.id for c in choices]


def write_level(tmp_path: Path, scenes: str, start: int = 0, extra: str = "") -> object:
    text = f'''format = 1
[level]
id = "small"
title = "Small"
you = "me"
customer = "you"
start = "a"
perception = {start}
[characters.me]
name = "Me"
[characters.you]
name = "You"
{extra}
{scenes}
[ending.done]
title = "Done"
'''
    path = tmp_path / "small.toml"
    path.write_text(text, encoding="utf-8")
    result = load_level(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.level


# -- the start --------------------------------------------------------------------------------
def test_start_state(first_call):
    state = Game(first_call).start()
    assert state == State(scene="call", perception=-1)
    assert state.trace == () and state.steps == () and not state.finished
    assert state.flags == frozenset() and state.found == frozenset()


def test_available_choices_in_the_authors_order(first_call):
    game = Game(first_call)
    assert ids(game.choices(game.start())) == ["ask-impact", "offer-refund", "blame-courier", "ask-order-details"]


# -- `when`, flags, discoveries ------------------------------------------------------------------
def test_flags_and_discoveries_after_a_move(first_call):
    game = Game(first_call)
    state = game.apply(game.start(), "ask-impact")
    assert state.scene == "needs" and state.perception == 0  # −1 + 1
    assert state.flags == {"knows-deadline"}
    assert state.found == {"trade-fair"}
    # `repeat-policy` has `when = "offered-refund"`: hidden
    assert ids(game.choices(state)) == ["ask-what-success", "promise-thursday", "ask-whose-fault"]


def test_a_flag_opens_a_choice(first_call):
    game = Game(first_call)
    state = game.apply(game.start(), "offer-refund")
    assert state.flags == {"offered-refund"} and state.perception == -2
    assert ids(game.choices(state)) == ["ask-what-success", "promise-thursday", "repeat-policy", "ask-whose-fault"]
    end = game.apply(state, "repeat-policy")
    assert end.finished and end.ending == "lost" and end.scene is None
    assert end.trace == (-2, -3)


def test_a_flag_closes_a_choice(first_call):
    game = Game(first_call)
    state = game.play(["ask-impact", "promise-thursday"])
    assert state.scene == "deliver" and "overpromised" in state.flags
    # five-cs has `when = "not overpromised"`; come-clean needs it
    assert ids(game.choices(state)) == ["wait-for-customs", "come-clean"]
    state = game.play(["ask-impact", "ask-what-success", "loaners-and-note"])
    assert ids(game.choices(state)) == ["five-cs", "ship-loaners"]


def test_perception_conditions(first_call):
    game = Game(first_call)
    # −1 → 0 → 1 → 3 → (3+1 clamps) 3: perception ≥ 0 at `follow`
    good = game.play(["ask-impact", "ask-what-success", "loaners-and-note", "five-cs"])
    assert good.scene == "follow" and good.perception == 3
    assert ids(game.choices(good)) == ["call-grace", "close-ticket", "send-survey"]
    # −1 → −2 (−1) → −1 (+1) → −2 (−1) → −3 (−2 − 3 = −5 clamps to −3): perception < 0
    bad = game.play(["offer-refund", "ask-what-success", "new-date", "wait-for-customs"])
    assert bad.trace == (-2, -1, -2, -3)
    assert ids(game.choices(bad)) == ["call-grace", "apologise-late"]


def test_discoveries_count_as_flags_once_revealed(tmp_path):
    level = write_level(tmp_path, '''
[scene.a]
text = "A"
[[scene.a.choice]]
id = "ask"
step = "explore"
text = "Ask"
reveals = ["need"]
next = "b"
[[scene.a.choice]]
id = "skip"
step = "offer"
text = "Skip"
next = "b"
[scene.b]
text = "B"
[[scene.b.choice]]
id = "tailored"
step = "offer"
text = "Tailored offer"
when = "need"
next = "end:done"
[[scene.b.choice]]
id = "generic"
step = "offer"
text = "Generic offer"
when = "not need"
next = "end:done"
''', extra='[discovery.need]\nkind = "expectation"\ntext = "The need"\n')
    game = Game(level)
    asked = game.apply(game.start(), "ask")
    assert asked.found == {"need"} and asked.flags == frozenset()
    assert ids(game.choices(asked)) == ["tailored"]
    skipped = game.apply(game.start(), "skip")
    assert ids(game.choices(skipped)) == ["generic"]


def test_earlier_scores(follow_up):
    unplayed = Game(follow_up)  # score.first-call counts 0
    state = unplayed.play(["ask-june"])
    assert ids(unplayed.choices(state)) == ["plain-quote"]
    for earlier, expected in ((1, ["plain-quote"]), (2, ["trusted-plan", "plain-quote"]),
                              (3, ["trusted-plan", "plain-quote"]), (-3, ["plain-quote"])):
        game = Game(follow_up, {"first-call": earlier})
        assert ids(game.choices(game.play(["ask-june"]))) == expected, earlier


# -- clamping ------------------------------------------------------------------------------------
def test_clamp():
    assert [clamp(v) for v in (-9, -4, -3, 0, 3, 4, 9)] == [-3, -3, -3, 0, 3, 3, 3]


def test_perception_is_clamped_after_every_move(tmp_path):
    level = write_level(tmp_path, '''
[scene.a]
text = "A"
[[scene.a.choice]]
id = "up"
step = "explore"
text = "Up"
perception = 3
next = "b"
[scene.b]
text = "B"
[[scene.b.choice]]
id = "down"
step = "act"
text = "Down"
perception = -3
next = "c"
[scene.c]
text = "C"
[[scene.c.choice]]
id = "down-again"
step = "act"
text = "Down"
perception = -3
next = "d"
[scene.d]
text = "D"
[[scene.d.choice]]
id = "deeper"
step = "act"
text = "Deeper"
perception = -2
next = "end:done"
''', start=2)
    game = Game(level)
    state = game.play(["up", "down", "down-again", "deeper"])
    # 2 + 3 = 5 → 3; 3 − 3 = 0; 0 − 3 = −3; −3 − 2 = −5 → −3
    assert state.trace == (3, 0, -3, -3)
    assert [m.delta for m in state.moves] == [3, -3, -3, -2]
    assert state.steps == ("explore", "act", "act", "act")


def test_starting_perception_is_clamped(first_call):
    from dataclasses import replace

    assert Game(replace(first_call, perception=7)).start().perception == 3


# -- errors ----------------------------------------------------------------------------------------
def test_unavailable_choice_names_the_scene_and_what_is_available(first_call):
    game = Game(first_call)
    state = game.play(["ask-impact", "promise-thursday"])
    with pytest.raises(ChoiceUnavailable) as info:
        game.apply(state, "five-cs")
    err = info.value
    assert (err.scene, err.choice, err.available) == ("deliver", "five-cs", ["wait-for-customs", "come-clean"])
    assert str(err) == ("choice 'five-cs' is not available in scene 'deliver'; "
                        "available: wait-for-customs, come-clean")


def test_unknown_choice(first_call):
    game = Game(first_call)
    with pytest.raises(ChoiceUnavailable) as info:
        game.play(["ask-impact", "no-such-choice"])
    assert str(info.value) == ("choice 'no-such-choice' is not available in scene 'needs'; "
                               "available: ask-what-success, promise-thursday, ask-whose-fault")


def test_no_move_after_the_end(first_call):
    game = Game(first_call)
    with pytest.raises(ChoiceUnavailable) as info:
        game.play(["offer-refund", "repeat-policy", "call-grace"])
    assert info.value.scene == "(ended)" and info.value.available == []
    assert str(info.value) == "choice 'call-grace' is not available in scene '(ended)'; available: none"
    ended = game.play(["offer-refund", "repeat-policy"])
    assert game.choices(ended) == [] and game.scene(ended) is None


# -- purity ------------------------------------------------------------------------------------------
def test_states_are_immutable_values(first_call):
    game = Game(first_call)
    start = game.start()
    after = game.apply(start, "ask-impact")
    assert start == State(scene="call", perception=-1) and after is not start
    assert game.play(["ask-impact"]) == after  # same moves, equal states
    with pytest.raises(AttributeError):
        after.perception = 3  # type: ignore[misc]


def test_move_records(first_call):
    state = Game(first_call).play(["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"])
    assert [(m.scene, m.choice, m.step, m.delta, m.perception) for m in state.moves] == [
        ("call", "ask-impact", "explore", 1, 0),
        ("needs", "ask-what-success", "explore", 1, 1),
        ("plan", "loaners-and-note", "offer", 2, 3),
        ("deliver", "five-cs", "act", 1, 3),   # 3 + 1 clamps to 3
        ("follow", "call-grace", "confirm", 1, 3),
    ]
    assert state.ending == "delighted"
    assert state.found == {"trade-fair", "boss-trust", "working-by-thursday"}


def test_ideal_path(first_call, follow_up):
    assert Game(first_call).ideal_path() == ["ask-impact", "ask-what-success", "loaners-and-note",
                                             "five-cs", "call-grace"]
    # the ideal `trusted-plan` needs score.first-call ≥ 2: without it the ideal path stops there
    assert Game(follow_up).ideal_path() == ["ask-june"]
    assert Game(follow_up, {"first-call": 3}).ideal_path() == ["ask-june", "trusted-plan", "on-site",
                                                               "confirm-opening"]


def test_typed_words_are_kept_as_clean_data_on_one_line():
    from game.engine import MAX_SAID
    from game.library import load_library

    level = load_library().level("first-call")
    game = Game(level)
    first = game.choices(game.start())[0]
    state = game.take(game.start(), first, "ask\x1b[31m her\u200b\n  what  happened\x07")
    assert state.moves[0].said == "ask[31m her what happened"
    assert game.take(game.start(), first, "字" * (MAX_SAID + 50)).moves[0].said == "字" * MAX_SAID
    assert game.take(game.start(), first).moves[0].said == ""
