"""Screens built while the learner reads (game/tui/prepared.py): the debrief behind the last
coach note, the first scene behind the briefing; Enter only shows them. Built ahead or at Enter,
it is the same screen; whatever changes what it would show (a step back, the language, the
theme) drops the one built ahead, and so does leaving."""

from __future__ import annotations

from dataclasses import replace

from datetime import datetime, timezone

from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.campaign_map import CampaignMapScreen
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.footer import MotFooter
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import (choose, choosing, go_on, make_app, open_first_level, open_map, wait_for,
                               wait_for_screen)


async def to_last_note(pilot, card: int = 1) -> SceneScreen:
    """From the title to the level's last coach note, pressing `card` at every scene."""
    scene = await open_first_level(pilot)
    while True:
        await choose(pilot, card)
        if scene.state.finished:
            return scene
        await go_on(pilot)


async def prepared(pilot, scene: SceneScreen) -> DebriefScreen:
    await wait_for(pilot, lambda: scene._debrief.ready,
                   what="the debrief built behind the last note")
    return scene._debrief.screen


async def last_note_with_debrief(pilot) -> tuple[SceneScreen, DebriefScreen]:
    """The level's last coach note, once the debrief has been built behind it."""
    scene = await to_last_note(pilot)
    return scene, await prepared(pilot, scene)


async def enter_debrief(pilot) -> DebriefScreen:
    await pilot.press("enter")
    return await wait_for_screen(pilot, DebriefScreen, lambda s: s.query("#score-line"))


def shown(screen) -> str:
    """What the learner reads on the debrief's score tab, in order."""
    return "\n".join(str(w.render()) for w in screen.query("#tab-score DynamicScroll > *"))


async def play_to_debrief(tmp_path, wait: bool, lang: str = "en") -> tuple[str, int, bool]:
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await to_last_note(pilot)
        built = await prepared(pilot, scene) if wait else None
        debrief = await enter_debrief(pilot)
        runs = app.store.runs(player="tester")
        assert len(runs) == 1 and not scene.is_attached  # recorded once; the scene is gone
        assert debrief.focused is debrief.query_one("#tab-score DynamicScroll")  # ↓ reads on
        return shown(debrief), debrief.result.mot_score, debrief is built


async def test_enter_shows_the_debrief_built_behind_the_note_and_it_is_the_same(tmp_path):
    ahead, score_ahead, was_built = await play_to_debrief(tmp_path / "a", wait=True)
    at_enter, score_at_enter, _ = await play_to_debrief(tmp_path / "b", wait=False)
    assert was_built
    assert score_ahead == score_at_enter and "Moment-of-truth score" in ahead
    assert ahead == at_enter


async def test_a_step_back_drops_it_and_the_debrief_shows_the_new_last_move(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene, old = await last_note_with_debrief(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: not scene.state.finished and scene.can_choose())
        assert scene._debrief.screen is None and not old.is_attached
        offered = scene.game.offered(scene.state)
        other = next(i for i, c in enumerate(offered, 1) if c.id != old.state.moves[-1].choice)
        await choose(pilot, other)
        debrief = await enter_debrief(pilot)
        assert debrief is not old and debrief.state.moves[-1].choice == offered[other - 1].id
        assert debrief.practice_from is not None  # a stepped-back attempt is practice


async def test_switching_language_on_the_last_note_rebuilds_it_in_the_new_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene, english = await last_note_with_debrief(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == "zh" and scene._debrief.ready
                       and scene._debrief.screen is not english)
        assert not english.is_attached
        debrief = await enter_debrief(pilot)
        assert "关键时刻分数" in str(debrief.query_one("#score-line").render())


async def test_leaving_the_level_on_its_last_note_drops_it_and_records_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene, built = await last_note_with_debrief(pilot)
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen, focus=False)
        await pilot.press("y")
        await wait_for(pilot, lambda: not scene.is_attached and not built.is_attached,
                       what="the scene and the debrief built for it gone")
        assert app.store.runs(player="tester") == []
        assert not any(isinstance(s, DebriefScreen) for s in app.screen_stack)


