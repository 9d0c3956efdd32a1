"""The class debrief: the pure builder (game/class_debrief.py) on the tutorial's first level with
three teams on different paths, the vote split from stored votes, the screen paging in a Pilot
(and from the podium, exam mode), `mot debrief` refusing a missing file or an empty room, and
SVG snapshots in both languages at 80×24 and 120×35.

Update the snapshots with `pytest tests/test_class_debrief.py --snapshot-update` and look at them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from game.class_debrief import (
    DiscussPage,
    EndingsPage,
    ScenePage,
    TeamRun,
    build,
    customer_name,
    scene_order,
)
from game.engine import Game
from game.scoring import score
from game.store import Store

ROOM = "周一班"
# Three teams, three paths through "A First Call" (levels/tutorial/01-first-call.toml). The meter
# starts at -1. 红队 plays the ideal path; 蓝队 explores, then overpromises (skipping the plan scene),
# comes clean and closes the ticket; 绿队 blames customs (-1 → -3 at once) and never recovers.
PATHS = {
    "红队": ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"],
    "蓝队": ["ask-impact", "promise-thursday", "come-clean", "close-ticket"],
    "绿队": ["blame-courier", "ask-whose-fault", "new-date", "five-cs", "call-grace"],
}


def record_room(level, db: Path, room: str = ROOM, paths=PATHS) -> None:
    """Play each team's path with the engine and record it in `room`, one minute apart."""
    with Store(db) as store:
        for minute, (team, choices) in enumerate(paths.items()):
            state = Game(level).play(choices)
            store.record_run(team, level.id, "tutorial", state, score(level, state), mode="classroom",
                             room=room, team=team, finished_at=f"2025-03-03T09:0{minute}:00Z")


def add_votes(db: Path, room: str, votes: list[tuple], nicknames: dict[str, str]) -> None:
    """Vote rows by plain SQL (the write methods belong to vote mode): (round, level, decision,
    scene, participant token, choice), cast one second apart."""
    with sqlite3.connect(db) as conn:
        for token, nickname in nicknames.items():
            conn.execute("INSERT INTO participants(room, token, nickname, lang, joined_at) VALUES (?,?,?,?,?)",
                         (room, token, nickname, "zh", "2025-03-03T08:59:00.000Z"))
        for second, (round_, level_id, decision, scene, token, choice) in enumerate(votes):
            conn.execute("INSERT INTO votes(room, round, level_id, decision, scene, participant, choice, voted_at)"
                         " VALUES (?,?,?,?,?,?,?,?)",
                         (room, round_, level_id, decision, scene, token, choice, f"2025-03-03T09:00:{second:02d}.000Z"))


@pytest.fixture
def room_db(level, tmp_path) -> Path:
    db = tmp_path / "room.sqlite3"
    record_room(level, db)
    return db


def room_pages(level, db: Path, room: str = ROOM):
    with Store.open_readonly(db) as store:
        return build(level, store.runs(room=room), store.votes(room, level.id))


def moves_of(page: ScenePage) -> list[tuple]:
    return [(m.team, m.decision, m.choice_id, m.step, m.before, m.after, m.biggest_drop, m.ending)
            for m in page.moves]


# -- the builder ----------------------------------------------------------------------------------

