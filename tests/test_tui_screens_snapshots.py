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
    await _settle(pilot, CampaignMapScreen)


async def _to_briefing(pilot):
    from game.tui.screens.briefing import BriefingScreen

    await pilot.press("m")
    await pilot.pause()
    await pilot.press("enter")
    await _settle(pilot, BriefingScreen)


async def _to_coach(pilot):
    from game.tui.screens.scene import SceneScreen

    await _to_scene(pilot)
    await pilot.press("1")
    for _ in range(100):
        await pilot.pause()
        if pilot.app.screen.query("#continue"):
            break
    await _settle(pilot, SceneScreen)


async def _to_sheet(pilot):
    await _to_debrief(pilot)
    debrief = pilot.app.screen
    debrief.query_one("#tabs").active = "tab-moves"
    for _ in range(100):
        await pilot.pause()
        if debrief.query("#tab-moves .sheet-head"):
            break
    debrief.query_one("#tab-moves DynamicScroll").focus()
    await pilot.pause()


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
