"""From a choice key press to the meter showing the new value, over a whole level.

The real app plays the level's ideal path and its worst path. For each choice the key event is
posted straight into the app's message queue (as the terminal driver does) and the clock stops
when the meter renders the new value. A minimal app that re-renders a Static on a key press is
timed the same way, as the baseline. Target: median within one frame (16.7 ms).

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
from textual.widgets import Static

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
    raise TimeoutError(f"{name} never showed {value!r}")


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
            available = [c.id for c in screen.game.choices(screen.state)]
            key = str(available.index(choice_id) + 1)
            expected = screen.game.take(screen.state, screen.game.level.scenes[screen.state.scene].choice(choice_id))
            start = time.perf_counter()
            app.post_message(events.Key(key, key))
            shown = await until_rendered("meter", (len(expected.moves), expected.perception))
            times.append((shown - start) * 1000)
            await pilot.pause()
            await pilot.press("enter")  # past the coach note
            await pilot.pause()
    return times


async def main() -> None:
    record_renders(Counter, "counter", lambda w: str(w.content))
    record_renders(PerceptionMeter, "meter",
                   lambda w: (len(w.screen.state.moves), w.value) if w.is_attached else None)
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


if __name__ == "__main__":
    asyncio.run(main())