def test_scene_pages_follow_the_teams(level, room_db):
    pages = room_pages(level, room_db)
    assert [type(p).__name__ for p in pages] == ["ScenePage"] * 5 + ["EndingsPage", "DiscussPage"]
    scenes = [p for p in pages if isinstance(p, ScenePage)]
    # 蓝队 promised Thursday and skipped the plan: that page lists only the other two teams.
    assert [(p.number, p.scene.id, p.teams) for p in scenes] == [
        (1, "call", ("红队", "蓝队", "绿队")),
        (2, "needs", ("红队", "蓝队", "绿队")),
        (3, "plan", ("红队", "绿队")),
        (4, "deliver", ("红队", "蓝队", "绿队")),
        (5, "follow", ("红队", "蓝队", "绿队")),
    ]
    call, needs, plan, deliver, follow = scenes
    assert call.speaker.id == "grace" and plan.speaker is None
    #           team, move, choice, step, meter before → after, biggest drop, ending
    assert moves_of(call) == [
        ("红队", 1, "ask-impact", "explore", -1, 0, False, None),
        ("蓝队", 1, "ask-impact", "explore", -1, 0, False, None),
        ("绿队", 1, "blame-courier", "act", -1, -3, True, None),  # -2 at once: 绿队's biggest drop
    ]
    assert moves_of(needs) == [
        ("红队", 2, "ask-what-success", "explore", 0, 1, False, None),
        ("蓝队", 2, "promise-thursday", "offer", 0, -1, False, None),  # -1, but -2 comes later
        ("绿队", 2, "ask-whose-fault", "explore", -3, -3, False, None),  # -1 at -3 changes nothing
    ]
    assert moves_of(plan) == [
        ("红队", 3, "loaners-and-note", "offer", 1, 3, False, None),
        ("绿队", 3, "new-date", "offer", -3, -3, False, None),
    ]
    assert moves_of(deliver) == [
        ("红队", 4, "five-cs", "act", 3, 3, False, None),
        ("蓝队", 3, "come-clean", "act", -1, 0, False, None),
        ("绿队", 4, "five-cs", "act", -3, -2, False, None),
    ]
    assert moves_of(follow) == [
        ("红队", 5, "call-grace", "confirm", 3, 3, False, "delighted"),
        ("蓝队", 4, "close-ticket", "act", 0, -2, True, "quiet"),  # the end is what Grace remembers
        ("绿队", 5, "call-grace", "confirm", -2, -1, False, "remembered"),
    ]
    # The choices' own text and coach note come with each move, in both languages.
    blamed = call.moves[2].choice
    assert blamed.text.get("en").startswith("Let me look… the parcel is held at customs")
    assert blamed.feedback.get("zh").startswith("你是在查系统")


def test_what_each_team_heard(level, room_db):
    """Scene variants: without the question about the impact, Grace pushes the deadline herself,
    and without the question about success, the plan scene says what is still unknown."""
    call, needs, plan, *_ = room_pages(level, room_db)
    assert [h.teams for h in call.heard] == [("红队", "蓝队", "绿队")]
    assert call.heard[0].text.get("en").startswith("Hello, Grace Wang from FILTEX")
    assert [h.teams for h in needs.heard] == [("红队", "蓝队"), ("绿队",)]
    assert needs.heard[0].text.get("en").startswith("Thursday is the trade fair")
    assert needs.heard[1].text.get("en").startswith("Grace sighs.")
    assert [h.teams for h in plan.heard] == [("红队",), ("绿队",)]
    assert "but not what a good Thursday" in plan.heard[1].text.get("en")


def test_the_best_move_at_each_scene(level, room_db):
    """The coach's best move among those each team was offered, and the best MOT score it keeps
    within reach (peak-end: (peak + end) / 2, rounded half away from zero). 绿队 hit -3 at once,
    so -3 stays its peak unless it reaches +3: the best it can still get is (-3 + 1) / 2 → -1."""
    call, needs, plan, deliver, follow = room_pages(level, room_db)[:5]
    best = lambda page: [(b.choice.id, b.teams, b.keeps) for b in page.best]
    assert best(call) == [("ask-impact", ("红队", "蓝队", "绿队"), (3, 3, 3))]
    assert best(needs) == [("ask-what-success", ("红队", "蓝队", "绿队"), (3, 3, -1))]
    assert best(plan) == [("loaners-and-note", ("红队", "绿队"), (3, -1))]
    # 蓝队 overpromised: the 5 Cs are no longer offered to it; owning the promise is its best (+1).
    assert best(deliver) == [("five-cs", ("红队", "绿队"), (3, -2)), ("come-clean", ("蓝队",), (1,))]
    assert best(follow) == [("call-grace", ("红队", "蓝队", "绿队"), (3, 1, -2))]
    assert [m.was_best for m in call.moves] == [True, True, False]
    assert [m.was_best for m in deliver.moves] == [True, True, True]
    assert [m.was_best for m in follow.moves] == [True, False, True]


