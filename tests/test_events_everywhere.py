"""Scene events (issue 16, point 6) wherever a level is played or reported, beyond solo play:
the hot-seat classroom, vote mode (projector and phone), the class debrief, the stored run and
its exports (workbook, xAPI, CSV). Worked on tests/fixtures/events/01-events.toml (see
tests/test_format_more.py for the level by hand): p₀ = 0; entering `box` is an event (−1),
`ask`/`promise` +1, entering `wait` an event (−1), `call-back` +2 (−1 after a promise).

Two teams, Red (ask, call-back) and Blue (promise, call-back):

  Red    »−1  0  »−1  +1   peak +1, end +1, MOT +1; adherence 2, in-laws found → 40+10+2 = 52
  Blue   »−1  0  »−1  −2   peak −2, end −2, MOT −2; adherence 2, nothing found → 10+10+0 = 20

Without the events Red would end at +3 (MOT +3): the standings prove the events count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from game.class_debrief import EndingsPage, ScenePage, TeamEvent, TeamRun, build
from game.classroom import Round
from game.engine import Game
from game.library import Library, load_folder
from game.played import SeenEvent, played, recorded
from game.scoring import score
from game.store import Store

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "events"
BOX = "» The box arrives crushed.  (+0 → -1 partly unmet)"
SILENCE = "» Three days of silence.  (+0 → -1 partly unmet)"


def events_library() -> Library:
    entry, _ = load_folder(FOLDER)
    return Library(FOLDER.parent, campaigns=[entry])


@pytest.fixture(scope="module")
def level():
    return events_library().level("events")


def played_round(level) -> Round:
    rnd = Round(level, ["Red", "Blue"])
    for choice in ("ask", "promise", "call-back", "call-back"):
        rnd.play(choice)
        rnd.next_turn()
    return rnd


# -- the round, the class debrief, the stored run (pure) ------------------------------------------

def test_team_scores_include_the_events(level):
    rnd = played_round(level)
    assert rnd.over
    rows = [(s.rank, s.team, s.points, s.result.mot_score, s.result.trace, s.result.events)
            for s in rnd.standings()]
    assert rows == [(1, "Red", 52, 1, (-1, 0, -1, 1), (0, 2)),
                    (2, "Blue", 20, -2, (-1, 0, -1, -2), (0, 2))]


def test_the_class_debrief_lists_events_beside_the_moves(level):
    rnd = played_round(level)
    runs = [TeamRun.from_state(t.name, t.state, score(level, t.state).mot_score) for t in rnd.teams]
    pages = build(level, runs)
    box, wait = pages[0], pages[1]
    assert isinstance(box, ScenePage) and box.scene.id == "box" and wait.scene.id == "wait"
    assert [(e.team, e.at, e.before, e.after, e.delta, e.text.get("en")) for e in box.events] == [
        ("Red", 0, 0, -1, -1, "The box arrives crushed."), ("Blue", 0, 0, -1, -1, "The box arrives crushed.")]
    assert [(teams, e.after) for teams, e in wait.alike_events()] == [(("Red", "Blue"), -1)]
    assert [m.decision for m in wait.moves] == [2, 2]  # events are not decisions
    endings = pages[2]
    assert isinstance(endings, EndingsPage)
    red = endings.teams[0]
    assert red.moves == 2 and red.drop is None  # an event is never a team's biggest drop
    assert [("»" if isinstance(x, TeamEvent) else x.step[0].upper(), x.after) for x in red.timeline] == [
        ("»", -1), ("E", 0), ("»", -1), ("C", 1)]
    assert endings.teams[1].drop.choice_id == "call-back" and endings.teams[1].drop.change == -1


def test_a_stored_run_keeps_its_events_for_the_exports(level, tmp_path):
    """Store schema 8: the run's events with their words; the workbook's Moves sheet has a row
    for each, the xAPI an `experienced` statement, the CSV a row with step `event`."""
    from game.commands.results import csv_rows, xapi_statements
    from game.workbook import build as workbook

    rnd = played_round(level)
    with Store(tmp_path / "room.sqlite3") as store:
        for team in rnd.teams:
            store.record_run(team.name, level.id, "events", team.state, score(level, team.state),
                             mode="classroom", room="r1", team=team.name, lang="en",
                             started_at="2026-12-01T09:00:00Z", finished_at="2026-12-01T09:10:00Z",
                             move_times=["2026-12-01T09:01:00Z", "2026-12-01T09:02:00Z"],
                             played=played(level, team.state))
        runs = store.runs(room="r1")
    red = runs[0]
    assert red.events == [
        {"scene": "box", "at": 0, "delta": -1, "before": 0, "after": -1,
         "text": {"en": "The box arrives crushed.", "zh": "盒子到了，压扁了。"}},
        {"scene": "wait", "at": 1, "delta": -1, "before": 0, "after": -1,
         "text": {"en": "Three days of silence.", "zh": "三天没有音讯。"}}]
    assert recorded(red).events[1] == SeenEvent("wait", 1, -1, 0, -1, {"en": "Three days of silence.",
                                                                        "zh": "三天没有音讯。"})

    sheet = workbook(runs, lang="en")["Moves"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert [r[2:10] for r in rows] == [
        [None, "box", "The box arrives crushed.", "", "scene event (not a move)", 0, -1, "+0 → -1"],
        [1, "box", "The gift box is crushed.", "When do you need it?", "Explore", -1, 0, "-1 → +0"],
        [None, "wait", "Three days of silence.", "", "scene event (not a move)", 0, -1, "+0 → -1"],
        [2, "wait", "Well?", "Call her back with the new box.", "Confirm", -1, 1, "-1 → +1"]]
    assert rows[0][10].isoformat() == "2026-12-01T09:00:00" and rows[2][10].isoformat() == "2026-12-01T09:01:00"
    assert sheet.max_row == 1 + 8  # two teams, two moves and two events each

    statements = xapi_statements([red])
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs == ["experienced", "answered", "experienced", "answered", "completed", "passed"]
    silence = statements[2]
    ext = "https://moment-of-truth.local/xapi/ext/"
    assert silence["object"]["id"] == "https://moment-of-truth.local/levels/events/scenes/wait/event"
    assert silence["object"]["definition"]["name"] == {"en-US": "Three days of silence.", "zh-CN": "三天没有音讯。"}
    assert silence["result"]["extensions"] == {ext + "delta": -1, ext + "before": 0, ext + "perception": -1}
    assert silence["context"]["extensions"][ext + "after_moves"] == 1
    assert silence["timestamp"] == "2026-12-01T09:01:00.000Z"
    answered = statements[3]["result"]["extensions"]
    assert answered[ext + "before"] == -1 and answered[ext + "perception"] == 1 and answered[ext + "delta"] == 2
    assert statements[3]["context"]["extensions"][ext + "move"] == 2  # events do not count as moves

    rows = csv_rows([red])
    assert [r[18:24] for r in rows] == [["", "box", "", "event", -1, -1], [1, "box", "ask", "explore", 1, 0],
                                        ["", "wait", "", "event", -1, -1], [2, "wait", "call-back", "confirm", 2, 1]]
    assert rows[0][16] == 52 and [r[16] for r in rows[1:]] == ["", "", ""]  # points once per run


def test_played_off_the_replay_keeps_the_events(level):
    """A state the level does not replay from the start (here: its first move left out) is
    described from where it stands, with the events it had met by then."""
    from game.engine import State

    full = Game(level).play(["ask", "call-back"])
    odd = State(scene=None, perception=full.perception, ending=full.ending, flags=full.flags,
                found=full.found, moves=full.moves[1:], events=full.events)
    seen = played(level, odd)
    assert [m.line for m in seen.moves] == [{"en": "Well?", "zh": "怎么样了？"}]
    assert [(e.scene, e.at, e.after) for e in seen.events] == [("box", 0, -1), ("wait", 1, -1)]


# -- the hot-seat classroom (Pilot) ---------------------------------------------------------------

def board_text(screen) -> str:
    from game.tui.widgets.team_board import TeamBoard

    return str(screen.query_one(TeamBoard).content)


def event_shown(screen) -> str:
    found = screen.query("#stage #event")
    return found.first().text if found else ""


async def test_the_classroom_shows_each_teams_events_and_scores_them(tmp_path, monkeypatch):
    from game.tui.classroom_app import ClassroomApp
    from game.tui.screens.class_debrief import ClassDebriefScreen
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.podium import PodiumScreen
    from game.tui.widgets.countdown import Countdown
    from tests.test_class_debrief import on_page, shown
    from tests.test_classroom import note_up, start_round
    from tests.tui_helpers import FakeClock, wait_for, wait_for_screen

    monkeypatch.setattr(Countdown, "default_clock", FakeClock())  # no turn lost to the clock
    library = events_library()
    app = ClassroomApp(shuffle=False, levels=[library.level("events")], teams=["Red", "Blue"], timer=60,
                       library=library, store=Store(tmp_path / "room.sqlite3"), lang="en", room="r1")

    def turn(team: str, needle: str):
        return lambda s: (isinstance(s, ClassroomScreen) and s.last is None and not s.round.over
                          and s.round.current.name == team and needle in event_shown(s))

    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_round(pilot)
        # Red opens on the crushed box: the event (not a move), the board already at −1.
        await wait_for(pilot, lambda: turn("Red", BOX)(app.screen), what="Red's opening event")
        assert event_shown(screen) == BOX
        assert "Red   -1 partly unmet" in board_text(screen) and "Blue   -1 partly unmet" in board_text(screen)
        assert "0 moves" in board_text(screen)
        await pilot.press("2")  # ask: +1, into `wait`, whose silence moves the meter again
        await wait_for(pilot, lambda: note_up(app.screen) and "Three days" in event_shown(app.screen),
                       what="Red's note with the silence that follows")
        assert str(screen.query_one("#coach-meter", Static).render()) == "-1 → +0 neutral (no expectation)"
        assert event_shown(screen) == SILENCE  # below the note: the board's −1 has its reason
        assert "Red   -1 partly unmet" in board_text(screen) and "  1 move\n" in board_text(screen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: turn("Blue", BOX)(app.screen), what="Blue's opening event")
        await pilot.press("1")  # promise
        await wait_for(pilot, lambda: note_up(app.screen), what="Blue's note")
        await pilot.press("enter")
        await wait_for(pilot, lambda: turn("Red", SILENCE)(app.screen), what="Red's turn in the silence")
        await pilot.press("1")  # call-back: +2 (no promise was made) → +1, an ending
        await wait_for(pilot, lambda: note_up(app.screen), what="Red's last note")
        assert not app.screen.query("#stage #event")  # an ending has no event
        await pilot.press("enter")
        await wait_for(pilot, lambda: turn("Blue", SILENCE)(app.screen), what="Blue's turn in the silence")
        await pilot.press("1")  # call-back after a promise: −1 → −2
        await wait_for(pilot, lambda: note_up(app.screen), what="Blue's last note")
        await pilot.press("enter")
        podium = await wait_for_screen(pilot, PodiumScreen, focus=False)
        assert [(s.team, s.points, s.result.mot_score) for s in podium.round.standings()] == [
            ("Red", 52, 1), ("Blue", 20, -2)]
        # The class debrief: the event before the moves, the paths with a » column.
        await pilot.press("c")
        debrief = await wait_for_screen(pilot, ClassDebriefScreen,
                                        on_page(0, "» Event: The box arrives crushed."))
        assert "Red, Blue  +0 → -1 partly unmet" in shown(debrief)
        side = "\n".join(str(w.render()) for w in debrief.query("#cd-side Static"))
        assert "  »  E  »  C\n -1 +0 -1 +1" in side and "  »  O  »  C\n -1 +0 -1 -2" in side
    # The runs went to the room with their events.
    runs = Store(tmp_path / "room.sqlite3").runs(room="r1")
    assert [(r.team, r.mot_score, [(e["scene"], e["at"]) for e in r.events]) for r in runs] == [
        ("Red", 1, [("box", 0), ("wait", 1)]), ("Blue", -2, [("box", 0), ("wait", 1)])]


# -- vote mode (Pilot, with a phone) --------------------------------------------------------------

async def test_the_vote_projector_and_the_phone_show_the_event(tmp_path):
    import aiohttp

    from game.tui.screens.vote import VoteScreen
    from game.tui.vote_app import VoteApp
    from game.tui.widgets.meter import PerceptionMeter
    from game.vote.room import OPEN, REVEALED, VoteRoom
    from game.vote.server import listen_socket
    from tests.tui_helpers import wait_for, wait_for_screen

    library = events_library()
    sock = listen_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = VoteApp(levels=[library.level("events")], vote_room=VoteRoom("v1", code="2468"),
                  public_url=f"http://127.0.0.1:{port}", sock=sock, host="127.0.0.1", port=port,
                  library=library, store=Store(tmp_path / "room.sqlite3"), lang="en", room="v1",
                  shuffle=False, poll_timeout=30.0)

    def open_at(number: int, needle: str):
        return lambda s: (isinstance(s, VoteScreen) and app.vote_room.status == OPEN
                          and app.vote_room.decision.number == number and needle in event_shown(s))

    async with app.run_test(size=(130, 44)) as pilot:
        screen = await wait_for_screen(pilot, VoteScreen, open_at(1, BOX), what="decision 1 and its event")
        assert event_shown(screen) == BOX
        assert screen.query_one("#meter", PerceptionMeter).value == -1
        async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}") as phone:
            async with phone.post("/join", json={"code": "2468", "nickname": "p1", "lang": "zh"},
                                  timeout=aiohttp.ClientTimeout(total=30)) as r:
                token = (await r.json())["token"]

            async def state() -> dict:
                async with phone.get("/state", headers={"X-Mot-Token": token},
                                     timeout=aiohttp.ClientTimeout(total=30)) as r:
                    return await r.json()

            assert (await state())["decision"]["event"] == "盒子到了，压扁了。"
            await pilot.press("l")
            await wait_for(pilot, lambda: app.vote_room.status != OPEN, what="the lock")
            await pilot.press("2")  # the trainer plays ask
            await wait_for(pilot, lambda: app.vote_room.status == REVEALED and bool(screen.query("#coach")),
                           what="the consequence")
            assert screen.query_one("#meter", PerceptionMeter).value == 0  # the move alone, for now
            assert not screen.query("#stage #event")
            # A language switch recomposes: the meter stays where the class saw it.
            for lang in ("zh", "en"):
                await pilot.press("f2")
                await wait_for(pilot, lambda: screen.query_one("#meter", PerceptionMeter).lang == lang,
                               what=f"the projector in {lang}")
                assert screen.query_one("#meter", PerceptionMeter).value == 0
            await pilot.press("r")
            await wait_for(pilot, lambda: open_at(2, SILENCE)(app.screen), what="decision 2 and its event")
            await wait_for(pilot, lambda: screen.query_one("#meter", PerceptionMeter).value == -1,
                           what="the meter to take the silence")
            assert (await state())["decision"]["event"] == "三天没有音讯。"


def test_the_class_debrief_of_stored_runs_and_of_runs_older_than_schema_8(level, tmp_path):
    """`mot debrief --room`: the events come from the stored runs; a run stored without them
    (before schema 8) gets them from the meter's jumps, with the level's words."""
    from dataclasses import replace

    rnd = played_round(level)
    with Store(tmp_path / "room.sqlite3") as store:
        for team in rnd.teams:
            store.record_run(team.name, level.id, "events", team.state, score(level, team.state),
                             mode="classroom", room="r1", team=team.name, lang="en",
                             played=played(level, team.state))
        runs = store.runs(room="r1")
    expected = [("Red", "box", 0, 0, -1, "盒子到了，压扁了。"), ("Red", "wait", 1, 0, -1, "三天没有音讯。"),
                ("Blue", "box", 0, 0, -1, "盒子到了，压扁了。"), ("Blue", "wait", 1, 0, -1, "三天没有音讯。")]

    def events(pages) -> list:
        return [(e.team, e.scene, e.at, e.before, e.after, e.text.get("zh"))
                for t in pages[-1].teams for e in t.events]

    assert events(build(level, runs)) == expected
    older = [replace(r, events=None) for r in runs]
    assert events(build(level, older)) == expected
    assert [(e.scene, e.at, e.delta) for e in recorded(older[1], level).events] == [("box", 0, -1), ("wait", 1, -1)]


def test_the_phone_page_has_a_line_for_the_event():
    from game.vote.page import PAGE

    assert '<p class="event" id="event"></p>' in PAGE
    assert '$("event").textContent = d.event ? "» " + d.event : "";' in PAGE


async def test_an_exam_classroom_in_chinese_shows_the_event_without_the_meter(tmp_path, monkeypatch):
    """Exam mode hides every meter (the board says ?): the event's words show, its change does
    not. At 80×24, in Chinese."""
    from game.tui.classroom_app import ClassroomApp
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.widgets.countdown import Countdown
    from tests.test_classroom import note_up, start_round
    from tests.tui_helpers import FakeClock, wait_for

    monkeypatch.setattr(Countdown, "default_clock", FakeClock())
    library = events_library()
    app = ClassroomApp(shuffle=False, levels=[library.level("events")], teams=["红队", "蓝队"], timer=60,
                       library=library, store=Store(tmp_path / "room.sqlite3"), lang="zh", room="r1",
                       exam=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_round(pilot)
        await wait_for(pilot, lambda: event_shown(app.screen) == "» 盒子到了，压扁了。", what="the event, no meter")
        assert "红队   ?" in board_text(screen)
        await pilot.press("2")
        await wait_for(pilot, lambda: note_up(app.screen), what="the held note")
        assert event_shown(screen) == "» 三天没有音讯。"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClassroomScreen) and app.screen.last is None
                       and app.screen.round.current.name == "蓝队" and event_shown(app.screen) == "» 盒子到了，压扁了。",
                       what="蓝队's turn and its event")
        # With the meter (coach mode) the change is in full-width brackets under zh:
        from game.tui.widgets.scene_view import event_text

        assert event_text(screen.round.level, screen.round.current.state, "zh") == \
            "» 盒子到了，压扁了。  （+0 → -1 部分没有符合期望）"
