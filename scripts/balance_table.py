"""Print the content figures of the issue "Choices that test judgment…" for every shipped level.

    .venv/bin/python scripts/balance_table.py [levels/]

Per level: distinct paths to +3, the always-longest strategy's score (en / zh), the share of
ideal-path scenes where the ideal is the only choice of its step (the badge give-away), the
expected score of a player picking at random, and the ideal path's score. The suite checks the
same figures (tests/test_content_balance.py); this prints them for a closing note.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.commands.check import check  # noqa: E402


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "levels"
    _, _, reports = check([root], balancing=True)
    print("| level | paths to +3 | longest en / zh | step give-away | random player | ideal |")
    print("|---|---|---|---|---|---|")
    for r in reports:
        b = r.balance
        to3 = b.histogram.get(3, 0) if b.histogram is not None else "loops"
        le, lz = (b.strategies[n].score for n in ("longest-en", "longest-zh"))
        alone, total = b.give_away
        share = f"{alone}/{total} ({100 * alone // total}%)" if total else "—"
        rnd = f"{b.random_expected:+.2f}" if b.random_expected is not None else "—"
        ideal = f"{r.ideal.score:+d}" if r.ideal else "—"
        print(f"| {r.level} | {to3} | {le:+d} / {lz:+d} | {share} | {rnd} | {ideal} |")


if __name__ == "__main__":
    main()
