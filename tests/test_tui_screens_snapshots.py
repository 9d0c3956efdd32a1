"""SVG snapshots of every other screen a learner meets, in both languages, at 80×24 and 120×40:
the campaign map, a briefing, the coach's note, the debrief's analysis sheet, help, and a
reference card. (The title, a scene and the debrief's score are in test_tui_snapshots.py.)

Update with `pytest tests/test_tui_screens_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.test_tui_snapshots import LANGS, SIZES, _settle, _to_debrief, _to_scene
from tests.tui_helpers import make_app


async def _to_map(pilot):
    from game.tui.screens.campaign_map import CampaignMapScreen

    await pilot.press("m")
    await _settle(pilot, CampaignMapScreen, lambda screen: bool(screen._entries))


async def _to_briefing(pilot):
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.campaign_map import CampaignMapScreen

    await pilot.press("m")
    await _settle(pilot, CampaignMapScreen, lambda screen: bool(screen._entries))
    await pilot.press("enter")
    await _settle(pilot, BriefingScreen)


async def _to_coach(pilot):
    from game.tui.screens.scene import SceneScreen

    from game.tui.widgets.meter import PerceptionMeter

    await _to_scene(pilot)
    meter = pilot.app.screen.query_one(PerceptionMeter)
    # The flash fades on a timer, which a slow machine could let fire before the snapshot:
    # this meter never clears it, whatever the load.
    meter._clear_flash = lambda: None
    await pilot.press("1")
    await _settle(pilot, SceneScreen, lambda screen: screen.query("#continue") and meter.flash)


async def _to_sheet(pilot):
    from game.tui.screens.debrief import DebriefScreen

    await _to_debrief(pilot)
    await pilot.press("right")  # to the Moves tab, which computes the advice
    await _settle(pilot, DebriefScreen, lambda screen: screen.query("#tab-moves .sheet-head")
                  and screen.focused is screen.query_one("#tab-moves DynamicScroll"))


async def _to_help(pilot):
    from game.tui.screens.help import HelpScreen

    await pilot.press("f1")
    await _settle(pilot, HelpScreen)


async def _to_card(pilot):
    from game.reference import cards
    from game.tui.screens.reference import ReferenceScreen

    pilot.app.push_screen(ReferenceScreen([c for c in cards() if c.id == "five-cs"]))
    await _settle(pilot, ReferenceScreen)


SCREENS = {"map": _to_map, "briefing": _to_briefing, "coach": _to_coach, "sheet": _to_sheet,
           "help": _to_help, "card": _to_card}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, tmp_path, screen, lang, size):
    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=size, run_before=SCREENS[screen])


# -- the classroom's screens, a confirmation and the play-test's error list ----------------------
def classroom_app(tmp_path, lang: str, **kwargs):
    from game.store import Store
    from game.tui.classroom_app import ClassroomApp
    from tests.tui_helpers import tutorial_library

    library = tutorial_library()
    kwargs.setdefault("teams", ["红队", "蓝队"])
    return ClassroomApp(shuffle=False, levels=[library.level("first-call")], timer=0, library=library,
                        store=Store(tmp_path / "room.sqlite3"), lang=lang, room="r1", **kwargs)


async def _round(pilot):
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.round_briefing import RoundBriefingScreen
    from game.tui.widgets.choice_card import ChoiceCard

    await _settle(pilot, RoundBriefingScreen)  # "Round 1/1 · level · you play …"
    await pilot.press("enter")
    await _settle(pilot, ClassroomScreen, lambda screen: screen.query(ChoiceCard) and screen.last is None)


async def _podium(pilot):
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.confirm import ConfirmScreen
    from game.tui.screens.podium import PodiumScreen

    await _round(pilot)
    await pilot.press("1")  # 红队 moves, so the podium has a score to show
    await _settle(pilot, ClassroomScreen, lambda screen: screen.last is not None)
    await pilot.press("enter")
    await _settle(pilot, ClassroomScreen, lambda screen: screen.last is None and screen.round.turn == 1)
    await pilot.press("e")  # 蓝队 has its turn of this pass first, then the podium
    await _settle(pilot, ConfirmScreen)
    await pilot.press("y")
    await _settle(pilot, ClassroomScreen, lambda screen: screen.round.closing_at is not None and screen.last is None)
    await pilot.press("2")
    await _settle(pilot, ClassroomScreen, lambda screen: screen.last is not None)
    await pilot.press("enter")
    await _settle(pilot, PodiumScreen)


async def _team_name(pilot):
    from game.tui.screens.team_name import TeamNameScreen

    await _settle(pilot, TeamNameScreen)


async def _confirm(pilot):
    from game.tui.screens.confirm import ConfirmScreen

    await _to_scene(pilot)
    await pilot.press("escape")
    await _settle(pilot, ConfirmScreen)


async def _errors(pilot):
    from game.tui.screens.errors import ErrorsScreen

    await _settle(pilot, ErrorsScreen)


def app_for(screen: str, tmp_path, lang: str):
    if screen in ("round", "podium"):
        return classroom_app(tmp_path, lang)
    if screen == "team-name":
        return classroom_app(tmp_path, lang, teams=None, ask_team=True)
    if screen == "errors":
        from pathlib import Path

        from game.tui.playtest import PlaytestApp

        broken = Path(__file__).resolve().parent / "broken" / "e008-next-unknown-scene.toml"
        return PlaytestApp(broken.relative_to(Path.cwd()) if broken.is_relative_to(Path.cwd()) else broken,
                           lang=lang, shuffle=False)
    return make_app(tmp_path, lang=lang)


MORE = {"round": _round, "podium": _podium, "team-name": _team_name, "confirm": _confirm, "errors": _errors}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(MORE))
def test_more_screens(snap_compare, tmp_path, screen, lang, size):
    assert snap_compare(app_for(screen, tmp_path, lang), terminal_size=size, run_before=MORE[screen])


# -- the room's scoreboard (with a fixed clock) and the trainer's note --------------------------
def scoreboard_app(tmp_path, lang: str):
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
        state = Game(level).play(["ask-impact", "ask-what-success", "loaners-and-note", "five-cs", "call-grace"])
        store.record_run("红队", level.id, "tutorial", state, score(level, state), mode="classroom",
                         room="周一班", team="红队", finished_at="2025-03-01T09:00:00Z")
        store.update_live("周一班", "蓝队", level.id, 2, -2, "OO")
    app = ScoreboardApp("周一班", db, lang=lang, library=library)
    app.clock = lambda: datetime(2025, 3, 1, 9, 30, 0)
    return app


async def _scoreboard(pilot):
    from game.tui.screens.scoreboard import ScoreboardScreen

    await _settle(pilot, ScoreboardScreen, lambda screen: screen.ranking and screen.live
                  and screen.query(".points") and "09:30:00" in str(screen.status), focus=False)


async def _note(pilot):
    from game.tui.screens.note import NoteScreen

    await _podium(pilot)
    await pilot.press("d")  # on the podium: the level's discussion questions and model answers
    await _settle(pilot, NoteScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_scoreboard_screen(snap_compare, tmp_path, lang, size):
    assert snap_compare(scoreboard_app(tmp_path, lang), terminal_size=size, run_before=_scoreboard)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_note_screen(snap_compare, tmp_path, lang, size):
    assert snap_compare(classroom_app(tmp_path, lang), terminal_size=size, run_before=_note)
