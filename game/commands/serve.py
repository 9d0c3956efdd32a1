"""`mot serve --room NAME [--db PATH] [--port 8000] [--host 127.0.0.1] [--public-url URL]
[--key KEY] [--max-tabs 60] [--tab-memory 1024]`: the classroom in the browser. Every browser
tab that opens the page starts its own

    mot classroom --room NAME --db PATH --ask-team

(textual-serve runs one process per tab, forked from a process that has imported the game
once: game.zygote), which first asks for the team's name; all tabs write
into the one room of the one database, so `mot scoreboard --room NAME --db PATH` shows them all.

The room has a key (a fresh random one, or `--key`): only the join URL printed at the start,
`…/?key=KEY`, opens the page and its websocket; a browser's websocket must also come from the
room's own address. At most `--max-tabs` tabs play at once (the next one is told the room is
full); each tab's terminal is clamped to 400×200, its process lives in its own process group,
capped at `--tab-memory` MB, and the group is ended when the tab closes.

A new room needs `--create` (a typo in `--room` must not open an empty room); an existing room
is served again with its own level when none is given. A port already in use is said plainly,
with `--port` to choose another (exit 1). The page every tab opens loads nothing from another
site (see game.webserve.index_page).

Loopback only unless told otherwise: with `--host` other than loopback, `--public-url` (the
address browsers use, e.g. http://192.168.1.20:8000) is required. The server itself is
`game.webserve`; this module only reads and checks the options.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..i18n import default_language, t
from . import SEED_HELP, seed_arg

DEFAULT_MAX_TABS = 60  # game.webserve.DEFAULT_MAX_TABS, without importing aiohttp to parse
DEFAULT_TAB_MEMORY_MB = 1024
# What a tab imports up to its first scenes and its debrief: the zygote (game.zygote) imports
# them once, and each tab is forked from it with them already in memory.
TAB_MODULES = (
    "game.cli", "game.commands.classroom", "game.commands.serve", "game.store", "game.library",
    "game.tui.classroom_app", "game.tui.screens.team_name", "game.tui.screens.briefing",
    "game.tui.screens.classroom", "game.tui.screens.scene", "game.tui.screens.note",
    "game.tui.screens.debrief", "game.tui.widgets.countdown", "textual.drivers.web_driver",
    "textual.layouts.factory", "textual.scrollbar", "textual._xterm_parser",
    "concurrent.futures.thread",
)


def _both(key: str, **values) -> str:
    return f"{t(key, 'en', **values)} ({t(key, 'zh', **values)})"


def _whole(text: str, low: int, high: int, key: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(_both(key, value=text, low=low, high=high))
    return value


def port_arg(text: str) -> int:
    return _whole(text, 1, 65535, "serve.bad_port")


def timer_arg(text: str) -> int:
    return _whole(text, 0, 3600, "serve.bad_timer")


def max_tabs_arg(text: str) -> int:
    return _whole(text, 1, 1000, "serve.bad_max_tabs")


def tab_memory_arg(text: str) -> int:
    value = _whole(text, 0, 1 << 20, "serve.bad_tab_memory")
    if 0 < value < 64:
        raise argparse.ArgumentTypeError(_both("serve.bad_tab_memory", value=text, low=0,
                                               high=1 << 20))
    return value


def key_arg(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,128}", text):
        raise argparse.ArgumentTypeError(_both("serve.bad_key"))
    return text


def public_url_arg(text: str) -> str:
    """http(s)://host[:port][/path], a host a browser can reach (not 0.0.0.0 or ::)."""
    import ipaddress

    url = text.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        host = parts.hostname or ""
        try:
            unspecified = ipaddress.ip_address(host).is_unspecified
        except ValueError:
            unspecified = False
        ok = (parts.scheme in ("http", "https") and host and not unspecified
              and not (parts.username or parts.password or parts.query or parts.fragment
                       or url.endswith(("?", "#")))
              and re.fullmatch(r"[A-Za-z0-9.:\[\]_~%/-]+", url.split("://", 1)[1]) is not None)
    except ValueError:
        ok = False
    if not ok:
        raise argparse.ArgumentTypeError(_both("serve.bad_url", value=text))
    return url


def add_parser(parser) -> None:
    parser.add_argument("--room", required=True, help="the classroom room every tab plays in")
    parser.add_argument("--db", default=None, help="the shared SQLite database (default: the user's)")
    parser.add_argument("--port", type=port_arg, default=8000, help="1 … 65535 (default 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only)")
    parser.add_argument("--public-url", type=public_url_arg, default=None, metavar="URL",
                        help="the address browsers use, http(s)://host[:port][/path]; required "
                             "when --host is not loopback")
    parser.add_argument("--key", type=key_arg, default=None,
                        help="the room key in the join URL (default: a fresh random one)")
    parser.add_argument("--max-tabs", type=max_tabs_arg, default=DEFAULT_MAX_TABS, metavar="N",
                        help=f"tabs that may play at once, 1 … 1000 (default {DEFAULT_MAX_TABS})")
    parser.add_argument("--tab-memory", type=tab_memory_arg, default=DEFAULT_TAB_MEMORY_MB,
                        metavar="MB", help="address-space limit of each tab's process "
                                           f"(default {DEFAULT_TAB_MEMORY_MB}; 0 = none)")
    parser.add_argument("--level", default=None, help="passed on to mot classroom")
    parser.add_argument("--seed", type=seed_arg, default=None,
                        help=SEED_HELP + "; every tab of the room shows the same order")
    parser.add_argument("--campaign", default=None, help="passed on to mot classroom")
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="passed on to mot classroom")
    parser.add_argument("--timer", type=timer_arg, default=None, metavar="SECONDS",
                        help="passed on to mot classroom (discussion countdown, 0 … 3600, 0 = none)")
    parser.add_argument("--create", action="store_true",
                        help="start a new room (and its database); without it the room must exist")


