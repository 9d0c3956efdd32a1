"""SVG snapshots of the title, a scene and a debrief, in both languages, at two sizes.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui_helpers import make_app

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]


async def _settle(pilot, screen_type):
    """Wait until `screen_type` is showing with a focused widget: a loaded machine is slow."""
    for _ in range(100):
        await pilot.pause()
        screen = pilot.app.screen
        busy = any(worker.is_running for worker in pilot.app.workers)
        if isinstance(screen, screen_type) and screen.focused is not None and not busy:
            break
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _to_scene(pilot):
    from game.tui.screens.scene import SceneScreen

    await pilot.press("m")
    await pilot.pause()
    await pilot.press("enter", "enter")
    await _settle(pilot, SceneScreen)


async def _to_debrief(pilot):
    from game.tui.screens.debrief import DebriefScreen

    await _to_scene(pilot)
    for _ in range(5):
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
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
