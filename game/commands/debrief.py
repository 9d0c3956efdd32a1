"""`mot debrief --room NAME [--db PATH] [--level ID] [--lang zh|en] [--levels DIR]`: a room's
class debrief, scene by scene — what each team chose at every scene it reached, the votes in
vote mode, each team's biggest drop, the best move, the endings and the discussion questions
(see game/class_debrief.py and game/tui/screens/class_debrief.py).

The database is opened read-only: nothing is created, upgraded or moved. A missing or unusable
file, a room that does not exist or has no runs, or a level that cannot be found is said in one
line (exit 1). The level is `--level`, else the room's, else that of the room's latest run; each
team's first run of it counts (later ones are practice, as on the scoreboard)."""

from __future__ import annotations

import sys


def add_parser(parser) -> None:
    parser.add_argument("--room", required=True, help="the classroom room to debrief")
    parser.add_argument("--db", default=None, help="the shared SQLite database (default: the user's)")
    parser.add_argument("--level", default=None, help="the level id (default: the room's level)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--levels", default=None, metavar="DIR",
                        help="a folder of your own levels, added to the shipped campaigns")


def _fail(lang: str, key: str, **values) -> int:
    from ..i18n import t

    print(f"mot debrief: {t(key, lang, **values)}", file=sys.stderr)
    return 1


def run(args) -> int:
    from ..i18n import default_language, t
    from ..store import Store, StoreError, default_db_path

    lang = args.lang or default_language()
    path = args.db or default_db_path()
    try:
        store = Store.open_readonly(path)
    except StoreError as error:
        print(error.line("debrief", lang), file=sys.stderr)
        return 1
    try:
        room = store.room(args.room)
        runs = store.runs(room=args.room)
        if room is None and not runs:
            return _fail(lang, "cdebrief.no_room", room=args.room, path=path)
        level_id = args.level or (room.level_id if room is not None and room.level_id else None) \
            or (runs[-1].level_id if runs else None)
        runs = [r for r in runs if r.level_id == level_id and not r.practice]
        if not runs:
            of = t("cdebrief.of_level", lang, level=level_id) if level_id else ""
            return _fail(lang, "cdebrief.no_runs", room=args.room, path=path, of=of)
        votes = store.votes(args.room, level_id)
    finally:
        store.close()

    from ..library import load_library

    library = load_library(extra=[args.levels] if args.levels else ())
    level = library.level(level_id)
    if level is None:
        return _fail(lang, "cdebrief.no_level", level=level_id, levels=library.where)
    from ..tui.debrief_app import DebriefApp

    DebriefApp(level, runs, votes, room=args.room, lang=lang).run()
    return 0
