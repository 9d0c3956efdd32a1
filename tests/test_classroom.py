"""Hot-seat classroom: three teams, a pause, a timer that runs out, the podium, results kept."""

from __future__ import annotations

import pytest

from game.classroom import Round
from game.cli import main as mot
from game.store import Store
from game.tui.classroom_app import ClassroomApp
from game.tui.screens.classroom import ClassroomScreen
from game.tui.screens.podium import PodiumScreen
from game.tui.widgets.countdown import Countdown
from textual.widgets import Static

from game.tui.widgets.choice_card import ChoiceCard
from tests.tui_helpers import FakeClock, choose, go_on, tutorial_library, wait_for, wait_for_screen

TEAMS = ["红队", "蓝队", "绿队"]


def make_classroom(tmp_path, timer: int, teams=TEAMS, **kwargs) -> ClassroomApp:
    library = tutorial_library()
    level = library.level("first-call")
    return ClassroomApp(shuffle=False, levels=[level], teams=teams, timer=timer, library=library,
                        store=Store(tmp_path / "room.sqlite3"), lang="zh", room="r1", **kwargs)


def round_ready(screen) -> bool:
    """The team whose turn it is sees its cards: the ones the round offers now."""
    if not isinstance(screen, ClassroomScreen) or screen.last is not None or screen.round.over:
        return False
    shown = [card.choice.id for card in screen.query(ChoiceCard)]
    return bool(shown) and shown == [c.id for c in screen.round.choices()]


async def start_round(pilot):
    """Past the round's briefing ("Round n/N · level · you play …"): the first team's cards."""
    from game.tui.screens.round_briefing import RoundBriefingScreen

    await wait_for_screen(pilot, RoundBriefingScreen, what="the round's briefing")
    await pilot.press("enter")
    return await wait_for_screen(pilot, ClassroomScreen, round_ready, what="the round's first cards")


def note_up(screen) -> bool:
    """The last move's note is up with its Continue button focused."""
    buttons = screen.query("#continue")
    return screen.last is not None and bool(buttons) and screen.focused is buttons.first()