def db_path(args) -> Path:
    from ..store import default_db_path

    return (Path(args.db).expanduser() if args.db else default_db_path()).resolve()


def classroom_command(args) -> str:
    """The shell command textual-serve starts for each browser tab."""
    parts = [sys.executable, "-m", "game", "classroom", "--room", args.room,
             "--db", str(db_path(args)), "--ask-team"]
    for option in ("level", "campaign", "lang", "timer", "served", "served_known"):
        value = getattr(args, option, None)
        if value is not None and (value != "" or option == "served_known"):
            parts += [f"--{option.replace('_', '-')}", str(value)]
    return " ".join(shlex.quote(p) for p in parts)


def served_files(levels) -> tuple[str, str | None]:
    """What a tab reads instead of the whole library: the campaign's folder when a campaign is
    served, else the level's file and the ids its `score.<level>` may name (its folder's)."""
    from ..library import _level_ids_in

    if len(levels) > 1:  # a campaign's levels are the files of one folder
        return str(levels[0].path.parent), None
    return str(levels[0].path), ",".join(sorted(_level_ids_in(levels[0].path.parent)))


def run(args) -> int:
    lang = args.lang or default_language()
    try:
        from .. import webserve
    except ImportError:
        print(f"mot serve: {t('serve.no_textual_serve', lang)}", file=sys.stderr)
        return 1
    if not webserve.is_loopback(args.host) and not args.public_url:
        print(f"mot serve: {t('serve.needs_public_url', lang, host=args.host)}", file=sys.stderr)
        return 2
    from ..library import load_library
    from ..store import Store, StoreError
    from .classroom import pick_levels

    db = db_path(args)
    if not args.create:  # the room must exist: never start an empty one on a typo
        if not db.exists():
            print(f"mot serve: {t('setup.no_db', lang, path=db)}", file=sys.stderr)
            return 1
        try:
            with Store.open_readonly(db) as store:
                room, rooms = store.room(args.room), store.rooms()
        except StoreError as error:
            print(error.line("serve", lang), file=sys.stderr)
            return 1
        if room is None:
            print("mot serve: " + t("setup.no_room", lang, room=args.room, path=db,
                                    rooms=", ".join(rooms) or t("setup.none", lang)), file=sys.stderr)
            return 1
        if args.level is None and args.campaign is None:  # served again: the room's own level
            args.level, args.campaign = room.level_id, room.campaign_id
    # Check the level now: a bad one would otherwise fail in every browser tab.
    library = load_library()
    levels, error = pick_levels(library, args.level, args.campaign, lang)
    if error:
        print(f"mot serve: {error}", file=sys.stderr)
        return 2
    args.served, args.served_known = served_files(levels)
    try:  # a port already in use: said before anything is printed or created
        webserve.check_listen(args.host, args.port)
    except webserve.PortBusy:
        print(f"mot serve: {_both('serve.port_busy', port=args.port, other=_other_port(args.port))}",
              file=sys.stderr)
        return 1
    except OSError as error:
        print(f"mot serve: {_both('serve.cannot_listen', host=args.host, port=args.port, error=error.strerror or error)}",
              file=sys.stderr)
        return 1
    with Store(db) as store:  # create the file and the room before any tab opens
        if store.notice:
            print(f"mot serve: {store.notice[lang]}", file=sys.stderr)
        from ..engine import new_seed

        store.ensure_room(args.room, args.level, args.campaign,
                          seed=args.seed if args.seed is not None else new_seed())
    server = webserve.RoomServer(
        classroom_command(args), room=args.room, key=args.key or webserve.new_key(),
        host=args.host, port=args.port, public_url=args.public_url,
        title=f"Moment of Truth · 关键时刻 · {args.room}", max_tabs=args.max_tabs,
        tab_memory_mb=args.tab_memory, preload=TAB_MODULES)
    with Store(db) as store:  # the scoreboard shows the projector how to join (`j`)
        store.set_join_info(args.room, server.join_url)
    if not webserve.is_loopback(args.host):
        print(t("serve.exposed", lang, host=args.host), file=sys.stderr)
    print(t("serve.start", lang, room=args.room, url=server.join_url), file=sys.stderr)
    print(t("serve.key_note", lang, n=args.max_tabs), file=sys.stderr, flush=True)
    try:
        server.serve()
    except OSError as error:  # taken between the check and the start
        import errno

        key = "serve.port_busy" if error.errno == errno.EADDRINUSE else "serve.cannot_listen"
        print(f"mot serve: {_both(key, port=args.port, other=_other_port(args.port), host=args.host, error=error.strerror or error)}",
              file=sys.stderr)
        return 1
    return 0


def _other_port(port: int) -> int:
    return port + 1 if port < 65535 else port - 1
