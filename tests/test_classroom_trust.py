"""A round a trainer can trust (the issue "Classroom 2", point 3): the clock stands still under
an overlay, Esc and Ctrl+Q ask first, a round is saved after every move and resumes from the
command line, an early end is kept as unfinished runs, the order rotates, exam mode holds the
feedback until every team has decided, a campaign's podium ranks by the running total, and a
team on its own screen gets the countdown, shows as "left" when its screen quits and resumes
where it was."""

from __future__ import annotations

from textual.widgets import Static

from game.classroom import Round
from game.cli import main as mot
from game.store import Store
from game.tui.classroom_app import ClassroomApp
from game.tui.screens.classroom import ClassroomScreen
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.podium import PodiumScreen
from game.tui.screens.round_briefing import RoundBriefingScreen
from game.tui.widgets.countdown import Countdown, DecisionCountdown
from tests.test_classroom import note_up, round_ready, start_round
from tests.tui_helpers import FakeClock, tutorial_library, wait_for, wait_for_screen

IDEAL = ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]


def hot_seat(tmp_path, teams=("A", "B", "C"), timer: int = 0, levels=("first-call",), lang="en", **kwargs):
    library = tutorial_library()
    return ClassroomApp(shuffle=False, levels=[library.level(i) for i in levels], teams=list(teams),
                        timer=timer, library=library, store=Store(tmp_path / "room.sqlite3"), lang=lang,
                        room="r1", **kwargs)


async def play(pilot, screen, number: int) -> None:
    """The team whose turn it is plays card `number`; wait for its note."""
    team, moves = screen.round.current, len(screen.round.current.state.moves)
    await pilot.press(str(number))
    await wait_for_screen(pilot, ClassroomScreen, lambda s: note_up(s) and len(team.state.moves) == moves + 1,
                          what=f"{team.name}'s move {moves + 1}")


async def next_team(pilot) -> None:
    await pilot.press("enter")
    await wait_for_screen(pilot, (ClassroomScreen, PodiumScreen),
                          lambda s: isinstance(s, PodiumScreen) or round_ready(s), what="the next team or the podium")


def banner(screen) -> str:
    return str(screen.query_one("#banner", Static).content)


async def test_an_overlay_stops_the_clock(tmp_path, monkeypatch):
    from game.tui.screens.help import HelpScreen

    clock = FakeClock()
    monkeypatch.setattr(Countdown, "default_clock", clock)
    app = hot_seat(tmp_path, timer=20)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        countdown = screen.query_one(Countdown)
        clock.advance(2)
        countdown.tick()
        assert countdown.remaining == 18
        for key, overlay in (("f1", HelpScreen), ("e", ConfirmScreen)):
            await pilot.press(key)  # help, a confirmation: nothing moves under them
            await wait_for_screen(pilot, overlay, focus=False)
            assert countdown.held and not countdown.paused  # held, not the trainer's pause
            clock.advance(300)
            countdown.tick()
            assert countdown.remaining == 18 and not countdown.expired
            await pilot.press("escape")
            await wait_for_screen(pilot, ClassroomScreen, round_ready, what="the round again")
            assert not countdown.held
        clock.advance(1)  # and it counts on from where it stood
        countdown.tick()
        assert countdown.remaining == 17 and screen.round.current.name == "A"
        assert str(countdown.query_one("#countdown-label", Static).content) == "Discussion"
        clock.advance(4)
        countdown.tick()
        assert countdown.remaining == 13 and countdown.has_class("-amber")
        clock.advance(9)
        countdown.tick()
        assert countdown.remaining == 4 and countdown.has_class("-low") and not countdown.has_class("-amber")


