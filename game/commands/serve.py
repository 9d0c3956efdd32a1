"""`mot serve --room NAME [--db PATH] [--port 8000] [--host 127.0.0.1]`: the classroom in the
browser. Every browser tab that opens the page starts its own

    mot classroom --room NAME --db PATH --ask-team

(textual-serve runs one process per tab), which first asks for the team's name; all tabs write
into the one room of the one database, so `mot scoreboard --room NAME --db PATH` shows them all.

Loopback only unless told otherwise: anyone who can reach the port can play in the room.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from ..i18n import default_language, t
from . import SEED_HELP, seed_arg


def add_parser(parser) -> None:
    parser.add_argument("--room", required=True, help="the classroom room every tab plays in")
    parser.add_argument("--db", default=None, help="the shared SQLite database (default: the user's)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only)")
    parser.add_argument("--public-url", default=None, metavar="URL",
                        help="the address browsers use, when it differs from http://HOST:PORT")
    parser.add_argument("--level", default=None, help="passed on to mot classroom")
    parser.add_argument("--seed", type=seed_arg, default=None,
                        help=SEED_HELP + "; every tab of the room shows the same order")
    parser.add_argument("--campaign", default=None, help="passed on to mot classroom")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="passed on to mot classroom")
    parser.add_argument("--timer", default=None, metavar="SECONDS",
                        help="passed on to mot classroom (discussion countdown, 0 = none)")


def db_path(args) -> Path:
    from ..store import default_db_path

    return (Path(args.db).expanduser() if args.db else default_db_path()).resolve()


def classroom_command(args) -> str:
    """The shell command textual-serve starts for each browser tab."""
    parts = [sys.executable, "-m", "game", "classroom", "--room", args.room,
             "--db", str(db_path(args)), "--ask-team"]
    for option in ("level", "campaign", "lang", "timer"):
        value = getattr(args, option, None)
        if value is not None and value != "":
            parts += [f"--{option}", value]
    return " ".join(shlex.quote(p) for p in parts)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args) -> int:
    lang = args.lang or default_language()
    try:
        from textual_serve.server import Server
    except ImportError:
        print(f"mot serve: {t('serve.no_textual_serve', lang)}", file=sys.stderr)
        return 1
    from ..library import load_library
    from ..store import Store
    from .classroom import pick_levels

    # Check the level now: a bad one would otherwise fail in every browser tab.
    _, error = pick_levels(load_library(), args.level, args.campaign)
    if error:
        print(f"mot serve: {error}", file=sys.stderr)
        return 2
    with Store(db_path(args)) as store:  # create the file and the room before any tab opens
        if store.notice:
            print(f"mot serve: {store.notice[lang]}", file=sys.stderr)
        from ..engine import new_seed

        store.ensure_room(args.room, args.level, args.campaign,
                          seed=args.seed if args.seed is not None else new_seed())
    host = args.host
    url_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    public_url = args.public_url or f"http://{url_host}:{args.port}"
    if not is_loopback(host):
        print(t("serve.exposed", lang, host=host), file=sys.stderr)
    print(t("serve.start", lang, room=args.room, url=public_url), file=sys.stderr, flush=True)
    server = Server(classroom_command(args), host=host, port=args.port,
                    title=f"Moment of Truth · 关键时刻 · {args.room}", public_url=public_url)
    server.serve()
    return 0
