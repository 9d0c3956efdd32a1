"""`mot scoreboard --room NAME [--db PATH] [--lang zh|en]`: a room's ranking and every team's
position, live from the shared database (see game/tui/scoreboard.py).

The database is opened read-only before the screen starts: a missing, foreign or damaged file
is reported (`error[S00x]`, exit 1), and nothing is created, upgraded or moved. A room that is
not in the file is refused too (exit 1), naming the rooms there are."""

from __future__ import annotations

import sys


def add_parser(parser) -> None:
    parser.add_argument("--room", required=True, help="the classroom room to show")
    parser.add_argument("--db", default=None, help="the shared SQLite database (default: the user's)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)


def run(args) -> int:
    from ..i18n import default_language, t
    from ..store import Store, StoreError, default_db_path

    lang = args.lang or default_language()
    db = args.db or default_db_path()
    try:
        store = Store.open_readonly(db)
        exists = store.room(args.room) is not None
        rooms = store.rooms() if not exists else []
    except StoreError as error:
        print(error.line("scoreboard", lang), file=sys.stderr)
        return 1
    if not exists:  # a typo: say so, and name the rooms there are
        store.close()
        print("mot scoreboard: " + t("setup.no_room_board", lang, room=args.room, path=db,
                                     rooms=", ".join(rooms) or t("setup.none", lang)), file=sys.stderr)
        return 1
    from ..tui.scoreboard import ScoreboardApp

    try:
        ScoreboardApp(args.room, args.db, lang=args.lang, store=store).run()
    finally:
        store.close()
    return 0
