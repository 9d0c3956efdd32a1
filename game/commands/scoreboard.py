"""`mot scoreboard --room NAME [--db PATH] [--lang zh|en]`: a room's ranking and every team's
position, live from the shared database (see game/tui/scoreboard.py)."""

from __future__ import annotations


def add_parser(parser) -> None:
    parser.add_argument("--room", required=True, help="the classroom room to show")
    parser.add_argument("--db", default=None, help="the shared SQLite database (default: the user's)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)


def run(args) -> int:
    from ..tui.scoreboard import ScoreboardApp

    ScoreboardApp(args.room, args.db, lang=args.lang).run()
    return 0
