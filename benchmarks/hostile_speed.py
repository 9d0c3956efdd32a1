"""How long and how much memory `mot check` takes on each hostile level file of the suite
(tests/test_hostile_files.py), beside a clean check of the tutorial measured in the same run.

    python benchmarks/hostile_speed.py

Each attack is generated into a temporary levels folder and checked in a child process; the
table gives wall time, peak RSS, the diagnostic code and the ratio to the clean baseline. The
goal (issue "Hostile input…"): every attack exits 0 or 1 within 10 s and under 1 GB.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.loader import MAX_FILE_BYTES  # noqa: E402
from tests.test_hostile_files import flag_flood, tutorial_text  # noqa: E402

CODE = re.compile(r"(?:error|warning)\[([EW]\d{3})\]")


def attacks() -> dict[str, str | None]:
    """name → file text (None: made by hand below)."""
    dotted = ".".join(["a"] * 100_000)
    return {
        "clean tutorial (baseline)": tutorial_text(),
        "key of 100,000 dotted parts": f"{dotted} = 1\n" + tutorial_text(),
        "header of 100,000 dotted parts": f"[{dotted}]\n" + tutorial_text(),
        "15 MB string": 'x = "' + "a" * (15 * 1024 * 1024) + '"\n',
        "1 MB string, then an error": 'x = "' + "a" * (MAX_FILE_BYTES - 100) + '"\nbroken = \n',
        "1 MB of escapes, then an error": 'x = "' + "\\n" * ((MAX_FILE_BYTES - 100) // 2) + '"\nbroken = \n',
        "1 MB line of Chinese quotes “": "x = 1\ny = " + "\u201c" * 340_000 + "\n",
        "1 MB line of full-width commas ，": "x = 1\ny = " + "\uff0c" * 340_000 + "\n",
        "450,000 values, then an unknown key": tutorial_text().replace(
            "[level]\n", "[level]\nnoise = [" + ",".join(["1"] * 450_000) + "]\n", 1),
        "a move that sets 1,000 flags (--analyse)": flag_flood(1000, 16),
        "FIFO named like a level": None,
        "link to /dev/zero": None,
    }


# A wrapper per check, so that "the largest child" is that check alone.
WRAP = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")


def measure(folder: Path, analyse: bool) -> tuple[float, float, int, str]:
    args = [sys.executable, "-c", WRAP, sys.executable, "-m", "game", "check",
            *(["--analyse"] if analyse else []), str(folder)]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    codes = sorted(set(CODE.findall(proc.stdout)) - {"W104"})
    return seconds, peak_kb / 1024, proc.returncode, ",".join(codes[:3]) or "none"


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, text) in enumerate(attacks().items()):
            folder = Path(tmp) / f"attack{i}"
            folder.mkdir()
            if text is not None:
                (folder / "01-level.toml").write_text(text, encoding="utf-8")
            elif name.startswith("FIFO"):
                (folder / "01-first-call.toml").write_text(tutorial_text(), encoding="utf-8")
                os.mkfifo(folder / "02-pipe.toml")
            else:
                (folder / "01-first-call.toml").write_text(tutorial_text(), encoding="utf-8")
                (folder / "02-zero.toml").symlink_to("/dev/zero")
            rows.append((name, *measure(folder, "--analyse" in name)))
    base = rows[0][1]
    print(f"{'attack':42} {'time':>8} {'× base':>7} {'peak RSS':>9} {'exit':>4}  codes")
    for name, seconds, rss, code, codes in rows:
        print(f"{name:42} {seconds:7.2f}s {seconds / base:6.1f}× {rss:7.0f} MB {code:>4}  {codes}")
    print("goal: every attack under 10 s and 1 GB, exit 0 or 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
