"""One module per `mot` command, each with `add_parser(parser)` and `run(args) -> int`."""

from __future__ import annotations

import argparse
import sys

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


def print_diagnostics(diagnostics, lang: str) -> None:
    """A command's diagnostics on stderr, in the user's language (`file:line:col: error[CODE]: …`)."""
    for d in diagnostics:
        print(d.render(lang), file=sys.stderr)


def game_for(args, lang: str, command: str):
    """The level named by `args.level` as a `Game` with `--score` and `--seed` applied, and its
    campaign; or None after saying why on stderr (`mot run`, `mot match` share this start)."""
    from ..engine import Game, new_seed
    from ..library import resolve_level
    from .run import parse_scores

    level, diagnostics, campaign = resolve_level(args.level, lang=lang)
    if level is None:
        print_diagnostics(diagnostics, lang)
        return None
    scores = parse_scores(args.score, lang, command)
    if scores is None:
        return None
    return Game(level, scores, seed=args.seed if args.seed is not None else new_seed()), campaign
