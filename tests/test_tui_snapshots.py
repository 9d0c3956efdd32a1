"""SVG snapshots of the title, a scene and a debrief, in both languages, at two sizes.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui_helpers import make_app

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]


async def _to_scene(pilot):
    await pilot.press("m")
    await pilot.pause()
    await pilot.press("enter", "enter")
    await pilot.pause()


async def _to_debrief(pilot):
    await _to_scene(pilot)
    for _ in range(5):
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    await pilot.pause(0.3)


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
