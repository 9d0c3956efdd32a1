"""The debrief's interaction analysis sheet teaches: every move's coach note (in exam mode too,
where this is the first time they are shown), the best move among those offered, and rewind:
play again from just before any move, as practice that never counts."""

from __future__ import annotations

from pathlib import Path

from game.library import Library, load_folder
from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.meter import PerceptionMeter
from tests.tui_helpers import wait_for

ROOT = Path(__file__).resolve().parent.parent


def story_app(tmp_path, **kwargs) -> MotApp:
    entry, _ = load_folder(ROOT / "levels" / "who-killed-the-order")
    return MotApp(lang=kwargs.pop("lang", "en"), library=Library(ROOT / "levels", campaigns=[entry]),
                  store=Store(tmp_path / "mot.sqlite3"), player="tester", unlock_all=True, **kwargs)


async def until(pilot, condition) -> None:
    await wait_for(pilot, condition)


async def play(pilot, app, level, pick) -> DebriefScreen:
    """Play `level` by pressing the number of the card `pick(offered)` names, to the debrief."""
    app.push_screen(SceneScreen(level))
    await until(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.game is not None)
    scene = app.screen
    while True:
        offered = scene.game.offered(scene.state)
        before = len(scene.state.moves)
        await pilot.press(str(offered.index(pick(offered)) + 1))
        await until(pilot, lambda: len(scene.state.moves) == before + 1)
        if not app.exam:
            await until(pilot, lambda: scene.last_choice is not None)
            await pilot.press("enter")
            await until(pilot, lambda: scene.last_choice is None or isinstance(app.screen, DebriefScreen))
        if scene.state.finished:
            await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
            return app.screen
        await until(pilot, lambda: scene.state.scene is not None and scene.query("#choices"))


def worst(offered):
    return min(offered, key=lambda c: c.delta)


async def open_moves_tab(pilot, debrief) -> None:
    """By keyboard, as a learner would: → walks from the Score tab to the Moves tab."""
    await pilot.press("right")
    await until(pilot, lambda: debrief.query_one("#tabs").active == "tab-moves"
                and debrief.query("#tab-moves .sheet-head"))
    assert debrief.focused is debrief.query_one("#tab-moves DynamicScroll")  # ↓ PgDn read on


async def test_exam_mode_debrief_shows_every_coach_note(tmp_path):
    app = story_app(tmp_path, exam=True, seed=4)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.wait_for_library()
        level = app.library.campaigns[0].levels[1]
        debrief = await play(pilot, app, level, worst)
        await open_moves_tab(pilot, debrief)
        texts = [p.text for p in debrief.query("#tab-moves Prose")]
        for move in debrief.state.moves:
            note = level.scenes[move.scene].choice(move.choice).feedback.get("en")
            assert any(note in t for t in texts), note


async def test_rewind_from_move_three_is_practice(tmp_path):
    app = story_app(tmp_path, seed=4)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.wait_for_library()
        level = app.library.campaigns[0].levels[1]
        debrief = await play(pilot, app, level, worst)
        played = debrief.state
        assert len(played.moves) >= 3
        best_before = app.store.best_scores("tester")[level.id]
        await open_moves_tab(pilot, debrief)
        debrief.query_one("#rewind-3").press()
        await until(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.query("#choices"))
        scene = app.screen
        assert [m.choice for m in scene.state.moves] == [m.choice for m in played.moves[:2]]
        assert scene.state.scene == played.moves[2].scene
        assert scene.state.perception == played.moves[1].perception
        assert scene.query_one(PerceptionMeter).value == played.moves[1].perception
        assert scene.game.seed == 4 and scene.practice_from == 3
        # Finish the practice with the ideal moves: a better score, but it does not count.
        while not scene.state.finished:
            offered = scene.game.offered(scene.state)
            choice = next((c for c in offered if c.ideal), offered[0])
            before = len(scene.state.moves)
            await pilot.press(str(offered.index(choice) + 1))
            await until(pilot, lambda: len(scene.state.moves) == before + 1 and scene.last_choice is not None)
            await pilot.press("enter")
            await until(pilot, lambda: scene.last_choice is None or isinstance(app.screen, DebriefScreen))
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        practice = app.screen
        assert practice.practice_from == 3
        assert app.store.best_scores("tester")[level.id] == best_before
        assert len(app.store.runs(player="tester")) == 1
        assert "Practice attempt" in str(practice.query_one("#practice-note").render())


