"""Vote mode's pure room (game/vote/room.py): joining, one vote per decision, lock, the split
with exact numbers, the majority and ties, the join-code limiter — no server, no screen."""

from __future__ import annotations

import pytest

from game.engine import Game
from game.model import Text
from game.vote.room import (
    ACCEPTED,
    ALREADY,
    CLOSED,
    ENDED,
    LOCKED,
    OPEN,
    REVEALED,
    STALE,
    UNKNOWN_CHOICE,
    UNKNOWN_PARTICIPANT,
    WAITING,
    Decision,
    FailureLimiter,
    JoinRefused,
    Option,
    Outcome,
    VoteRoom,
    decision_for,
    ending_for,
    outcome_for,
    percentages,
)
from tests.tui_helpers import FakeClock


def decision(*ids: str, number: int = 1) -> Decision:
    return Decision(1, "lv", number, "s1", tuple(Option(i, Text.plain(i.upper())) for i in ids))


def room_with(n: int, clock=None) -> tuple[VoteRoom, list[str]]:
    room = VoteRoom("r", code="4711", clock=clock or FakeClock())
    return room, [room.join(f"p{i}", "en").token for i in range(n)]


def test_percentages_add_up_to_exactly_100():
    assert percentages([4, 2, 1]) == [57, 29, 14]       # 57.14 28.57 14.29: the .57 gets the point
    assert percentages([1, 1, 1]) == [34, 33, 33]       # a tie of remainders: the earlier card
    assert percentages([17, 9, 4]) == [57, 30, 13]      # 56.67 30.00 13.33
    assert percentages([2, 0, 1]) == [67, 0, 33]
    assert percentages([0, 0]) == [0, 0]
    assert percentages([]) == []
    assert sum(percentages([3, 3, 1, 1, 1])) == 100


def test_the_split_the_majority_and_a_tie():
    room, people = room_with(7)
    d = room.open(decision("a", "b", "c"))
    for token, choice in zip(people, "aaaabbc"):
        assert room.vote(token, d.serial, choice) == ACCEPTED
    assert room.voted == 7 and room.joined == 7
    assert [(o.id, n) for o, n in room.split()] == [("a", 4), ("b", 2), ("c", 1)]
    assert room.majority().id == "a" and [o.id for o in room.leaders()] == ["a"]

    room2, people2 = room_with(4)
    d2 = room2.open(decision("a", "b", "c"))
    for token, choice in zip(people2, "bcbc"):
        room2.vote(token, d2.serial, choice)
    assert [o.id for o in room2.leaders()] == ["b", "c"] and room2.majority() is None
    room3, _ = room_with(3)
    room3.open(decision("a", "b"))
    assert room3.leaders() == [] and room3.majority() is None  # nobody voted: no majority
    assert [(o.id, n) for o, n in room3.split()] == [("a", 0), ("b", 0)]


def test_one_vote_per_participant_per_decision():
    room, (ann, bob, cat) = room_with(3)
    assert room.vote(ann, 1, "a") == STALE  # no decision open yet
    d = room.open(decision("a", "b"))
    assert d.serial == 1 and room.status == OPEN
    assert room.vote(ann, d.serial, "a") == ACCEPTED
    assert room.vote(ann, d.serial, "a") == ALREADY
    assert room.vote(ann, d.serial, "b") == ALREADY  # no changing one's mind
    assert room.vote(bob, d.serial, "zz") == UNKNOWN_CHOICE
    assert room.vote(bob, d.serial, None) == UNKNOWN_CHOICE
    assert room.vote("nobody-at-all-here", d.serial, "a") == UNKNOWN_PARTICIPANT
    assert room.vote(bob, d.serial + 1, "a") == STALE
    assert room.vote(bob, True, "a") == STALE  # JSON true is not decision 1
    assert room.lock() and room.status == LOCKED and not room.lock()
    assert room.vote(bob, d.serial, "b") == CLOSED
    assert room.vote(ann, d.serial, "b") == ALREADY
    assert room.votes == {ann: "a"} and room.vote_of(ann) == "a" and room.vote_of(cat) is None
    # The next decision starts afresh; the old one's serial is stale.
    d2 = room.open(decision("x", "y", number=2))
    assert d2.serial == 2 and room.votes == {} and room.status == OPEN
    assert room.vote(ann, d.serial, "x") == STALE
    assert room.vote(ann, d2.serial, "x") == ACCEPTED


