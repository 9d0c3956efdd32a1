"""SVG snapshots of the title, a scene and a debrief, in both languages, at two sizes.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui_helpers import make_app

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]


SETTLE_SECONDS = 120  # a generous deadline: a busy machine is slow, never wrong


async def _settle(pilot, screen_type, ready=lambda screen: True, focus: bool = True):
    """Wait until `screen_type` is showing, with a focused widget (unless `focus` is False: a
    board with nothing to focus), no worker running, and `ready(screen)`: conditions, not a count
    of pauses, so a loaded machine only takes longer."""
    import time

    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        await pilot.pause()
        screen = pilot.app.screen
        busy = any(worker.is_running for worker in pilot.app.workers)
        focused = screen.focused is not None or not focus
        if isinstance(screen, screen_type) and focused and not busy and ready(screen):
            break
        assert time.monotonic() < deadline, f"{screen_type.__name__} never settled (now {screen!r})"
        await pilot.pause(0.02)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def _choosing(screen) -> bool:
    from game.tui.widgets.choice_card import ChoiceCard

    return screen.last_choice is None and bool(screen.query(ChoiceCard))


async def _to_scene(pilot):
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.campaign_map import CampaignMapScreen
    from game.tui.screens.scene import SceneScreen

    await pilot.press("m")
    await _settle(pilot, CampaignMapScreen, lambda screen: bool(screen._entries))  # levels loaded
    await pilot.press("enter")
    await _settle(pilot, BriefingScreen)
    await pilot.press("enter")
    await _settle(pilot, SceneScreen, _choosing)


async def _to_debrief(pilot):
    """Play the first card of every scene, waiting for each state before the next key."""
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen

    await _to_scene(pilot)
    while isinstance(pilot.app.screen, SceneScreen):
        scene = pilot.app.screen
        moves = len(scene.state.moves)
        await pilot.press("1")
        await _settle(pilot, SceneScreen, lambda s: len(s.state.moves) == moves + 1 and s.query("#continue"))
        await pilot.press("enter")
        await _settle(pilot, (SceneScreen, DebriefScreen),
                      lambda s: isinstance(s, DebriefScreen) or _choosing(s))
    await _settle(pilot, DebriefScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_title(snap_compare, tmp_path, lang, size):
    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_scene(snap_compare, tmp_path, lang, size):
    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=size, run_before=_to_scene)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_debrief(snap_compare, tmp_path, lang, size):
    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=size, run_before=_to_debrief)
