"""SVG snapshots of the classroom on a laptop (80×24) and on a projector (120×35), in both
languages: a hot-seat turn with its labelled countdown and a skipped turn in the banner, the
room's scoreboard with a team that left, and a campaign's podium (running total, each round's
points, a team marked for a turn fewer).

Update with `pytest tests/test_classroom_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.test_tui_snapshots import LANGS, _settle
from tests.tui_helpers import FakeClock

SIZES = [(80, 24), (120, 35)]


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    """The countdown reads a clock that never moves: the digits are the same in every run."""
    from game.tui.widgets.countdown import Countdown

    monkeypatch.setattr(Countdown, "default_clock", FakeClock())


def hot_seat(tmp_path, lang: str, **kwargs):
    from game.store import Store
    from game.tui.classroom_app import ClassroomApp
    from tests.tui_helpers import tutorial_library

    library = tutorial_library()
    levels = [library.level(i) for i in kwargs.pop("levels", ("first-call",))]
    return ClassroomApp(shuffle=False, levels=levels, teams=["红队", "蓝队", "绿队"], timer=60,
                        library=library, store=Store(tmp_path / "room.sqlite3"), lang=lang,
                        room="周一班", **kwargs)


async def _start(pilot):
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.round_briefing import RoundBriefingScreen
    from game.tui.widgets.choice_card import ChoiceCard

    await _settle(pilot, RoundBriefingScreen)
    await pilot.press("enter")
    await _settle(pilot, ClassroomScreen, lambda s: s.query(ChoiceCard) and s.last is None)


async def _turn(pilot, number: int | None):
    """The team whose turn it is plays `number` (None: the trainer skips it); the next team's cards."""
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.widgets.choice_card import ChoiceCard

    screen = pilot.app.screen
    team = screen.round.current
    if number is None:
        await pilot.press("s")
    else:
        await pilot.press(str(number))
        await _settle(pilot, ClassroomScreen, lambda s: s.last is not None)
        await pilot.press("enter")
    await _settle(pilot, ClassroomScreen, lambda s: s.last is None and s.round.current is not team
                  and s.query(ChoiceCard) and [c.choice for c in s.query(ChoiceCard)] == s.round.choices())


async def _hot_seat(pilot):
    await _start(pilot)
    await _turn(pilot, 1)  # 红队 plays; 蓝队 is skipped: the banner says so until the next move
    await _turn(pilot, None)


async def _podium(pilot):
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.confirm import ConfirmScreen
    from game.tui.screens.podium import PodiumScreen

    await _start(pilot)  # round 2 of 2: 蓝队 opens
    await _turn(pilot, 1)
    await _turn(pilot, 4)
    await pilot.press("e")  # 红队 has not played this pass: it would play first …
    await _settle(pilot, ConfirmScreen)
    await pilot.press("y")
    await _settle(pilot, ClassroomScreen, lambda s: s.round.closing_at is not None)
    await pilot.press("e")  # … but the trainer ends it now: the podium marks 红队
    await _settle(pilot, ConfirmScreen)
    await pilot.press("y")
    await _settle(pilot, PodiumScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_hot_seat(snap_compare, tmp_path, lang, size):
    assert snap_compare(hot_seat(tmp_path, lang), terminal_size=size, run_before=_hot_seat)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_campaign_podium(snap_compare, tmp_path, lang, size):
    saved = {"round_index": 1, "phase": "briefing",
             "history": [{"level": "first-call", "points": {"红队": 86, "蓝队": 37, "绿队": 10}}]}
    app = hot_seat(tmp_path, lang, levels=("first-call", "follow-up"), resume=saved)
    assert snap_compare(app, terminal_size=size, run_before=_podium)


def scoreboard(tmp_path, lang: str):
    from datetime import datetime

    from game.engine import Game
    from game.scoring import score
    from game.store import Store
    from game.tui.scoreboard import ScoreboardApp
    from tests.tui_helpers import tutorial_library

    library = tutorial_library()
    level = library.level("first-call")
    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        for team, path in (("红队", ["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"]),
                           ("Blue Team", ["offer-refund", "ask-whose-fault", "loaners-and-note", "five-cs",
                                          "close-ticket"])):
            state = Game(level).play(path)
            store.record_run(team, level.id, "tutorial", state, score(level, state), mode="classroom",
                             room="周一班", team=team, finished_at="2025-03-01T09:00:00Z")
        store.update_live("周一班", "蓝队", level.id, 2, -2, "OO")
        store.update_live("周一班", "Green Team", level.id, 3, 1, "EEO")
        store.save_team_progress("周一班", "Green Team", {"level": level.id, "choices": ["ask-impact"],
                                                          "seed": None, "started_at": "", "left": True})
    app = ScoreboardApp("周一班", db, lang=lang, library=library)
    app.clock = lambda: datetime(2025, 3, 1, 9, 30, 0)
    return app


async def _scoreboard(pilot):
    from game.tui.screens.scoreboard import ScoreboardScreen

    await _settle(pilot, ScoreboardScreen, lambda screen: len(screen.ranking) == 2 and screen.live and screen.left
                  and len(screen.query(".points")) == 2 and "09:30:00" in str(screen.status), focus=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_scoreboard(snap_compare, tmp_path, lang, size):
    assert snap_compare(scoreboard(tmp_path, lang), terminal_size=size, run_before=_scoreboard)
