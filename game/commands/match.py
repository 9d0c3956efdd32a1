"""`mot match LEVEL [--choices a,b,…] TEXT… [--json] [--lang zh|en]`: free-answer matching, headless.

Plays the given choices, then matches each text (the arguments, or one per line on standard
input with `-`) in the scene reached and prints the ranking (choice id, step, score), the band
and the pick, without playing it. The sentence encoder is loaded once, after the level and the
choices have been checked. Without the optional extra: one line saying how to install it, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import SEED_HELP, game_for, seed_arg

UNAVAILABLE_EXIT = 2


def _options(parser, default=None) -> None:
    suppress = default is not None
    parser.add_argument("--choices", default=default or "",
                        help="choice ids played first, comma-separated, one per scene")
    parser.add_argument("--json", action="store_true", default=default or False,
                        help="print a list of objects with text, ranking, band and pick")
    parser.add_argument("--lang", choices=("zh", "en"), default=default)
    parser.add_argument("--score", action="append", default=default if suppress else [],
                        metavar="LEVEL=N",
                        help="an earlier level's MOT score, for score.<level> conditions")
    parser.add_argument("--seed", type=seed_arg, default=default, help=SEED_HELP)


def add_parser(parser) -> None:
    parser.add_argument("level", metavar="LEVEL", help="a level id from levels/, or a .toml file")
    _options(parser)
    # The texts may come before, between or after the options (argparse alone would stop at the
    # first option): they are collected here and sorted out by `_intermixed`.
    parser.add_argument("texts", metavar="TEXT", nargs=argparse.REMAINDER,
                        help="what the learner types (zh or en); - reads one per line from stdin")


def _intermixed(args) -> None:
    """Options given after the first TEXT: parsed like the ones before it."""
    inner = argparse.ArgumentParser(prog="mot match", add_help=False)
    _options(inner, default=argparse.SUPPRESS)
    inner.add_argument("texts", nargs="*")
    more = inner.parse_intermixed_args(args.texts)
    for name, value in vars(more).items():
        if name == "score":
            args.score = [*args.score, *value]
        else:
            setattr(args, name, value)


def unavailable_line(command: str, error, lang: str) -> str:
    """The one line that says the extra is missing: the chosen language, then the other."""
    other = "en" if lang == "zh" else "zh"
    return f"mot {command}: {error.message(lang)} / {error.message(other)}"


def load_matcher(command: str, lang: str):
    """A Matcher with the real encoder, or None after printing how to install the extra."""
    from ..freeanswer import FreeAnswerUnavailable, Matcher, load_encoder

    try:
        return Matcher(load_encoder())
    except FreeAnswerUnavailable as error:
        print(unavailable_line(command, error, lang), file=sys.stderr)
        return None


def run(args) -> int:
    from ..engine import ChoiceUnavailable
    from ..i18n import default_language, t

    _intermixed(args)
    lang = args.lang or default_language()
    texts = list(args.texts)
    if texts == ["-"]:
        texts = sys.stdin.read().splitlines()
    elif not texts:
        print("mot match: " + t("match.no_text", lang), file=sys.stderr)
        return 1
    started = game_for(args, lang, "match")
    if started is None:
        return 1
    game, _campaign = started
    level = game.level
    try:
        state = game.play([c.strip() for c in args.choices.split(",") if c.strip()])
    except ChoiceUnavailable as exc:
        print("mot match: " + t("cli.no_choice", lang, choice=exc.choice, scene=exc.scene,
                                available=", ".join(exc.available) or "—"), file=sys.stderr)
        return 1
    if state.finished:
        print("mot match: " + t("match.ended", lang), file=sys.stderr)
        return 1
    matcher = load_matcher("match", lang)
    if matcher is None:
        return UNAVAILABLE_EXIT
    choices = game.choices(state)
    matches = [matcher.match(level.id, choices, text) for text in texts]
    if args.json:
        json.dump([m.as_dict() for m in matches], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(t("match.scene", lang, scene=state.scene, choices=", ".join(c.id for c in choices)))
    for match in matches:
        print()
        print(f"“{match.text}”")
        for n, ranked in enumerate(match.ranking, 1):
            print(f"  {n}. {ranked.choice_id:<24} {ranked.step:<8} {ranked.score:.3f}")
        print("  " + band_line(match, lang))
    return 0


def band_line(match, lang: str) -> str:
    """`accept → id`, `ask → did you mean a or b?` or `none → …`, in `lang`."""
    from ..i18n import t

    if match.pick is not None:
        return t("match.accept", lang, choice=match.pick)
    if match.candidates:
        return t("match.ask", lang, candidates=t("match.or", lang).join(match.candidates))
    return t("match.none", lang)
