"""CPU time of a move, in-process: one whole level played through `App.run_test`, beside a
minimal Textual app given the same keys.

A move is the choice key (until the coach note is drawn) and Enter (until the next scene, or
the debrief, is drawn). For each the process CPU time (`time.process_time`, so threads count)
is taken from the key to the settled screen; then the app idles for `--idle` seconds and the
CPU spent while nothing moves is reported too (timers that keep ticking show up there).

Two ways to drive the app, both printed:
- **driver** (the headline figure): each key goes in through the headless driver, as a
  terminal's would, and the benchmark only sleeps: it looks for the settled screen every 5 ms
  and then waits for a tenth of a second in which the process spends less than half a
  millisecond of CPU (the frame drawn, the meter's steps walked). Nothing but the app works.
- **pilot**: Textual's `Pilot.press` and `pause`, as the tests drive the app. Each `pause` posts
  a callback to every widget of the screen and forces a screen update, so it adds work that
  grows with the number of widgets: the figure is what a test costs, not what a player does.

The minimal app: a Static and a Footer; each key updates the Static. It is driven and timed
the same ways, so the ratio is what this game costs over Textual's own floor.

The scene's shape: the scene screen's layout (header, a scrolling stage beside a bordered side
panel, Footer) drawn with a dozen plain Statics holding the level's own words; the choice key
puts the coach's note where the cards were (and changes the meter's text), Enter puts the
cards back. No animation, no cards, no button, no portrait: what Textual costs for a move on a
screen of this shape and size before the game draws anything of its own.

    python benchmarks/move_cpu.py [--level innocent-messenger] [--runs 3] [--idle 1.0]
    python benchmarks/move_cpu.py --profile out.prof   # cProfile of one level played
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# MOT_BENCH_ROOT: another checkout to measure (benchmarks/serve_load.py --root, before/after).
ROOT = Path(os.environ.get("MOT_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

SIZE = (100, 30)  # what a browser tab of `mot serve` usually asks for


async def until(done, step, deadline: float) -> None:
    """Run `step()` (a pause or a sleep) until `done()` holds; a widget between two frames
    (gone, not yet mounted) is "not yet"."""
    from textual.css.query import NoMatches

    while True:
        await step()
        try:
            if done():
                return
        except (NoMatches, IndexError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the screen never settled")


async def settle(pilot, done, limit: float = 30.0) -> None:
    """Let the app run until `done()` holds and its message queues are idle."""
    await until(done, pilot.pause, time.monotonic() + limit)
    await pilot.pause()


async def settle_quietly(done, limit: float = 30.0, window: float = 0.1) -> None:
    """Sleep until `done()` holds, then until a `window` passes in which the process spends
    under 0.5 ms of CPU: the app has drawn what the key asked for and gone idle."""
    deadline = time.monotonic() + limit
    await until(done, lambda: asyncio.sleep(0.005), deadline)
    while time.monotonic() < deadline:
        cpu = time.process_time()
        await asyncio.sleep(window)
        if time.process_time() - cpu < 0.0005:
            return
    raise TimeoutError("the app never went idle")


class Driver:
    """Presses keys the way `mode` says: "driver" (a key event through the headless driver,
    then sleep until settled) or "pilot" (Pilot.press, then pause until settled)."""

    def __init__(self, app, pilot, mode: str) -> None:
        self.app, self.pilot, self.mode = app, pilot, mode

    async def press(self, key: str, done) -> float:
        """Press `key`, wait until `done()` and the app is settled; the CPU it took, in ms."""
        from textual import events

        start = time.process_time()
        if self.mode == "pilot":
            await self.pilot.press(key)
            await settle(self.pilot, done)
        else:
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(self.app)
            self.app._driver.send_message(event)
            await settle_quietly(done)
        return (time.process_time() - start) * 1000

    async def ready(self, done) -> None:
        if self.mode == "pilot":
            await settle(self.pilot, done)
        else:
            await settle_quietly(done)


async def play_level(level_id: str = "innocent-messenger", idle: float = 0.0, lang: str = "zh",
                     library=None, mode: str = "driver") -> dict:
    """Play the level's ideal path; per-key CPU (ms) for choices and for Enter, idle CPU."""
    from game.analysis import analyse
    from game.library import load_library
    from game.store import Store
    from game.tui.app import MotApp
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen

    library = library or load_library(ROOT / "levels")
    level = library.level(level_id)
    path = analyse(level).ideal.choices
    store = Store(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    app = MotApp(lang=lang, library=library, store=store, player="bench")
    choose_ms, enter_ms, idle_ms, ahead_ms = [], [], [], []
    total_start = time.process_time()
    async with app.run_test(size=SIZE) as pilot:
        keys = Driver(app, pilot, mode)
        await app.push_screen(SceneScreen(level, scores={}))
        await keys.ready(lambda: app.screen.query("ChoiceCard"))
        screen = app.screen
        for n, choice_id in enumerate(path, 1):
            offered = [c.id for c in screen.game.offered(screen.state)]
            key = str(offered.index(choice_id) + 1)
            choose_ms.append(await keys.press(key, lambda: screen.query("#continue") and len(screen.state.moves) == n))
            last = n == len(path)
            if idle:
                start, wall = time.process_time(), time.monotonic()
                await asyncio.sleep(idle)
                if last:  # the debrief is built while the last note is read: wait for it, count it
                    await until(lambda: not hasattr(screen, "_debrief") or screen._debrief.ready,
                                lambda: asyncio.sleep(0.005), time.monotonic() + 30)
                    ahead_ms.append((time.process_time() - start) * 1000)
                else:
                    idle_ms.append((time.process_time() - start) * 1000 / (time.monotonic() - wall))
            enter_ms.append(await keys.press("enter", (lambda: isinstance(app.screen, DebriefScreen)) if last else
                                             (lambda: not screen.query("#continue") and screen.query("ChoiceCard"))))
        total = (time.process_time() - total_start) * 1000
    store.close()
    moves = [a + b for a, b in zip(choose_ms, enter_ms)]
    return {"moves": moves, "choose": choose_ms, "enter": enter_ms, "idle": idle_ms, "total": total,
            "n": len(path), "ahead": ahead_ms}


async def play_minimal(keys: int, idle: float = 0.0, mode: str = "driver") -> dict:
    """The floor: a minimal app given the same number of keys, timed the same way."""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Minimal(App):
        BINDINGS = [("1", "hit('1')", "One"), ("enter", "hit('enter')", "Go")]

        def compose(self):
            yield Static("0", id="counter")
            yield Footer()

        def action_hit(self, key: str) -> None:
            self.hits += 1
            self.query_one("#counter", Static).update(f"{key} {self.hits}")

    app = Minimal()
    app.hits = 0
    per_key, idle_ms = [], []
    total_start = time.process_time()
    async with app.run_test(size=SIZE) as pilot:
        driver = Driver(app, pilot, mode)
        await driver.ready(lambda: app.query("#counter"))
        for n in range(keys):
            per_key.append(await driver.press("1" if n % 2 == 0 else "enter", lambda: app.hits == n + 1))
            if idle and n % 2 == 0:
                start, wall = time.process_time(), time.monotonic()
                await asyncio.sleep(idle)
                idle_ms.append((time.process_time() - start) * 1000 / (time.monotonic() - wall))
        total = (time.process_time() - total_start) * 1000
    moves = [a + b for a, b in zip(per_key[::2], per_key[1::2])]
    return {"moves": moves, "idle": idle_ms, "total": total, "n": len(moves)}


SHAPE_CSS = """
#body { height: 1fr; }
#stage { width: 1fr; padding: 0 1; }
#side { width: 32; border-left: vkey $primary; padding: 0 1; }
#trend { height: 2; margin-top: 1; }
#found-scroll { height: 1fr; margin-top: 1; }
#play { border: round $accent; padding: 0 1; height: auto; }
"""


def shape_texts(level, lang: str = "zh") -> tuple[str, str]:
    """The level's first cards and the note of its first choice, as plain text."""
    scene = level.scenes[level.start]
    cards = "\n".join(f"{i}  {c.text.get(lang)}" for i, c in enumerate(scene.choices, 1))
    first = scene.choices[0]
    note = "\n\n".join(t.get(lang) for t in (first.text, first.feedback, first.thought) if t)
    return cards, note


def shape_compose(level, play: str, lang: str = "zh"):
    """The scene screen's shape (module docstring): `play` is the text where cards or note go.
    benchmarks/serve_load.py serves it too (`--shape`)."""
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.widgets import Footer, Header, Static

    scene = level.scenes[level.start]
    yield Header()
    with Horizontal(id="body"):
        with VerticalScroll(id="stage"):
            yield Static(level.title.get(lang), id="progress")
            yield Static(scene.text.get(lang), id="line")
            yield Static(play, id="play")
        with Vertical(id="side"):
            yield Static("\n".join(f"{v:+d}" for v in range(3, -4, -1)), id="meter")
            yield Static("", id="trend")
            yield Static("", id="badges")
            with VerticalScroll(id="found-scroll"):
                yield Static("", id="found")
    yield Footer()


async def play_shape(level, keys: int, mode: str = "driver") -> dict:
    """The scene screen's shape in plain Statics (see the module's docstring)."""
    from textual.app import App
    from textual.widgets import Static

    cards, note = shape_texts(level)

    class Shape(App):
        CSS = SHAPE_CSS
        BINDINGS = [("1", "hit", "Choose"), ("enter", "hit", "Continue")]

        def compose(self):
            yield from shape_compose(level, cards)

        def action_hit(self) -> None:
            self.hits += 1
            self.query_one("#play", Static).update(note if self.hits % 2 else cards)
            self.query_one("#meter", Static).update(f"{self.hits:+d}\n" * 7)

    app = Shape()
    app.hits = 0
    per_key = []
    async with app.run_test(size=SIZE) as pilot:
        driver = Driver(app, pilot, mode)
        await driver.ready(lambda: app.query("#play"))
        for n in range(keys):
            per_key.append(await driver.press("1" if n % 2 == 0 else "enter", lambda: app.hits == n + 1))
    return {"moves": [a + b for a, b in zip(per_key[::2], per_key[1::2])], "idle": [], "total": 0.0,
            "n": keys // 2}


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


async def measure(level_id: str, runs: int, idle: float, mode: str) -> tuple[dict, dict]:
    from game.library import load_library

    library = load_library(ROOT / "levels")
    await play_level(level_id, 0, library=library, mode=mode)  # warm: imports, CSS parse, caches
    games = [await play_level(level_id, idle, library=library, mode=mode) for _ in range(runs)]
    keys = games[0]["n"] * 2
    await play_minimal(keys, mode=mode)
    minimal = [await play_minimal(keys, idle, mode=mode) for _ in range(runs)]

    def merge(results: list[dict]) -> dict:
        return {"moves": [m for r in results for m in r["moves"]],
                "choose": [m for r in results for m in r.get("choose", [])],
                "enter": [m for r in results for m in r.get("enter", [])],
                "idle": [m for r in results for m in r["idle"]],
                "ahead": [m for r in results for m in r.get("ahead", [])],
                "total": median([r["total"] for r in results]), "n": results[0]["n"]}

    level = library.level(level_id)
    shape = [await play_shape(level, keys, mode=mode) for _ in range(runs)]
    return merge(games), merge(minimal), merge(shape)


def report(level_id: str, game: dict, minimal: dict, mode: str, shape: dict | None = None) -> list[str]:
    g, m = median(game["moves"]), median(minimal["moves"])
    q = lambda values: sorted(values)[max(0, round(0.95 * (len(values) - 1)))] if values else float("nan")  # noqa: E731
    how = "keys through the driver" if mode == "driver" else "keys by Pilot.press/pause, as the tests do"
    return [
        f"in-process, one level ({level_id}, {game['n']} moves, {SIZE[0]}×{SIZE[1]}), {how}:",
        f"  CPU per move (choice → note drawn, Enter → next scene drawn): median {g:.1f} ms, "
        f"p95 {q(game['moves']):.1f} ms  [choice {median(game['choose']):.1f} + Enter {median(game['enter']):.1f}]",
        f"  minimal app, same keys: median {m:.1f} ms per move   ratio {g / m:.1f}×",
    ] + ([f"  the scene's shape in plain Statics, same keys: median {median(shape['moves']):.1f} ms per move   "
          f"ratio {g / median(shape['moves']):.1f}×"] if shape else []) + [
        f"  CPU of the whole level (start to debrief): {game['total']:.0f} ms; minimal app {minimal['total']:.0f} ms",
        f"  CPU while idle between keys: {median(game['idle']):.1f} ms/s; minimal app {median(minimal['idle']):.1f} ms/s",
    ] + ([f"  CPU while the last note is read (the debrief built ahead, not in any key above): "
          f"median {median(game['ahead']):.1f} ms"] if game["ahead"] else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--level", default="innocent-messenger")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=1.0, help="seconds idle after each note")
    parser.add_argument("--profile", metavar="FILE", help="cProfile one level played into FILE")
    parser.add_argument("--mode", choices=("driver", "pilot", "both"), default="both",
                        help="how keys are sent (see above; default both, driver first)")
    args = parser.parse_args()
    if args.profile:
        import cProfile

        from game.library import load_library

        library = load_library(ROOT / "levels")
        asyncio.run(play_level(args.level, library=library))
        profiler = cProfile.Profile()
        profiler.enable()
        result = asyncio.run(play_level(args.level, library=library))
        profiler.disable()
        profiler.dump_stats(args.profile)
        print(f"CPU per move median {median(result['moves']):.1f} ms; profile in {args.profile}")
        return
    for mode in ("driver", "pilot") if args.mode == "both" else (args.mode,):
        game, minimal, shape = asyncio.run(measure(args.level, args.runs, args.idle, mode))
        print("\n".join(report(args.level, game, minimal, mode, shape)), flush=True)


if __name__ == "__main__":
    main()