async def test_esc_and_ctrl_q_ask_before_ending(tmp_path):
    app = hot_seat(tmp_path, teams=("A", "B"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        await pilot.press("escape")  # Esc ends the round … after asking
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")  # no
        await wait_for_screen(pilot, ClassroomScreen, round_ready, what="the round, still playing")
        assert not screen.round.over
        await pilot.press("ctrl+q")  # so does Ctrl+Q
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("x")  # any key but y or n: nothing
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # n says no, like Esc
        await wait_for_screen(pilot, ClassroomScreen, round_ready, what="the round, still playing")
        assert app.is_running and app.return_code is None
        await play(pilot, screen, 1)
        await next_team(pilot)
        await play(pilot, screen, 1)
        await next_team(pilot)  # every team has one decision: Esc ends it now
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        podium = await wait_for_screen(pilot, PodiumScreen)
        await pilot.press("escape")  # the podium asks too before it finishes the class
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, PodiumScreen)
        assert app.screen is podium and app.is_running
        await pilot.press("ctrl+q")  # the last round's podium: nothing left to lose, it quits
        await wait_for(pilot, lambda: not app.is_running or app.return_code is not None, what="the app to quit")


async def test_ctrl_q_yes_quits_and_the_round_resumes_from_the_command_line(tmp_path, monkeypatch, capsys):
    app = hot_seat(tmp_path, free=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        await play(pilot, screen, 1)  # A
        await next_team(pilot)
        await pilot.press("s")  # B loses its turn
        await wait_for_screen(pilot, ClassroomScreen, lambda s: s.round.current.name == "C" and round_ready(s),
                              what="C's turn")
        await play(pilot, screen, 2)  # C, and its note is up when the trainer quits
        await pilot.press("ctrl+q")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        # The command to type names the file the round is in (a room lives in one database).
        assert f"--room r1 --db {tmp_path / 'room.sqlite3'} --resume" in confirm.question
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to quit")
    with Store(tmp_path / "room.sqlite3") as store:
        saved = store.round_state("r1")
    assert saved["free"] is True  # free-answer mode comes back with the round
    assert saved["teams"] == ["A", "B", "C"] and saved["levels"] == ["first-call"]
    assert saved["round"]["choices"] == {"A": ["ask-impact"], "B": [], "C": ["offer-refund"]}
    assert saved["round"]["passes"] == {"A": 0, "B": 1, "C": 0} and saved["pending"]

    # `mot classroom --room r1 --resume`: the command builds the app from the room alone.
    made = []
    monkeypatch.setattr(ClassroomApp, "run", lambda self: made.append(self))
    assert mot(["classroom", "--db", str(tmp_path / "room.sqlite3"), "--room", "r1", "--resume",
                "--lang", "en"]) == 0
    assert "--resume" in capsys.readouterr().out  # how to go on, said when it stops mid-round
    (again,) = made
    assert again.teams == ["A", "B", "C"] and [lv.id for lv in again.levels] == ["first-call"] and again.free
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, ClassroomScreen, round_ready, what="the round, resumed")
        rnd = screen.round
        assert [[m.choice for m in t.state.moves] for t in rnd.teams] == [["ask-impact"], [], ["offer-refund"]]
        assert [t.passes for t in rnd.teams] == [0, 1, 0]
        assert rnd.current.name == "A"  # C had played: the turn goes on to A
        await play(pilot, screen, 1)
    with Store(tmp_path / "room.sqlite3") as store:
        assert store.round_state("r1")["round"]["choices"]["A"] == ["ask-impact", "ask-what-success"]


def test_resume_refuses_a_room_with_nothing_to_resume(tmp_path, capsys):
    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        store.ensure_room("empty")
    assert mot(["classroom", "--db", str(db), "--room", "empty", "--resume", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "no hot-seat round to resume" in err and "Traceback" not in err


async def test_an_early_end_is_saved_as_unfinished(tmp_path, capsys):
    app = hot_seat(tmp_path, teams=("A", "B"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        await play(pilot, screen, 1)
        await next_team(pilot)
        await play(pilot, screen, 2)
        await next_team(pilot)
        await pilot.press("e")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, PodiumScreen)
    with Store(tmp_path / "room.sqlite3") as store:
        assert store.round_state("r1") is None  # over: nothing to resume
        assert store.round_state("r1", finished=True)["round"]["ended"]
    db = str(tmp_path / "room.sqlite3")
    assert mot(["results", "--db", db, "--room", "r1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip().count("\n") == 0  # finished runs only: none
    assert mot(["results", "--db", db, "--room", "r1", "--format", "csv", "--unfinished"]) == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert sorted((r["team"], r["ending"], r["choice"]) for r in rows) == [("A", "", "ask-impact"),
                                                                           ("B", "", "offer-refund")]


def test_the_order_rotates_and_an_early_end_evens_the_turns():
    level = tutorial_library().level("first-call")
    assert Round(level, ["A", "B", "C"], first=1).current.name == "B"  # round two: the second team
    assert Round(level, ["A", "B", "C"], first=4).current.name == "B"
    rnd = Round(level, ["A", "B", "C"], first=1)
    rnd.play("ask-impact")  # B
    rnd.next_turn()
    assert rnd.current.name == "C"
    assert not rnd.close()  # C and A have not had their turn of this pass: they play first
    assert [t.name for t in rnd.still_to_play()] == ["A", "C"]
    rnd.pass_turn()  # C's time runs out: a turn all the same
    assert rnd.current.name == "A" and not rnd.over
    rnd.play("offer-refund")
    rnd.next_turn()
    assert rnd.over and rnd.fewer_turns() == {}
    again = Round.from_dict(level, rnd.to_dict())
    assert again.to_dict() == rnd.to_dict()


async def test_round_two_opens_with_the_second_team(tmp_path):
    app = hot_seat(tmp_path, teams=("A", "B", "C"), levels=("first-call", "follow-up"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        assert screen.round.current.name == "A"
        await pilot.press("e")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, PodiumScreen)
        await pilot.press("n")
        brief = await wait_for_screen(pilot, RoundBriefingScreen)
        text = " ".join(str(w.content) for w in brief.query(Static))
        assert "Round 2/2 · A Follow-up Call" in text or "Round 2/2 ·" in text
        assert "you play Alex Chen" in text and "B → C → A" in text
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, ClassroomScreen, round_ready)
        assert screen.round.current.name == "B"


async def test_exam_mode_holds_the_feedback_until_every_team_has_decided(tmp_path):
    app = hot_seat(tmp_path, exam=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        for team, last in (("A", False), ("B", False), ("C", True)):
            assert screen.round.current.name == team
            await play(pilot, screen, 1)
            assert bool(screen.query("#feedback")) is last and bool(screen.query("#held")) is not last
            assert screen.round.decision_complete(1) is last
            await next_team(pilot)
        await play(pilot, screen, 1)  # A's decision 2: held again until B and C have made theirs
        assert not screen.query("#feedback") and screen.query("#held")


async def test_a_campaign_podium_ranks_by_the_running_total(tmp_path):
    saved = {"round_index": 1, "phase": "briefing",
             "history": [{"level": "first-call", "points": {"A": 86, "B": 10}}]}
    app = hot_seat(tmp_path, teams=("A", "B"), levels=("first-call", "follow-up"), resume=saved)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        assert screen.round.level.id == "follow-up" and screen.round.current.name == "B"
        await play(pilot, screen, 1)  # B: ask-june, the good opening
        await next_team(pilot)
        await play(pilot, screen, 4)  # A: price-rise, a poor one
        await next_team(pilot)
        await pilot.press("e")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        podium = await wait_for_screen(pilot, PodiumScreen)
        round_two = {s.team: s.points for s in podium.round.standings()}
        assert round_two["B"] > round_two["A"]  # B won this round …
        rows = [str(w.content) for w in podium.query(".row")]
        assert rows[0].startswith("① A") and rows[1].startswith("② B")  # … A leads the campaign
        total_a = 86 + round_two["A"]
        assert f"R1 86 · R2 {round_two['A']} · total {total_a}" in rows[0]
        assert f"R1 10 · R2 {round_two['B']} · total {10 + round_two['B']}" in rows[1]


# -- one team per screen -------------------------------------------------------------------------

def team_app(tmp_path, *, team: str | None = "红队", timer: int = 30, **kwargs) -> ClassroomApp:
    library = tutorial_library()
    return ClassroomApp(shuffle=False, levels=[library.level("first-call")], team=team, timer=timer,
                        library=library, store=Store(tmp_path / "room.sqlite3"), lang="en", room="r1", **kwargs)


async def test_a_team_that_leaves_shows_as_left_and_resumes_where_it_was(tmp_path, monkeypatch):
    from game.tui.scoreboard import ScoreboardApp
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.scoreboard import LiveCard, ScoreboardScreen
    from tests.tui_helpers import choose, go_on, wait_for_scene

    clock = FakeClock()
    monkeypatch.setattr(Countdown, "default_clock", clock)
    app = team_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter")
        scene = await wait_for_scene(pilot)
        clock_widget = scene.query_one(DecisionCountdown)  # --timer in team mode
        assert clock_widget.remaining == 30 and not clock_widget.paused
        clock.advance(12)
        clock_widget.tick()
        assert clock_widget.remaining == 18
        await choose(pilot, 1)
        clock_widget.tick()
        assert clock_widget.paused  # the coach's note: the clock waits
        await go_on(pilot)
        await wait_for(pilot, lambda: (clock_widget.tick(), not clock_widget.paused)[1], what="the next decision's clock")
        assert clock_widget.remaining == 30  # a fresh clock for the next decision
        clock.advance(31)
        clock_widget.tick()
        assert clock_widget.expired and "decide now" in str(clock_widget.query_one("#countdown-state", Static).content)
        await choose(pilot, 1)  # time up only says so: the team still decides
        await go_on(pilot)
    store = Store(tmp_path / "room.sqlite3")
    entry = store.team_progress("r1")["红队"]
    assert entry["left"] and entry["choices"] == ["ask-impact", "ask-what-success"]

    board = ScoreboardApp("r1", tmp_path / "room.sqlite3", lang="en", library=tutorial_library(),
                          store=Store.open_readonly(tmp_path / "room.sqlite3"))
    async with board.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(board.screen, ScoreboardScreen) and board.screen.query(LiveCard)
                       and board.screen.left, what="the live card")
        (card,) = board.screen.query(LiveCard)
        assert card.left and "left" in str(card.query_one(".team", Static).content)

    assert not store.team_playing("r1", "红队")  # it left: joining again needs no --resume
    again = team_app(tmp_path)
    assert again.claim("红队")
    async with again.run_test(size=(100, 30)) as pilot:
        scene = await wait_for_scene(pilot)  # straight back into the scene it left
        assert [m.choice for m in scene.state.moves] == ["ask-impact", "ask-what-success"]
        assert not store.team_progress("r1")["红队"]["left"]
    again.release()
    store.close()


async def test_a_browser_tab_gets_the_timer_too(tmp_path):
    from game.commands.serve import classroom_command
    from game.cli import build_parser
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.team_name import TeamNameScreen
    from tests.tui_helpers import wait_for_scene

    args = build_parser().parse_args(["serve", "--room", "R", "--level", "first-call", "--timer", "45"])
    assert classroom_command(args).endswith("--ask-team --level first-call --timer 45")
    app = team_app(tmp_path, team=None, timer=45, ask_team=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TeamNameScreen)
        await pilot.press(*"Blue", "enter")
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter")
        scene = await wait_for_scene(pilot)
        assert scene.query_one(DecisionCountdown).seconds == 45