async def test_step_back_in_coach_mode(tmp_path):
    app = story_app(tmp_path, seed=4)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.wait_for_library()
        level = app.library.campaigns[0].levels[1]
        app.push_screen(SceneScreen(level))
        await until(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.game is not None)
        scene = app.screen
        start = scene.state
        await pilot.press("1")
        await until(pilot, lambda: scene.last_choice is not None)
        await pilot.press("u")
        await until(pilot, lambda: not scene.state.moves and scene.query("#choices"))
        assert scene.state.perception == start.perception and scene.practice_from == 1
        assert "practice" in str(scene.query_one("#progress").render())


async def test_name_the_step_practice(tmp_path):
    """With the title-screen setting on, the learner names each move's step before the note;
    the note says right or wrong, and the debrief shows model knowledge n/m."""
    app = story_app(tmp_path, seed=4)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.wait_for_library()
        await pilot.press("k")
        await until(pilot, lambda: app.name_step)
        assert app.store.get_setting("name_step") == "1"
        level = app.library.campaigns[0].levels[1]
        app.push_screen(SceneScreen(level))
        await until(pilot, lambda: isinstance(app.screen, SceneScreen) and app.screen.game is not None)
        scene = app.screen
        right = wrong = 0
        while not scene.state.finished:
            offered = scene.game.offered(scene.state)
            choice = next((c for c in offered if c.ideal), offered[0])
            before = len(scene.state.moves)
            await pilot.press(str(offered.index(choice) + 1))
            await until(pilot, lambda: len(scene.state.moves) == before + 1 and scene.query("#name-step"))
            assert not scene.query("#feedback")  # the note waits for the answer
            # … and Enter does not skip it: no Continue in the Footer, the move stays unnamed
            assert not any(b.action == "continue" for _, b, enabled, _ in scene.active_bindings.values() if enabled)
            await pilot.press("enter")
            await pilot.pause()
            assert scene.naming and scene.last_choice is choice and scene.query("#name-step")
            say = choice.step if before % 2 == 0 else next(s for s in ("explore", "offer", "act", "confirm")
                                                           if s != choice.step)
            right, wrong = (right + 1, wrong) if say == choice.step else (right, wrong + 1)
            await pilot.press(say[0])
            await until(pilot, lambda: scene.query("#named"))
            assert ("✓" in str(scene.query_one("#named").render())) == (say == choice.step)
            await pilot.press("enter")
            await until(pilot, lambda: scene.last_choice is None or isinstance(app.screen, DebriefScreen))
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        knowledge = str(app.screen.query_one("#knowledge").render())
        assert f"{right}/{right + wrong}" in knowledge


async def test_the_sheet_never_holds_up_a_move_the_learner_was_not_offered(tmp_path):
    """Three deliberately poor paths through a story level, in exam mode: on every move the
    sheet's best move is one of the cards the learner was shown at that point, in words."""
    import random

    rng = random.Random(7)
    pickers = [lambda offered: min(offered, key=lambda c: c.delta),
               lambda offered: offered[-1],
               lambda offered: rng.choice([c for c in offered if not c.ideal] or offered)]
    for n, pick in enumerate(pickers):
        app = story_app(tmp_path / str(n), exam=True, seed=11 + n)
        async with app.run_test(size=(100, 40)) as pilot:
            await app.wait_for_library()
            level = app.library.campaigns[0].levels[1]
            shown: list[list[str]] = []

            def remember(offered, shown=shown):
                shown.append([c.id for c in offered])
                return pick(offered)

            debrief = await play(pilot, app, level, remember)
            await open_moves_tab(pilot, debrief)
            texts = " ".join(p.text for p in debrief.query("#tab-moves Prose"))
            assert len(debrief.advice) == len(shown) == len(debrief.state.moves)
            for tip, offered in zip(debrief.advice, shown):
                assert tip.best.id in offered
                if not tip.was_best:
                    assert tip.best.text.get("en") in texts
