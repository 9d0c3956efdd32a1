"""Issue 16, point 6: conditional perception deltas, scene events and a campaign's own names for
discovery kinds, on a level worked by hand (tests/fixtures/events/01-events.toml).

The level starts at 0. Entering `box` is an event (−1: the box arrives crushed); `promise` (+1,
sets overpromised) and `ask` (+1) lead to `wait`, whose event is −1 (three days of silence).
There `call-back` is −1 after a promise and +2 otherwise (read on the state BEFORE the move),
`close` is 0. Traces (events marked e), peak (largest |p|, a tie to the later moment), end:

  ask, call-back       −1e 0 −1e +1   peak +1 (move 2)   end +1   MOT +1
  promise, call-back   −1e 0 −1e −2   peak −2 (move 2)   end −2   MOT −2
  ask, close           −1e 0 −1e −1   peak −1 (event 2; close moved nothing)   MOT −1
  promise, close       as above                                                  MOT −1
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.analysis import analyse
from game.balance import balance
from game.cli import main
from game.engine import Event, Game
from game.loader import load_campaign, load_level
from game.scoring import score

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "events"
LEVEL = FOLDER / "01-events.toml"


@pytest.fixture(scope="module")
def level():
    result = load_level(LEVEL, known_levels={"events"})
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.level


@pytest.mark.parametrize("path, trace, peak, peak_move, peak_event, mot, deltas", [
    (["ask", "call-back"], (-1, 0, -1, 1), 1, 2, None, 1, [1, 2]),
    (["promise", "call-back"], (-1, 0, -1, -2), -2, 2, None, -2, [1, -1]),
    (["ask", "close"], (-1, 0, -1, -1), -1, None, 2, -1, [1, 0]),
    (["promise", "close"], (-1, 0, -1, -1), -1, None, 2, -1, [1, 0]),
])
def test_engine_and_score_by_hand(level, path, trace, peak, peak_move, peak_event, mot, deltas):
    state = Game(level).play(path)
    result = score(level, state)
    assert result.trace == trace
    assert result.events == (0, 2)
    assert (result.peak, result.peak_move, result.peak_event, result.mot_score) == (peak, peak_move, peak_event, mot)
    assert [m.delta for m in state.moves] == deltas  # the delta actually applied
    assert len(state.moves) == 2 and state.steps == tuple(level.scenes[m.scene].choice(m.choice).step for m in state.moves)


def test_events_are_not_moves(level):
    game = Game(level)
    start = game.start()
    assert start.perception == -1 and start.moves == ()  # the start scene's event, at the start
    assert start.events == (Event("box", -1, -1, 0, 0),)
    state = game.play(["ask", "close"])
    assert state.events[1] == Event("wait", -1, -1, 0, 1)
    # adherence counts moves only: explore then act (E and A; no offer, no final confirm)
    assert score(level, state).adherence.total == 2
    # the card order depends on the number of moves, never on events
    assert game.offered(game.take(start, level.scenes["box"].choice("ask"))) == game.choices(
        game.take(start, level.scenes["box"].choice("ask")))


def test_analyser_exact(level):
    analysis = analyse(level)
    assert (analysis.best.score, analysis.best.choices) == (1, ["ask", "call-back"])
    assert (analysis.worst.score, analysis.worst.choices) == (-2, ["promise", "call-back"])
    assert analysis.ideal.score == 1 and analysis.paths == 4
    # the start state already holds the start scene's event: meter −1, peak −1
    assert analysis.starts[0][1:3] == (-1, -1)
    report = balance(level, analysis)
    assert report.histogram == {-2: 1, -1: 2, 1: 1}


def test_run_json_exact(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["run", str(LEVEL), "--choices", "ask,close", "--json", "--lang", "en", "--seed", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(p["choice"], p["delta"], p["perception"]) for p in out["path"]] == [("ask", 1, 0), ("close", 0, -1)]
    assert out["events"] == [
        {"scene": "box", "text": "The box arrives crushed.", "delta": -1, "before": 0, "perception": -1,
         "after_moves": 0},
        {"scene": "wait", "text": "Three days of silence.", "delta": -1, "before": 0, "perception": -1,
         "after_moves": 1},
    ]
    assert (out["trace"], out["peak"], out["peak_move"], out["peak_event"]) == ([-1, 0, -1, -1], -1, None, 2)
    assert (out["start"], out["end"], out["mot_score"], out["points"]) == (0, -1, -1, 20 + 10 + 2)


def test_transcript_shows_events_unnumbered(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["run", str(LEVEL), "--choices", "promise,call-back", "--lang", "en", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "» The box arrives crushed.  (-1: +0 → -1 partly unmet)" in out
    assert "» Three days of silence.  (-1: +0 → -1 partly unmet)" in out
    # the change applied, and which `perception` case it was (issue 16)
    assert "2. [C Confirm] Call her back with the new box.  (-1 when overpromised: -1 → -2 unmet)" in out


def test_campaign_kinds():
    campaign = load_campaign(FOLDER / "campaign.toml").campaign
    from game.i18n import kind_name

    assert kind_name("personal-win", "zh", campaign.kinds) == "家人"
    assert kind_name("personal-win", "en", campaign.kinds) == "family"
    assert kind_name("business-win", "en", campaign.kinds) == "business win"


async def test_an_event_shows_on_the_meter_the_trend_and_the_debrief(tmp_path):
    from game.library import Library, load_folder
    from game.store import Store
    from game.tui.app import MotApp
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen
    from game.tui.widgets.meter import PerceptionMeter
    from game.tui.widgets.trend import Trend
    from tests.tui_helpers import wait_for, wait_for_screen

    entry, _ = load_folder(FOLDER)
    library = Library(FOLDER.parent, campaigns=[entry])
    app = MotApp(lang="en", library=library, store=Store(tmp_path / "mot.sqlite3"), shuffle=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SceneScreen(library.level("events")))
        screen = await wait_for_screen(pilot, SceneScreen, lambda s: s.query("#event"))
        assert "The box arrives crushed." in str(screen.query_one("#event").render())
        assert screen.query_one("#meter", PerceptionMeter).value == -1
        assert screen.query_one("#trend", Trend).events == (1,)
        await pilot.press("2")  # ask (+1): the coach note, then Enter into `wait` and its event
        await wait_for(pilot, lambda: app.screen.last_choice is not None, what="the coach note")
        # While the note is about the move, the next scene's event has not happened for the
        # player: neither the meter nor the trend shows it yet.
        assert app.screen.query_one("#meter", PerceptionMeter).value == 0
        assert app.screen.query_one("#trend", Trend).values == (0, -1, 0)
        assert app.screen.query_one("#trend", Trend).events == (1,)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#event") and "Three days" in str(
            app.screen.query_one("#event").render()), what="the silence event")
        assert app.screen.query_one("#meter", PerceptionMeter).value == -1
        assert app.screen.query_one("#trend", Trend).values == (0, -1, 0, -1)
        assert app.screen.query_one("#trend", Trend).events == (1, 3)
        await pilot.press("2")  # close (0)
        await wait_for(pilot, lambda: app.screen.last_choice is not None, what="the coach note")
        await pilot.press("enter")
        debrief = await wait_for_screen(pilot, DebriefScreen, focus=False)
        remembers = str(debrief.query_one("#remembers").render())
        assert "remembers what happened (-1)" in remembers and "Three days of silence." in remembers
