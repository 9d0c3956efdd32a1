"""One module per `mot` command, each with `add_parser(parser)` and `run(args) -> int`."""

from __future__ import annotations

import argparse

SEED_HELP = "the card order's seed: the same seed shows the same order (default: a fresh one)"


def seed_arg(text: str) -> int:
    """`--seed N`: a whole number 0 … 2³¹−1, or a clear error in both languages."""
    from ..engine import MAX_SEED

    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a seed: give a whole number from 0 to {MAX_SEED} "
            f"(不是有效的种子：请给出 0 到 {MAX_SEED} 之间的整数)")
    return value
