"""From a choice key press to the screen showing its answer, over a whole level.

The real app plays the level's ideal path and its worst path. For each choice the key event is
posted straight into the app's message queue (as the terminal driver does), and three clocks
stop: when the meter renders the new value (the first feedback), when the coach note is drawn
(its Continue button rendered: the settled screen), and, after Enter, when the next scene is
drawn (its "move n" line rendered). A minimal app that re-renders a Static on a key press is
timed the same way, as the baseline. Target: the meter within one frame (16.7 ms); the settled
screen is what a player waits for before reading on.

    python benchmarks/latency.py [LEVEL-ID]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Button, Static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.analysis import analyse  # noqa: E402
from game.library import load_library  # noqa: E402
from game.store import Store  # noqa: E402
from game.tui.app import MotApp  # noqa: E402
from game.tui.screens.scene import SceneScreen  # noqa: E402
from game.tui.widgets.meter import PerceptionMeter  # noqa: E402

FRAME_MS = 1000 / 60
rendered: dict[str, tuple[object, float]] = {}
settled: list[float] = []  # choice → coach note drawn
next_scene: list[float] = []  # Enter → next scene drawn


def record_renders(cls, name: str, value_of) -> None:
    """Wrap `cls.render` to note the time each new value reaches the screen."""
    original = cls.render

    def render(self):
        rendered[name] = (value_of(self), time.perf_counter())
        return original(self)

    cls.render = render


class Counter(Static):
    pass


class Baseline(App):
    def compose(self):
        yield Counter("0")

    def on_key(self, event: events.Key) -> None:
        self.query_one(Counter).update(event.key)


async def until_rendered(name: str, value, timeout: float = 5.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        seen = rendered.get(name)
        if seen and seen[0] == value:
            return seen[1]
        await asyncio.sleep(0.0005)
    raise TimeoutError(f"{name} never showed {value!r} (last: {rendered.get(name)!r})")


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never settled")
        await pilot.pause()


async def time_baseline(presses: int) -> list[float]:
    app = Baseline()
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for i in range(presses):
            key = str(i % 9 + 1)
            start = time.perf_counter()
            app.post_message(events.Key(key, key))
            times.append((await until_rendered("counter", key) - start) * 1000)
            await pilot.pause()
    return times


async def time_level(library, level, path: list[str]) -> list[float]:
    app = MotApp(lang="zh", library=library, store=Store(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SceneScreen(level, scores={}))
        await pilot.pause()
        screen = app.screen
        for choice_id in path:
            available = [c.id for c in screen.game.offered(screen.state)]  # the shown order
            key = str(available.index(choice_id) + 1)
            expected = screen.game.take(screen.state, screen.game.level.scenes[screen.state.scene].choice(choice_id))
            start = time.perf_counter()
            app.post_message(events.Key(key, key))
            shown = await until_rendered("meter", len(expected.moves))  # its first paint after the move
            times.append((shown - start) * 1000)
            noted = await until_rendered("note", len(expected.moves))
            settled.append((noted - start) * 1000)
            await pilot.pause()
            start = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))  # past the coach note
            if not expected.finished:
                drawn = await until_rendered("progress", len(expected.moves) + 1)
                next_scene.append((drawn - start) * 1000)
            await wait_until(pilot, lambda: screen.last_choice is None or not screen.is_current)
    return times


async def main() -> None:
    record_renders(Counter, "counter", lambda w: str(w.content))
    record_renders(PerceptionMeter, "meter",
                   lambda w: len(w.screen.state.moves) if w.is_attached else None)
    # The coach note's Continue button, and the scene's progress line ("move n"), as drawn.
    record_renders(Button, "note",
                   lambda w: len(w.screen.state.moves) if w.id == "continue" and w.is_attached else None)
    record_renders(Static, "progress", lambda w: (len(w.screen.state.moves) + 1
                                                  if w.id == "progress" and w.is_attached
                                                  and w.screen.last_choice is None else None))
    library = load_library(ROOT / "levels")
    wanted = sys.argv[1] if len(sys.argv) > 1 else None
    levels = [library.level(wanted)] if wanted else sorted(library.levels, key=lambda lv: -len(lv.scenes))[:1]
    times: list[float] = []
    for level in levels:
        report = analyse(level)
        for info in (report.ideal, report.worst):
            if info and not info.scores:
                times += await time_level(library, level, info.choices)
    base = await time_baseline(max(len(times), 10))
    med, worst, bmed = statistics.median(times), max(times), statistics.median(base)
    print(f"level(s): {', '.join(lv.id for lv in levels)}; {len(times)} choices")
    print(f"choice → meter shows it: median {med:.1f} ms, worst {worst:.1f} ms (one frame = {FRAME_MS:.1f} ms)")
    print(f"baseline key → Static shows it: median {bmed:.1f} ms")
    print(f"ratio: {med / bmed:.2f}×; median {'within' if med <= FRAME_MS else 'OVER'} one frame")
    print(f"choice → coach note drawn (settled): median {statistics.median(settled):.1f} ms, "
          f"worst {max(settled):.1f} ms; ratio to baseline {statistics.median(settled) / bmed:.1f}×")
    if next_scene:
        print(f"Enter → next scene drawn: median {statistics.median(next_scene):.1f} ms, "
              f"worst {max(next_scene):.1f} ms; ratio to baseline {statistics.median(next_scene) / bmed:.1f}×")


if __name__ == "__main__":
    asyncio.run(main())
