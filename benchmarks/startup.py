"""Time from process start to the title screen being ready, against a minimal Textual app.

Each app runs headless in a fresh Python process that prints the wall-clock time at which its
first screen has been painted; the parent subtracts the time it launched the process. The
baseline (Header, Static, Footer) is measured in the same run, alternating with the game, and
the ratio of medians is printed. Target: ≤ 1.3×.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Minimal().run(headless=True)
"""

GAME = """
import time
from game.tui.app import MotApp

class Timed(MotApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.ready)
    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Timed(lang="en").run(headless=True)
"""


def launch(code: str, env: dict) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, MOT_HOME=tempfile.mkdtemp(prefix="mot-bench-"), TEXTUAL_ANIMATIONS="none")
    launch(BASELINE, env), launch(GAME, env)  # warm the file cache and the bytecode
    base, game = [], []
    for _ in range(args.runs):
        base.append(launch(BASELINE, env))
        game.append(launch(GAME, env))
    b, g = statistics.median(base), statistics.median(game)
    print(f"minimal Textual app: median {b * 1000:7.1f} ms  (min {min(base) * 1000:.1f})")
    print(f"Moment of Truth:     median {g * 1000:7.1f} ms  (min {min(game) * 1000:.1f})")
    print(f"ratio: {g / b:.2f}×  (target ≤ 1.30×)")
    return 0 if g / b <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