def test_endings_and_biggest_drops(level, room_db):
    pages = room_pages(level, room_db)
    endings = pages[5]
    assert isinstance(endings, EndingsPage)
    rows = [(e.team, e.ending_id, e.mot_score, e.moves, e.drop and (e.drop.scene, e.drop.choice_id, e.drop.change))
            for e in endings.teams]
    assert rows == [
        ("红队", "delighted", 3, 5, None),  # the meter never fell
        ("蓝队", "quiet", -2, 4, ("follow", "close-ticket", -2)),
        ("绿队", "remembered", -2, 5, ("call", "blame-courier", -2)),
    ]
    assert endings.teams[2].ending.title.get("en") == "A customer who remembers the first answer"
    assert customer_name(level, "zh") == "Grace Wang"


def test_discussion_questions_come_last_with_their_answers(level, room_db):
    discuss = room_pages(level, room_db)[-1]
    assert isinstance(discuss, DiscussPage)
    assert [q.get("en") for q, _ in discuss.questions] == [q.get("en") for q in level.discuss]
    assert [a.get("zh") for _, a in discuss.questions] == [a.get("zh") for a in level.answers]
    assert discuss.questions[1][1].get("en").startswith("Because it sets an expectation")


def test_practice_teams_alike_and_an_unfinished_team(level):
    """A hot-seat round as it stands at the podium: a team stopped before choosing at a scene
    is listed there as waiting; teams that chose alike are one entry."""
    from game.classroom import Round

    round_ = Round(level, ["红队", "蓝队", "绿队"])
    for choice in ("ask-impact", "ask-impact", "blame-courier", "ask-what-success"):
        round_.play(choice)
        round_.next_turn()
    runs = [TeamRun.from_state(t.name, t.state) for t in round_.teams]
    call, needs, *rest = build(level, runs)
    assert [(teams, m.choice_id) for teams, m in call.alike()] == [(("红队", "蓝队"), "ask-impact"),
                                                                   (("绿队",), "blame-courier")]
    assert needs.waiting == ("蓝队", "绿队") and needs.teams == ("红队", "蓝队", "绿队")
    assert [h.teams for h in needs.heard] == [("红队", "蓝队"), ("绿队",)]
    assert rest[0].scene.id == "plan" and rest[0].waiting == ("红队",) and rest[0].moves == ()
    endings = rest[1]
    assert [(e.team, e.ending_id, e.moves) for e in endings.teams] == [("红队", None, 2), ("蓝队", None, 1),
                                                                       ("绿队", None, 1)]


def test_scene_order_keeps_every_path_in_order():
    """A scene comes after every scene that led to it on some path: 'c' is reached at the
    second decision by B but after 'b' by A, so it waits for 'b'; a loop does not block."""
    assert scene_order([["s", "a", "b", "c"], ["s", "c", "d"]]) == ["s", "a", "b", "c", "d"]
    assert scene_order([["s", "x", "s", "y"]]) == ["s", "x", "y"]
    assert scene_order([]) == []


# -- votes ------------------------------------------------------------------------------------------

def test_a_page_shows_the_vote_split(level, tmp_path):
    db = tmp_path / "vote.sqlite3"
    record_room(level, db, room="投票班", paths={"全班": PATHS["红队"]})
    nick = {f"t{i}": name for i, name in enumerate(["小王", "小李", "小张", "小赵", "小陈"], 1)}
    add_votes(db, "投票班", [
        (1, "first-call", 1, "call", "t1", "ask-impact"),
        (1, "first-call", 1, "call", "t2", "offer-refund"),
        (1, "first-call", 1, "call", "t3", "ask-impact"),
        (1, "first-call", 1, "call", "t4", "blame-courier"),
        (1, "first-call", 1, "call", "t5", "ask-impact"),
        (1, "first-call", 2, "needs", "t1", "ask-what-success"),
        (1, "first-call", 2, "needs", "t2", "promise-thursday"),
        (1, "first-call", 2, "needs", "ghost", "ask-what-success"),  # a participant row gone
        (1, "follow-up", 1, "call", "t1", "x"),  # another level of the room: not on these pages
    ], nick)
    with Store.open_readonly(db) as store:
        rows = store.votes("投票班", "first-call")
        assert len(store.votes("投票班")) == 9 and store.votes("别的班") == []
    assert [(v.decision, v.nickname, v.choice) for v in rows[:2]] == [(1, "小王", "ask-impact"),
                                                                     (1, "小李", "offer-refund")]
    assert rows[-1].nickname is None
    call, needs = room_pages(level, db, room="投票班")[:2]
    [split] = call.votes
    assert (split.round, split.decision, split.total) == (1, 1, 5)
    # most votes first, then the scene's order of choices
    assert [(c.choice_id, c.count, c.voters) for c in split.counts] == [
        ("ask-impact", 3, ("小王", "小张", "小陈")), ("offer-refund", 1, ("小李",)),
        ("blame-courier", 1, ("小赵",))]
    assert [(c.choice_id, c.count) for c in needs.votes[0].counts] == [("ask-what-success", 2),
                                                                      ("promise-thursday", 1)]
    assert call.votes[0].counts[0].choice.step == "explore"


