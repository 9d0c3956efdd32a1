"""Build the real app on a fixed set of levels, for Pilot and snapshot tests, and wait in them for
states (a screen shown, a worker done, a move made) rather than for a number of pauses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen
from textual.worker import WorkerState

from game.library import Library, load_folder
from game.store import Store
from game.tui.app import MotApp
from game.tui.screens.title import TitleScreen

ROOT = Path(__file__).resolve().parent.parent


def tutorial_library() -> Library:
    entry, _ = load_folder(ROOT / "levels" / "tutorial")
    return Library(ROOT / "levels", campaigns=[entry])


def make_app(data_dir: Path, lang: str = "en", **kwargs) -> MotApp:
    """The app on the tutorial. Cards keep the file's order (`shuffle=False`) so tests can press
    the numbers they mean; tests/test_shuffle.py plays with the shuffle on."""
    library = kwargs.pop("library", None) or tutorial_library()
    store = Store(Path(data_dir) / "mot.sqlite3")
    kwargs.setdefault("shuffle", False)
    return MotApp(lang=lang, library=library, store=store, player="tester", **kwargs)


# -- waiting for a state, never for a number of pauses -------------------------------------------
# Keys, screen pushes, workers and timers all finish "some frames later": a test waits for the
# state it needs next. The deadline only stops a broken test; a busy machine just takes longer.
WAIT_SECONDS = 60.0


def idle(app) -> bool:
    """No worker of the app is waiting to start or still running."""
    return not any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)


def _holds(predicate: Callable[[], object]) -> bool:
    """A widget the predicate looks at may be between two frames of a recompose (gone, not yet
    mounted): that is "not yet", not a failure."""
    from textual.css.query import NoMatches

    try:
        return bool(predicate())
    except (NoMatches, IndexError):
        return False


async def wait_for(pilot, predicate: Callable[[], object], timeout: float = WAIT_SECONDS,
                   what: str = "the condition") -> None:
    """Let the app run until `predicate()` is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        if _holds(predicate):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}; still not so "
                                 f"(screen: {pilot.app.screen!r}, workers: {list(pilot.app.workers)!r})")
        await asyncio.sleep(0.02)  # let threads and workers run


async def wait_for_screen(pilot, screen_type, ready: Callable[[Screen], object] | None = None, *,
                          focus: bool = True, timeout: float = WAIT_SECONDS, what: str | None = None):
    """Wait until a `screen_type` is showing, settled (no worker busy, a widget focused unless
    `focus` is False) and `ready(screen)`; returns it."""
    def settled() -> bool:
        screen = pilot.app.screen
        return (isinstance(screen, screen_type) and idle(pilot.app) and (screen.focused is not None or not focus)
                and (ready is None or bool(ready(screen))))

    names = screen_type.__name__ if isinstance(screen_type, type) else "/".join(t.__name__ for t in screen_type)
    await wait_for(pilot, settled, timeout, what or f"{names} to show and settle")
    return pilot.app.screen


# -- the campaign map and a scene ---------------------------------------------------------------
def map_ready(screen) -> bool:
    """The map lists its levels, its list has the focus, and a level is highlighted (what Enter opens)."""
    from textual.widgets import OptionList

    menus = screen.query("#levels")
    if not screen._entries or not menus:
        return False
    menu = menus.first(OptionList)
    option = menu.highlighted_option
    return menu.has_focus and option is not None and (option.id or "").startswith("level:")


async def open_map(pilot):
    """From the title: press m, wait for the map with its levels loaded."""
    from game.tui.screens.campaign_map import CampaignMapScreen

    await wait_for_screen(pilot, TitleScreen, lambda screen: pilot.app.library_ready.is_set(),
                          what="the title, with the levels loaded")
    await pilot.press("m")
    return await wait_for_screen(pilot, CampaignMapScreen, map_ready, what="the map, with its levels listed")


def choosing(screen) -> bool:
    """A scene waits for a choice: its cards are the ones the game offers now."""
    from game.tui.screens.scene import SceneScreen
    from game.tui.widgets.choice_card import ChoiceCard

    if not isinstance(screen, SceneScreen) or screen.state is None or not screen.can_choose():
        return False
    shown = [card.choice.id for card in screen.query(ChoiceCard)]
    return bool(shown) and shown == [c.id for c in screen.game.offered(screen.state)]


def coaching(screen) -> bool:
    """The coach's note is up with its Continue button focused."""
    buttons = screen.query("#continue")
    return screen.last_choice is not None and bool(buttons) and screen.focused is buttons.first()


async def wait_for_scene(pilot):
    """A scene showing the cards of its current state."""
    from game.tui.screens.scene import SceneScreen

    return await wait_for_screen(pilot, SceneScreen, choosing, what="a scene showing its cards")


async def open_first_level(pilot):
    """From the title: the map, its first level, through the briefing, to the scene's cards."""
    from game.tui.screens.briefing import BriefingScreen

    await open_map(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    return await wait_for_scene(pilot)


async def choose(pilot, number: int):
    """Press a card's number once the scene shows its cards; wait for the move and what follows
    it (the coach's note; in exam mode the next cards or the debrief). Returns the scene."""
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen

    scene = await wait_for_scene(pilot)
    moves = len(scene.state.moves)
    await pilot.press(str(number))
    if pilot.app.exam:
        await wait_for_screen(pilot, (SceneScreen, DebriefScreen),
                              lambda s: len(scene.state.moves) == moves + 1
                              and (isinstance(s, DebriefScreen) or choosing(s)),
                              what=f"move {moves + 1} and the next cards")
    else:
        await wait_for_screen(pilot, SceneScreen, lambda s: len(s.state.moves) == moves + 1 and coaching(s),
                              what=f"move {moves + 1} and its coach's note")
    return scene


async def go_on(pilot):
    """Enter past the coach's note; wait for the next cards or the debrief. Returns that screen."""
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen

    await pilot.press("enter")
    return await wait_for_screen(pilot, (SceneScreen, DebriefScreen),
                                 lambda s: isinstance(s, DebriefScreen) or choosing(s),
                                 what="the next cards or the debrief")


class FakeClock:
    """A clock a test moves by hand (for `Countdown`): `clock()` reads it, `advance(s)` moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