async def test_quitting_with_a_debrief_built_ahead_exits_cleanly(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await to_last_note(pilot)
        await prepared(pilot, scene)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running or app.return_code is not None, what="the app to quit")
    assert app.return_code == 0


async def test_no_debrief_is_built_ahead_for_a_finale_or_in_exam_mode(tmp_path):
    """A finale's scorecard shows the best scores that this very run may raise; in exam mode
    there is no note to read (Enter is never pressed: the debrief follows the last choice)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await to_last_note(pilot)
        assert scene._can_prepare_debrief()
        scene.level = replace(scene.level, scorecard=True)
        assert not scene._can_prepare_debrief()
    app = make_app(tmp_path / "exam", exam=True)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await open_first_level(pilot)
        while not scene.state.finished:
            await choose(pilot, 1)
        debrief = await wait_for_screen(pilot, DebriefScreen, lambda s: s.query("#score-line"))
        assert scene._debrief.screen is None and len(app.store.runs(player="tester")) == 1 and debrief.result


async def test_a_theme_changed_after_it_was_built_gets_a_debrief_styled_in_the_new_theme(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene, built = await last_note_with_debrief(pilot)
        app.theme = next(name for name in app.available_themes if name != app.theme)
        debrief = await enter_debrief(pilot)
        assert debrief is not built and not built.is_attached


# -- the first scene, behind the briefing ------------------------------------------------------
async def briefing(pilot) -> tuple[BriefingScreen, SceneScreen]:
    """The first level's briefing, once its first scene has been built behind it."""
    await open_map(pilot)
    await pilot.press("enter")
    brief = await wait_for_screen(pilot, BriefingScreen)
    await wait_for(pilot, lambda: brief._scene.ready,
                   what="the first scene built behind the briefing")
    return brief, brief._scene.screen


async def test_enter_on_the_briefing_shows_the_scene_built_behind_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        brief, built = await briefing(pilot)
        pressed = datetime.now(timezone.utc)
        await pilot.press("enter")
        scene = await wait_for_screen(pilot, SceneScreen, choosing)
        assert scene is built and not brief.is_attached
        assert scene.started_at >= pressed  # the level's time starts at Enter, not when it was built
        assert scene.query_one(PerceptionMeter).value == scene.level.perception
        keys = [key.description for key in scene.query_one(MotFooter)._keys]
        assert "Choose" in keys and "Leave" in keys
        await choose(pilot, 1)  # and it plays
        assert len(scene.state.moves) == 1 and scene.query("#continue")


async def test_going_back_from_the_briefing_drops_the_scene_built_behind_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        brief, built = await briefing(pilot)
        await pilot.press("escape")
        await wait_for_screen(pilot, CampaignMapScreen, focus=False)
        await wait_for(pilot, lambda: not built.is_attached and not brief.is_attached,
                       what="the briefing and the scene built behind it gone")
        assert app.store.progress("tester") is None


async def test_a_language_switch_on_the_briefing_gives_a_scene_in_the_new_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        brief, english = await briefing(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == "zh" and brief.query("#start"))
        await pilot.press("enter")
        scene = await wait_for_screen(pilot, SceneScreen, choosing)
        assert scene is not english and not english.is_attached
        assert "选择" in [key.description for key in scene.query_one(MotFooter)._keys]


def test_a_scene_that_starts_a_countdown_on_mount_is_never_built_ahead():
    class Room:
        def scene_widgets(self, screen):
            return [object()]

    class Solo:
        pass

    assert not SceneScreen.preparable(Room()) and SceneScreen.preparable(Solo())


async def test_a_scene_built_at_one_width_and_shown_at_another_fits_the_new_one(tmp_path):
    """The browser tab (or terminal) is resized while the briefing is read: the scene built
    behind it at 120 columns is shown at 80 with the narrow layout (no portrait, compact meter)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        brief, built = await briefing(pilot)
        assert not built.has_class("-narrow")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: app.size.width == 80)
        await pilot.press("enter")
        scene = await wait_for_screen(pilot, SceneScreen, choosing)
        assert scene is built and scene.has_class("-narrow") and scene.query_one(PerceptionMeter).compact