# -- the screen -------------------------------------------------------------------------------------

def debrief_app(level, db: Path, lang: str = "en", room: str = ROOM):
    from game.tui.debrief_app import DebriefApp

    with Store.open_readonly(db) as store:
        runs, votes = store.runs(room=room), store.votes(room, level.id)
    return DebriefApp(level, runs, votes, room=room, lang=lang)


def shown(screen) -> str:
    """Every text of the page being shown, as plain text."""
    from textual.widgets import Static

    from game.tui.widgets.prose import Prose

    parts = []
    for widget in screen.query("#cd-body *"):
        if isinstance(widget, Prose):
            parts.append(widget.text)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


def on_page(n: int, *needles: str):
    def ready(screen) -> bool:
        return screen.page == n and all(needle in shown(screen) for needle in needles)
    return ready


async def test_the_screen_pages_with_the_arrows(level, room_db):
    from game.tui.screens.class_debrief import ClassDebriefScreen
    from tests.tui_helpers import wait_for_screen

    app = debrief_app(level, room_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, ClassDebriefScreen, on_page(0, "Hello, Grace Wang"))
        text = shown(screen)
        assert "where we lost Grace Wang" in text and "Coach: You acted on the system" in text
        assert "红队, 蓝队" in text  # the two teams that explored, as one entry
        await pilot.press("right")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(1, "Grace sighs.", "绿队 heard:"))
        await pilot.press("right", "right")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(3, "Wednesday. What you said"))
        await pilot.press("left")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(2, "2 of 3 teams reached this scene"))
        await pilot.press("pagedown", "pagedown", "pagedown")
        await wait_for_screen(pilot, ClassDebriefScreen,
                              on_page(5, "A customer who tells the story", "the meter never fell"))
        await pilot.press("end")
        last = await wait_for_screen(pilot, ClassDebriefScreen, on_page(6, "1. What did Grace expect"))
        text = shown(last)
        assert "Model answer: The obvious expectation" in text and "Model answer: Because it sets" in text
        await pilot.press("right")  # no page after the last
        await pilot.pause()
        assert last.page == 6
        await pilot.press("home")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(0, "Hello, Grace Wang"))
        await pilot.press("f2")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(0, "我们在这里失去了 Grace Wang", "教练："))
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0


async def test_from_the_podium_in_exam_mode(level, tmp_path):
    """Exam mode hides the coach during the round; the class debrief (`c` on the podium) shows
    every move's note. The round ended early: 红队 stands at the next scene, not chosen yet."""
    from game.classroom import Round
    from game.tui.screens.class_debrief import ClassDebriefScreen
    from game.tui.screens.podium import PodiumScreen
    from game.tui.screens.title import TitleScreen
    from tests.tui_helpers import make_app, wait_for_screen

    round_ = Round(level, ["红队", "蓝队"])
    for choice in ("ask-impact", "blame-courier"):
        round_.play(choice)
        round_.next_turn()
    round_.end()
    app = make_app(tmp_path, exam=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TitleScreen, lambda s: app.library_ready.is_set())
        app.push_screen(PodiumScreen(round_))
        await wait_for_screen(pilot, PodiumScreen, focus=False)
        await pilot.press("c")
        screen = await wait_for_screen(pilot, ClassDebriefScreen, on_page(0, "Coach: Explore first"))
        text = shown(screen)
        assert app.exam and "Coach: You acted on the system" in text and "where we lost Grace Wang" in text
        await pilot.press("right")
        await wait_for_screen(pilot, ClassDebriefScreen, on_page(1, "Still here when the round ended: 红队"))
        await pilot.press("escape")
        await wait_for_screen(pilot, PodiumScreen, focus=False)


