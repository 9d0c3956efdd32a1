"""Hot-seat classroom: three teams, a pause, a timer that runs out, the podium, results kept."""

from __future__ import annotations

import asyncio

import pytest

from game.classroom import Round
from game.cli import main as mot
from game.store import Store
from game.tui.classroom_app import ClassroomApp
from game.tui.screens.classroom import ClassroomScreen
from game.tui.screens.podium import PodiumScreen
from game.tui.widgets.countdown import Countdown
from tests.tui_helpers import tutorial_library

TEAMS = ["红队", "蓝队", "绿队"]


def make_classroom(tmp_path, timer: int, teams=TEAMS, **kwargs) -> ClassroomApp:
    library = tutorial_library()
    level = library.level("first-call")
    return ClassroomApp(shuffle=False, levels=[level], teams=teams, timer=timer, library=library,
                        store=Store(tmp_path / "room.sqlite3"), lang="zh", room="r1", **kwargs)


async def test_three_teams_to_the_podium_with_pause_and_timeout(tmp_path):
    app = make_classroom(tmp_path, timer=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassroomScreen)
        rnd = screen.round
        countdown = screen.query_one(Countdown)
        assert rnd.current.name == "红队" and countdown.remaining == 2
        # The trainer pauses: time stands still, the turn stays.
        await pilot.press("p")
        await asyncio.sleep(1.3)
        await pilot.pause()
        assert countdown.paused and countdown.remaining == 2 and rnd.current.name == "红队"
        await pilot.press("p")
        # The timer runs out: red's turn passes to blue, red keeps its place and loses nothing.
        for _ in range(100):  # two seconds on a quiet machine; a busy one gets up to ten
            await asyncio.sleep(0.1)
            if rnd.current.name != "红队":
                break
        await pilot.pause()
        assert rnd.current.name == "蓝队"
        red = rnd.teams[0]
        assert red.passes == 1 and red.state.moves == () and red.state.scene == "call"
        assert countdown.remaining == 2  # a fresh clock for blue
        # Everyone plays the ideal path, one decision per turn, until the podium.
        turns = 0
        while isinstance(app.screen, ClassroomScreen):
            countdown.paused = True  # keep the rest of the test free of timing
            choices = rnd.choices()
            number = next(i for i, c in enumerate(choices, 1) if c.ideal)
            team = rnd.current
            before = len(team.state.moves)
            await pilot.press(str(number))
            await pilot.pause()
            assert len(team.state.moves) == before + 1
            assert "feedback" in {w.id for w in screen.query("#feedback")}  # coach mode shows the note
            await pilot.press("enter")
            await pilot.pause()
            turns += 1
        assert turns == 15
        assert isinstance(app.screen, PodiumScreen)
        standings = app.screen.round.standings()
        assert [s.finished for s in standings] == [True, True, True]
        assert {s.result.mot_score for s in standings} == {3}
        assert [s.rank for s in standings] == [1, 1, 1]  # same path, same points: shared first place
        assert standings[0].points == 10 * 6 + 5 * 4 + 2 * 3
    runs = app.store.runs(room="r1")
    assert sorted(r.team for r in runs) == sorted(TEAMS)
    assert all(len(r.moves) == 5 and r.mode == "classroom" for r in runs)
    assert [row.points for row in app.store.ranking("r1")] == [86, 86, 86]