def test_versions_say_what_the_phones_must_see():
    room, (ann,) = room_with(1)
    v, pv = room.version, room.public_version
    d = room.open(decision("a", "b"))
    assert (room.version, room.public_version) == (v + 1, pv + 1)
    room.vote(ann, d.serial, "a")  # a vote: the projector sees it, the phones are not woken
    assert (room.version, room.public_version) == (v + 2, pv + 1)
    room.join("late", "zh")
    assert (room.version, room.public_version) == (v + 3, pv + 1)
    room.lock()
    outcome = Outcome("a", Text.plain("A"), "explore", 0, 1, 1)
    room.reveal(outcome)
    assert room.status == REVEALED and room.outcome is outcome
    assert room.public_version == pv + 3
    seen = []
    room.subscribe(seen.append)
    room.open(decision("c"))
    room.vote(ann, room.decision.serial, "c")
    assert seen == [True, False]


def test_joining_cleans_caps_and_keeps_names_apart():
    room = VoteRoom("r", code="0042")
    assert room.check_code("0042") and room.check_code(" 00 42 ") and not room.check_code("0043")
    assert not room.check_code(None) and not room.check_code("")
    a = room.join("\x1b]2;pwn\x07Amy\u200b", "en")
    assert a.nickname == "]2;pwnAmy"  # ESC, BEL and the zero-width space are gone
    b = room.join("x" * 100, "zh")
    assert b.nickname == "x" * 24 and b.lang == "zh"
    c = room.join("  Amy   ", "fr")
    assert c.nickname == "Amy" and c.lang == "zh"  # an unknown language falls back to zh
    d = room.join("Amy", "en")
    assert d.nickname == "Amy 2"
    e = room.join("x" * 30, "en")
    assert e.nickname == "x" * 22 + " 2" and len(e.nickname) == 24
    with pytest.raises(JoinRefused) as refused:
        room.join(" \t\x00 ", "en")
    assert refused.value.reason == "bad_name"
    # The same token again: the same participant (renamed), not a new one.
    again = room.join("Amelia", "en", token=c.token)
    assert again is c and c.nickname == "Amelia" and room.joined == 5
    assert room.join("Amy", "en").nickname == "Amy"  # "Amy" is free again
    assert room.newest(2) == ["Amy", "x" * 22 + " 2"]


def test_a_full_room_refuses_newcomers_but_not_those_inside():
    room = VoteRoom("r", max_participants=2)
    first = room.join("a")
    room.join("b")
    with pytest.raises(JoinRefused) as refused:
        room.join("c")
    assert refused.value.reason == "full"
    assert room.join("a-again", token=first.token).nickname == "a-again"


def test_the_limiter_counts_wrong_codes_per_client_in_a_window():
    clock = FakeClock(100.0)
    limiter = FailureLimiter(max_failures=3, window=60.0, clock=clock)
    for _ in range(3):
        assert limiter.blocked("10.0.0.7") == 0
        limiter.fail("10.0.0.7")
    assert limiter.blocked("10.0.0.7") == 60.0
    assert limiter.blocked("10.0.0.8") == 0  # another phone is not punished
    clock.advance(59.5)
    assert limiter.blocked("10.0.0.7") == pytest.approx(0.5)
    clock.advance(0.5)
    assert limiter.blocked("10.0.0.7") == 0  # the first failures left the window
    limiter.fail("10.0.0.7")
    assert limiter.blocked("10.0.0.7") == 0
    small = FailureLimiter(max_failures=1, window=10, clock=clock, max_clients=2)
    for client in ("a", "b", "c"):
        small.fail(client)
    assert len(small._failures) == 2 and small.blocked("c") == 10


def test_decisions_outcomes_and_endings_from_the_game(level):
    game = Game(level, seed=None)
    state = game.start()
    d = decision_for(level, game, state, round_no=3)
    assert (d.round, d.level_id, d.number, d.scene) == (3, "first-call", 1, "call")
    assert [o.id for o in d.options] == ["ask-impact", "offer-refund", "blame-courier", "ask-order-details"]
    assert d.speaker.get("en") == "Grace Wang" and d.text.get("en")
    assert d.index("blame-courier") == 3 and d.index("nope") == 0
    choice = level.scenes["call"].choice("ask-impact")
    state = game.take(state, choice)
    o = outcome_for(level, choice, state.moves[-1], by_majority=False)
    assert (o.choice, o.before, o.after, o.delta, o.by_majority) == ("ask-impact", -1, 0, 1, False)  # Grace starts at −1
    assert o.customer.get("en") == "Grace Wang"
    final = game.play(["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"])
    from game.scoring import score

    e = ending_for(level, final, score(level, final))
    assert e.mot_score == 3 and e.labels["en"] and e.title.get("en")
    room = VoteRoom("r")
    room.end(e)
    assert room.status == ENDED and room.ending is e and VoteRoom("x").status == WAITING
