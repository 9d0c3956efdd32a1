"""States explored per second by `mot check --analyse` (game.analysis.analyse).

Two levels: the 5,000-scene level that benchmarks/check_speed.py generates (imported, so both
benchmarks measure the same level) and the largest shipped level. Only `analyse` is timed, not
reading or validating the file, so the number is the analyser's own speed.

    python benchmarks/analyse_speed.py [--scenes 5000] [--repeat 3] [--max-states N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from check_speed import generate  # noqa: E402

from game.analysis import DEFAULT_MAX_STATES, analyse  # noqa: E402
from game.library import load_library  # noqa: E402
from game.loader import load_level  # noqa: E402


def measure(level, repeat: int, max_states: int):
    """(analysis report, fastest seconds) over `repeat` runs."""
    best, report = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        report = analyse(level, max_states)
        best = min(best, time.perf_counter() - start)
    return report, best


def show(name: str, level, repeat: int, max_states: int) -> None:
    report, seconds = measure(level, repeat, max_states)
    choices = sum(len(s.choices) for s in level.scenes.values())
    stopped = "" if report.complete else "  (stopped early at the state limit)"
    print(f"{name:38} {len(level.scenes):6,} scenes {choices:7,} choices {report.states:9,} states "
          f"{seconds * 1000:9.1f} ms {report.states / seconds:11,.0f} states/s{stopped}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES,
                        help=f"the analyser's state limit (default {DEFAULT_MAX_STATES:,}, as `mot check`)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "01-benchmark.toml"
        path.write_text(generate(args.scenes), encoding="utf-8")
        result = load_level(path)
    if result.level is None:
        print("the generated level does not load:", *result.errors[:5], sep="\n  ", file=sys.stderr)
        return 1
    show(f"generated ({args.scenes:,} scenes)", result.level, args.repeat, args.max_states)
    levels = load_library(HERE.parent / "levels").levels
    if levels:
        largest = max(levels, key=lambda lv: (len(lv.scenes), sum(len(s.choices) for s in lv.scenes.values())))
        show(f"largest shipped ({largest.id})", largest, args.repeat, args.max_states)
    print(f"(fastest of {args.repeat} runs each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