async def test_exam_mode_holds_feedback_and_trainer_can_reveal(tmp_path):
    app = make_classroom(tmp_path, timer=0, teams=["A", "B"], exam=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one(Countdown).display  # timer 0 = no countdown
        await pilot.press("2")
        await pilot.pause()
        assert not screen.query("#feedback")  # held back
        await pilot.press("f")
        await pilot.pause()
        from game.tui.screens.note import NoteScreen

        assert isinstance(app.screen, NoteScreen)
        assert any("太早" in p for p in app.screen.paragraphs)  # the offer-refund coach note
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert screen.round.current.name == "B"


async def test_trainer_ends_round_early_and_skips(tmp_path):
    app = make_classroom(tmp_path, timer=60, teams=["A", "B"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("s")  # skip A
        await pilot.pause()
        assert screen.round.current.name == "B" and screen.round.teams[0].passes == 1
        await pilot.press("d")  # discussion questions
        await pilot.pause()
        assert "Grace" in " ".join(app.screen.paragraphs)
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PodiumScreen)
        assert not any(s.finished for s in app.screen.round.standings())


def test_round_rules_exact():
    level = tutorial_library().level("first-call")
    rnd = Round(level, ["A", "B"])
    rnd.play("offer-refund")
    rnd.next_turn()
    assert rnd.current.name == "B"
    rnd.pass_turn()
    assert rnd.current.name == "A" and rnd.teams[1].passes == 1
    rnd.play("repeat-policy")  # A ends at −3: lost
    rnd.next_turn()
    assert rnd.teams[0].finished and rnd.current.name == "B"
    for choice in ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]:
        rnd.play(choice)
        rnd.next_turn()
    assert rnd.over
    a, b = sorted(rnd.standings(), key=lambda s: s.team)
    assert (a.result.mot_score, a.points) == (-3, 0 + 5 * 1 + 0)  # only O: offered before acting
    assert (b.result.mot_score, b.points) == (3, 60 + 20 + 6)
    assert [s.team for s in rnd.standings()] == ["B", "A"]
    with pytest.raises(ValueError):
        Round(level, ["A", "A"])


@pytest.mark.parametrize("args, message", [
    (["--teams", " , "], "at least one team"),
    (["--teams", "a,a", "--level", "first-call"], "must differ"),
    (["--level", "first-call"], "--teams"),
    (["--team", "x", "--level", "first-call"], "--room"),
    (["--teams", "a", "--level", "nope"], "no level 'nope'"),
    (["--teams", "a", "--campaign", "nope"], "no campaign 'nope'"),
    (["--teams", "a"], "say which level"),
])
def test_classroom_arguments_give_clear_errors(capsys, args, message):
    assert mot(["classroom", *args]) == 2
    assert message in capsys.readouterr().err


async def test_team_on_its_own_screen_goes_live_to_the_room(tmp_path):
    """`mot classroom --room r1 --ask-team` (what `mot serve` runs per browser tab)."""
    library = tutorial_library()
    store = Store(tmp_path / "room.sqlite3")
    app = ClassroomApp(shuffle=False, levels=[library.level("first-call")], ask_team=True, library=library,
                       store=store, lang="en", room="r1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from game.tui.screens.briefing import BriefingScreen
        from game.tui.screens.team_name import TeamNameScreen

        assert isinstance(app.screen, TeamNameScreen)
        await pilot.press("enter")  # an empty name is refused
        await pilot.pause()
        assert isinstance(app.screen, TeamNameScreen)
        await pilot.press(*"Team [red]", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.player == "Team [red]"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        live = Store(tmp_path / "room.sqlite3").live("r1")  # another connection, as the scoreboard
        assert [(row.team, row.moves, row.perception) for row in live] == [("Team [red]", 1, 0)]
        for _ in range(4):
            await pilot.press("enter", "1")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    runs = Store(tmp_path / "room.sqlite3").runs(room="r1")
    assert [(r.team, r.mot_score, len(r.moves)) for r in runs] == [("Team [red]", 3, 5)]


@pytest.mark.parametrize("args, message", [
    (["--room", "r"], "say which level"),
    (["--room", "r", "--level", "nope"], "no level 'nope'"),
])
def test_serve_refuses_a_room_without_a_playable_level(capsys, args, message):
    assert mot(["serve", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("campaign", ["who-killed-the-order", "customer-first"])
def test_both_story_campaigns_can_be_played_as_classroom_rounds(campaign):
    from game.commands.classroom import pick_levels
    from tests.test_campaigns import LIBRARY

    levels, error = pick_levels(LIBRARY, None, campaign)
    assert error is None and [lv.campaign for lv in levels] == [campaign] * len(levels)
    assert len(levels) == {"who-killed-the-order": 8, "customer-first": 6}[campaign]


async def test_campaign_rounds_carry_points_to_the_next_level(tmp_path):
    from game.library import Library
    from tests.test_campaigns import LIBRARY

    entry = LIBRARY.campaign("customer-first")
    app = ClassroomApp(shuffle=False, levels=entry.levels, teams=["A", "B"], timer=0, lang="zh",
                       library=Library(LIBRARY.root, campaigns=[entry]),
                       store=Store(tmp_path / "room.sqlite3"), room="cf")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.round.level.id == "silent-smile"
        while isinstance(app.screen, ClassroomScreen):
            choices = screen.round.choices()
            await pilot.press(str(next(i for i, c in enumerate(choices, 1) if c.ideal)))
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, PodiumScreen)
        first = app.classroom_totals()
        assert first == {"A": first["A"], "B": first["A"]} and first["A"] > 0
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen) and app.screen.round.level.id == "late-gold-phone"
        assert app.classroom_totals() == first  # no move yet in round two: no points for it yet