# -- mot debrief ------------------------------------------------------------------------------------

def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_mot_debrief_refuses_a_missing_database(tmp_path, capsys):
    from game.cli import main

    missing = tmp_path / "nowhere" / "room.sqlite3"
    assert main(["debrief", "--room", "R1", "--db", str(missing), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "mot debrief: error[S005]" in err and "nothing was created" in err
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("lang, words", [("en", "has no runs of first-call yet"), ("zh", "还没有关卡 first-call 的对局")])
def test_mot_debrief_refuses_an_empty_room(tmp_path, capsys, lang, words):
    from game.cli import main

    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        store.ensure_room("空房间", level_id="first-call")
    before = files_in(tmp_path)
    assert main(["debrief", "--room", "空房间", "--db", str(db), "--lang", lang]) == 1
    assert words in capsys.readouterr().err
    assert main(["debrief", "--room", "没有的房间", "--db", str(db), "--lang", lang]) == 1
    assert ("no room “没有的房间”" if lang == "en" else "中没有房间“没有的房间”") in capsys.readouterr().err
    assert files_in(tmp_path) == before  # read-only: nothing created, nothing changed


def test_mot_debrief_shows_the_rooms_first_runs(level, room_db, monkeypatch, capsys):
    """The level is the room's; a team's later run of it is practice and stays out."""
    from game.cli import main
    from game.tui.debrief_app import DebriefApp

    with Store(room_db) as store:  # 红队 plays again: practice
        state = Game(level).play(PATHS["绿队"])
        store.record_run("红队", level.id, "tutorial", state, score(level, state), mode="classroom",
                         room=ROOM, team="红队", finished_at="2025-03-03T10:00:00Z")
    seen = {}
    monkeypatch.setattr(DebriefApp, "run", lambda self: seen.update(
        level=self.level.id, teams=[r.team for r in self.runs], lang=self.lang))
    levels = Path(__file__).resolve().parent.parent / "levels"
    assert main(["debrief", "--room", ROOM, "--db", str(room_db), "--lang", "zh", "--levels", str(levels)]) == 0
    assert seen == {"level": "first-call", "teams": ["红队", "蓝队", "绿队"], "lang": "zh"}
    assert main(["debrief", "--room", ROOM, "--db", str(room_db), "--level", "nope", "--lang", "en"]) == 1
    assert "has no runs of nope" in capsys.readouterr().err


def test_a_room_that_played_a_level_of_its_own_is_told_about_levels(level, tmp_path, capsys):
    """A room's level that is not among the shipped ones: the error says how to give its folder."""
    import dataclasses

    from game.cli import main

    own = dataclasses.replace(level, id="my-own-level")
    db = tmp_path / "own.sqlite3"
    with Store(db) as store:
        state = Game(own).play(PATHS["红队"])
        store.record_run("红队", own.id, "mine", state, score(own, state), mode="classroom", room="R9", team="红队")
    assert main(["debrief", "--room", "R9", "--db", str(db), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "my-own-level" in err and "--levels DIR" in err
    assert main(["debrief", "--room", "R9", "--db", str(db), "--lang", "zh"]) == 1
    assert "--levels 文件夹" in capsys.readouterr().err


# -- snapshots --------------------------------------------------------------------------------------

SNAPSHOT_SIZES = [(80, 24), (120, 35)]


async def _first_page(pilot):
    from game.tui.screens.class_debrief import ClassDebriefScreen
    from tests.test_tui_snapshots import _settle

    await _settle(pilot, ClassDebriefScreen, on_page(0, "Grace Wang"))


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_class_debrief_snapshot(snap_compare, level, tmp_path, lang, size):
    db = tmp_path / "room.sqlite3"
    record_room(level, db)
    assert snap_compare(debrief_app(level, db, lang), terminal_size=size, run_before=_first_page)