async def test_three_teams_to_the_podium_with_pause_and_timeout(tmp_path, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(Countdown, "default_clock", clock)  # time moves only when the test says
    app = make_classroom(tmp_path, timer=2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        rnd = screen.round
        countdown = screen.query_one(Countdown)
        assert rnd.current.name == "红队" and countdown.remaining == 2 and not countdown.paused
        clock.advance(0.6)
        countdown.tick()
        assert countdown.remaining == 2  # 1.4 s left shows as 2
        # The trainer pauses: time stands still, the turn stays.
        await pilot.press("p")
        await wait_for(pilot, lambda: countdown.paused, what="the countdown to pause")
        clock.advance(30)
        countdown.tick()
        await pilot.pause()
        assert countdown.paused and countdown.remaining == 2 and rnd.current.name == "红队"
        assert str(screen.query_one("#countdown-state", Static).content) == app.tr("class.paused")
        await pilot.press("p")
        await wait_for(pilot, lambda: not countdown.paused, what="the countdown to resume")
        clock.advance(1.0)  # 0.4 s left: not yet up
        countdown.tick()
        await pilot.pause()
        assert countdown.remaining == 1 and rnd.current.name == "红队" and rnd.teams[0].passes == 0
        # The timer runs out: red's turn passes to blue, red keeps its place and loses nothing.
        clock.advance(0.5)
        countdown.tick()
        await wait_for(pilot, lambda: rnd.current.name != "红队", what="red's turn to pass when the time ran out")
        assert rnd.current.name == "蓝队"
        red = rnd.teams[0]
        assert red.passes == 1 and red.state.moves == () and red.state.scene == "call"
        await wait_for_screen(pilot, ClassroomScreen, round_ready, what="blue's cards")
        assert countdown.remaining == 2 and not countdown.paused  # a fresh clock for blue
        clock.advance(1.5)
        countdown.tick()
        assert countdown.remaining == 1  # and it runs
        # Everyone plays the ideal path, one decision per turn, until the podium (the fake
        # clock no longer moves, so no other turn times out).
        turns = 0
        while isinstance(app.screen, ClassroomScreen):
            choices = rnd.choices()
            number = next(i for i, c in enumerate(choices, 1) if c.ideal)
            team = rnd.current
            before = len(team.state.moves)
            await pilot.press(str(number))
            await wait_for_screen(pilot, ClassroomScreen, note_up, what=f"{team.name}'s move {before + 1}")
            assert len(team.state.moves) == before + 1 and countdown.paused  # a move stops the clock
            assert "feedback" in {w.id for w in screen.query("#feedback")}  # coach mode shows the note
            await pilot.press("enter")
            await wait_for_screen(pilot, (ClassroomScreen, PodiumScreen),
                                  lambda s: isinstance(s, PodiumScreen) or round_ready(s),
                                  what="the next team's cards or the podium")
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


async def test_countdown_extends_restarts_and_expires_once(tmp_path):
    """The widget alone, on a clock the test moves: +30 s, a restart, one `Expired` per run-out."""
    from textual.app import App

    clock = FakeClock()
    expired = []

    class One(App):
        def compose(self):
            yield Countdown(5, clock=clock)

        def on_countdown_expired(self, event) -> None:
            expired.append(clock())

    app = One()
    async with app.run_test() as pilot:
        countdown = app.query_one(Countdown)
        clock.advance(4.5)
        countdown.tick()
        assert countdown.remaining == 1 and countdown.has_class("-low")
        countdown.extend(30)
        assert countdown.remaining == 31
        clock.advance(31)
        countdown.tick()
        countdown.tick()
        await wait_for(pilot, lambda: expired, what="Expired")
        assert countdown.remaining == 0 and len(expired) == 1
        countdown.extend(30)  # after zero: counts on again
        clock.advance(10)
        countdown.tick()
        assert countdown.remaining == 20
        countdown.restart()
        assert countdown.remaining == 5
        clock.advance(2)
        countdown.tick()
        assert countdown.remaining == 3
        countdown.toggle()  # paused: restart gives the full time and keeps it
        countdown.restart()
        clock.advance(100)
        countdown.tick()
        assert countdown.remaining == 5 and countdown.paused
        countdown.toggle()
        clock.advance(5)
        countdown.tick()
        await wait_for(pilot, lambda: len(expired) == 2, what="the second Expired")


async def test_exam_mode_holds_feedback_and_trainer_can_reveal(tmp_path):
    """Exam mode: the feedback on a decision waits until every team has made it."""
    from game.tui.screens.note import NoteScreen

    app = make_classroom(tmp_path, timer=0, teams=["A", "B"], exam=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        assert not screen.query_one(Countdown).display  # timer 0 = no countdown
        await pilot.press("2")
        await wait_for_screen(pilot, ClassroomScreen, note_up, what="A's move")
        assert screen.round.teams[0].state.moves[-1].choice == "offer-refund"
        assert not screen.query("#feedback") and screen.query("#held")  # held back, and said so
        await pilot.press("f")  # the trainer cannot reveal it yet either
        await wait_for(pilot, lambda: any(n.message == app.tr("class.held", n=1) for n in app._notifications),
                       what="the held-feedback notice")
        assert not isinstance(app.screen, NoteScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, ClassroomScreen, round_ready, what="B's cards")
        assert screen.round.current.name == "B"
        await pilot.press("1")  # B makes decision 1 too: now the feedback shows
        await wait_for_screen(pilot, ClassroomScreen, lambda s: note_up(s) and s.query("#feedback"),
                              what="B's move with its feedback")
        assert not screen.query("#held")
        await pilot.press("f")
        note = await wait_for_screen(pilot, NoteScreen)
        assert any("Grace" in p or "影响" in p for p in note.paragraphs)
        await pilot.press("escape")
        await wait_for_screen(pilot, ClassroomScreen, note_up, what="back on the round")


async def test_trainer_ends_round_early_and_skips(tmp_path):
    from game.tui.screens.confirm import ConfirmScreen
    from game.tui.screens.note import NoteScreen

    app = make_classroom(tmp_path, timer=60, teams=["A", "B"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        await pilot.press("s")  # skip A
        await wait_for_screen(pilot, ClassroomScreen, lambda s: s.round.current.name == "B" and round_ready(s),
                              what="B's turn after the skip")
        assert screen.round.teams[0].passes == 1
        assert app.tr("class.skipped", team="A") in str(screen.query_one("#banner", Static).content)
        assert screen.check_action("discuss", ()) is False  # the questions give the ideal away
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen)
        await pilot.press("e")  # B has not had its turn of this pass: it plays first
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ClassroomScreen, lambda s: s.round.closing_at == 1 and round_ready(s),
                              what="the round closing after B's turn")
        assert screen.round.current.name == "B" and not screen.round.over
        await pilot.press("e")  # asked again: it ends now, and the podium says B had a turn fewer
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        podium = await wait_for_screen(pilot, PodiumScreen)
        assert not any(s.finished for s in podium.round.standings())
        assert podium.round.fewer_turns() == {"B": 1}
        await pilot.press("d")  # on the podium: the questions, each with its model answer
        note = await wait_for_screen(pilot, NoteScreen)
        text = " ".join(note.paragraphs)
        assert "Grace" in text and app.tr("class.model_answer") in text
        assert app.tr("podium.fewer_turns", n=1) in " ".join(str(w.content) for w in podium.query(".row"))


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
        from game.tui.screens.briefing import BriefingScreen
        from game.tui.screens.debrief import DebriefScreen
        from game.tui.screens.team_name import TeamNameScreen

        await wait_for_screen(pilot, TeamNameScreen)
        await pilot.press("enter")  # an empty name is refused, with a word why
        await wait_for(pilot, lambda: any(n.message == app.tr("team.empty") for n in app._notifications),
                       what="the empty-name warning")
        assert isinstance(app.screen, TeamNameScreen)
        await pilot.press(*"Team [red]", "enter")
        await wait_for_screen(pilot, BriefingScreen)
        assert app.player == "Team [red]"
        await pilot.press("enter")
        await choose(pilot, 1)
        live = Store(tmp_path / "room.sqlite3").live("r1")  # another connection, as the scoreboard
        assert [(row.team, row.moves, row.perception) for row in live] == [("Team [red]", 1, 0)]
        await go_on(pilot)
        for _ in range(4):
            await choose(pilot, 1)
            await go_on(pilot)
        await wait_for_screen(pilot, DebriefScreen)
    runs = Store(tmp_path / "room.sqlite3").runs(room="r1")
    assert [(r.team, r.mot_score, len(r.moves)) for r in runs] == [("Team [red]", 3, 5)]


@pytest.mark.parametrize("args, message", [
    (["--room", "r"], "say which level"),
    (["--room", "r", "--level", "nope"], "no level 'nope'"),
])
def test_serve_refuses_a_room_without_a_playable_level(capsys, args, message):
    assert mot(["serve", "--create", *args]) == 2
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
        screen = await start_round(pilot)
        assert screen.round.level.id == "silent-smile"
        while isinstance(app.screen, ClassroomScreen):
            choices = screen.round.choices()
            team, moves = screen.round.current, len(screen.round.current.state.moves)
            await pilot.press(str(next(i for i, c in enumerate(choices, 1) if c.ideal)))
            await wait_for_screen(pilot, ClassroomScreen, note_up, what=f"{team.name}'s move {moves + 1}")
            assert len(team.state.moves) == moves + 1
            await pilot.press("enter")
            await wait_for_screen(pilot, (ClassroomScreen, PodiumScreen),
                                  lambda s: isinstance(s, PodiumScreen) or round_ready(s),
                                  what="the next team's cards or the podium")
        first = app.classroom_totals()
        assert first == {"A": first["A"], "B": first["A"]} and first["A"] > 0
        await pilot.press("n")
        screen = await start_round(pilot)
        assert screen.round.level.id == "late-gold-phone"
        assert screen.round.current.name == "B"  # round two opens with the second team
        assert app.classroom_totals() == first  # no move yet in round two: no points for it yet
