"""`mot classroom`: hot-seat teams on one screen, or one team of a room on this terminal.

    mot classroom --teams "红队,蓝队,绿队" [--level ID | --campaign ID] [--timer 60] [--exam]
    mot classroom --room NAME --team NAME [--db PATH] [--level ID | --campaign ID]
    mot classroom --room NAME --ask-team        (what `mot serve` runs for each browser tab)
    mot classroom --room NAME --resume          (a hot-seat round or campaign, where it stopped)

A room named with `--room` must exist in the database (`--create` starts a new one): a typo
never opens an empty room. A hot-seat round without `--room` gets a fresh room name, printed
at the end with the command that resumes it.

A team of a room plays on one screen at a time: joining under a name that is already playing
(claimed by another screen, or moved there within the last ten minutes) is refused with
`error[S010]` unless `--resume` says it is that team coming back. A save file that cannot be
used is reported with its code (`error[S00x]`, exit 1).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from ..i18n import t
from . import SEED_HELP, seed_arg


def add_parser(parser) -> None:
    parser.add_argument("--teams", default=None, help='hot-seat teams, comma-separated: "红队,蓝队,绿队"')
    parser.add_argument("--level", default=None, help="the level to play (default: the campaign's first)")
    parser.add_argument("--campaign", default=None, help="play every level of this campaign, round by round")
    parser.add_argument("--timer", type=int, default=None,
                        help="seconds of discussion per decision (default 60; 0 = none; a resumed "
                             "round keeps its own)")
    parser.add_argument("--exam", action="store_true", help="hold feedback back until the podium/debrief")
    parser.add_argument("--free", action="store_true",
                        help="free-answer mode: the team whose turn it is may press t and type its "
                             "reply (zh or en); needs the optional extra: pip install 'moment-of-truth[free]'")
    parser.add_argument("--db", default=None, help="the room's SQLite database (shared by several screens)")
    parser.add_argument("--room", default=None, help="room name (hot-seat default: classroom-<date>-<time>)")
    parser.add_argument("--team", default=None, help="play as this team of the room, on this screen")
    parser.add_argument("--ask-team", action="store_true", help="ask the team name first (browser tabs)")
    parser.add_argument("--resume", action="store_true",
                        help="with --team: this is that team coming back (another screen or a "
                             "crash left the name taken); alone with --room: go on with the "
                             "room's hot-seat round or campaign where it stopped")
    parser.add_argument("--create", action="store_true",
                        help="start a new room (and its database) with --room; without it the "
                             "room must exist")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--levels", default=None, metavar="DIR",
                        help="a folder of your own levels, added to the shipped campaigns")
    parser.add_argument("--seed", type=seed_arg, default=None,
                        help=SEED_HELP + "; a room keeps the first seed it was given")
    # From `mot serve` only: the level file or campaign folder it serves (already checked
    # against everything the game reads), and the level ids `score.<level>` may name.
    parser.add_argument("--served", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--served-known", default=None, help=argparse.SUPPRESS)
    from .serve import port_arg, public_url_arg

    parser.add_argument("--vote", action="store_true",
                        help="vote mode: the projector plays, every participant votes from a phone "
                             "(a page served on --vote-port; join code and QR code on the projector)")
    parser.add_argument("--vote-port", type=port_arg, default=8766, metavar="PORT",
                        help="vote mode: the phones' page port, 1 … 65535 (default 8766)")
    parser.add_argument("--vote-host", default="0.0.0.0", metavar="HOST",
                        help="vote mode: address to listen on (default 0.0.0.0: the LAN)")
    parser.add_argument("--public-url", type=public_url_arg, default=None, metavar="URL",
                        help="vote mode: the address phones use (default http://<LAN IP>:<port>)")


def fail(message: str) -> int:
    print(f"mot classroom: {message}", file=sys.stderr)
    return 2


def refuse(message: str) -> int:
    """A setup that cannot be played (no such room or database): said plainly, exit 1."""
    print(f"mot classroom: {message}", file=sys.stderr)
    return 1


def pick_levels(library, level_id: str | None, campaign_id: str | None, lang: str | None = None):
    """The levels to play, or an error message naming what exists."""
    from ..i18n import default_language, t

    lang = lang or default_language()
    if campaign_id:
        entry = library.campaign(campaign_id)
        if entry is None or not entry.levels:
            known = ", ".join(c.campaign.id for c in library.campaigns) or "none"
            return None, t("setup.no_campaign", lang, campaign=campaign_id, known=known)
        levels = entry.levels
        if level_id:
            ids = [lv.id for lv in levels]
            if level_id not in ids:
                return None, t("setup.campaign_no_level", lang, campaign=campaign_id, level=level_id,
                               known=", ".join(ids))
            levels = levels[ids.index(level_id):]
        return levels, None
    if level_id:
        level = library.level(level_id)
        if level is None:
            known = ", ".join(lv.id for lv in library.levels) or "none"
            return None, t("setup.no_level", lang, level=level_id, known=known)
        return [level], None
    return None, t("setup.which_level", lang)


def run(args) -> int:
    from ..i18n import default_language
    from ..library import Library, load_library
    from ..store import TEAM_TAKEN, Store, StoreError, default_db_path

    if getattr(args, "vote", False):
        from .vote import run_vote

        return run_vote(args)
    teams = [t.strip() for t in (args.teams or "").split(",") if t.strip()]
    if args.teams is not None and not teams:
        return fail("--teams needs at least one team name")
    if len(set(teams)) != len(teams):
        return fail("team names must differ")
    hot_resume = args.resume and args.room and not (teams or args.team or args.ask_team)
    if not teams and not (args.team or args.ask_team or hot_resume):
        return fail("give --teams for hot-seat play, or --room with --team / --ask-team "
                    "(or --room with --resume to go on with a round)")
    if (args.team or args.ask_team) and not args.room:
        return fail("--team and --ask-team need --room NAME")
    if args.timer is not None and args.timer < 0:
        return fail("--timer is a number of seconds, 0 or more")
    lang = args.lang or default_language()
    db = Path(args.db) if args.db else default_db_path()
    if args.room and not args.create and not db.exists():  # a typo must not start an empty room
        from ..store import NOT_A_FOLDER, _file_in_the_way

        blocker = _file_in_the_way(db)
        if blocker is not None:  # not a missing room: a data folder that is a file
            print(StoreError(NOT_A_FOLDER, blocker).line("classroom", lang), file=sys.stderr)
            return 1
        return refuse(t("setup.no_db", lang, path=db))
    if getattr(args, "served", None):  # a tab of `mot serve`: read only what it plays
        from ..library import load_served

        known = args.served_known.split(",") if args.served_known is not None else None
        library = load_served(Path(args.served), set(filter(None, known)) if known is not None else None)
    else:
        library = load_library(extra=[args.levels] if args.levels else ())
    saved = None
    if hot_resume:
        levels, teams, saved, error = _saved_session(db, args.room, library, lang)
    else:
        levels, error = pick_levels(library, args.level, args.campaign, lang)
    if error:
        return refuse(error) if hot_resume else fail(error)
    entry = library.campaign_of(levels[0].id)
    room = args.room or datetime.now().strftime("classroom-%Y%m%d-%H%M")
    timer = args.timer if args.timer is not None else int((saved or {}).get("timer", 60))
    try:
        store = Store(db)
        if args.room and not args.create and store.room(room) is None:
            rooms = ", ".join(store.rooms()) or t("setup.none", lang)
            store.close()
            return refuse(t("setup.no_room", lang, room=room, path=db, rooms=rooms))
        seed = args.seed
        if args.team or args.ask_team:  # one order for every screen of the room: the room's seed
            from ..engine import new_seed

            seed = store.ensure_room(room, seed=seed if seed is not None else new_seed()).seed
    except StoreError as error:
        print(error.line("classroom", lang), file=sys.stderr)
        return 1
    from ..tui.classroom_app import ClassroomApp

    app = ClassroomApp(levels=levels, teams=teams, timer=timer, ask_team=args.ask_team,
                       library=Library(library.root, campaigns=[entry]), store=store, lang=args.lang,
                       exam=args.exam or bool((saved or {}).get("exam")), room=room, team=args.team,
                       seed=seed, resume=saved, free=args.free or bool((saved or {}).get("free")))
    try:
        if args.team and not app.claim(args.team, resume=args.resume):
            print(StoreError(TEAM_TAKEN, store.path, team=args.team, room=room).line("classroom", lang),
                  file=sys.stderr)
            return 1
        app.run()
    except StoreError as error:
        print(error.line("classroom", lang), file=sys.stderr)
        return 1
    finally:
        app.release()
    if teams:
        print(f"mot classroom: {t('setup.results_where', lang, room=room, path=store.path)}")
        if app._in_progress():
            db_arg = f" --db {args.db}" if args.db else ""
            print(f"mot classroom: {t('setup.resume_hint', lang, room=room, db=db_arg)}")
    return app.return_code or 0


def _saved_session(db: Path, room: str, library, lang: str):
    """The hot-seat session saved in `room` (`--room R --resume`): its levels, teams and state,
    or an error message."""
    from ..store import Store, StoreError

    try:
        with Store.open_readonly(db) as store:
            saved = store.round_state(room)
    except StoreError as error:
        return None, None, None, error.message(lang)
    if not saved or not saved.get("teams") or not saved.get("levels"):
        return None, None, None, t("setup.nothing_to_resume", lang, room=room)
    levels = [library.level(level_id) for level_id in saved["levels"]]
    missing = [level_id for level_id, lv in zip(saved["levels"], levels) if lv is None]
    if missing:
        return None, None, None, t("setup.resume_levels", lang, room=room, missing=", ".join(missing))
    return levels, [str(name) for name in saved["teams"]], saved, None
