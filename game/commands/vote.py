"""`mot classroom --vote (--level ID | --campaign ID) [--room R] [--db F] [--lang zh|en]
[--vote-port 8766] [--vote-host 0.0.0.0] [--public-url URL] [--seed N] [--exam]`

Vote mode: the projector plays the level in the terminal; every participant joins from a phone
(the page is served by this same process on `--vote-port`) with the join code or the QR code
shown on the projector, and votes at each decision. The trainer locks the vote, plays the
majority's card or another, and the consequence is revealed. Votes are stored in the room:
`mot results --room R --format votes`.

The phones need this machine's LAN address: by default the server listens on 0.0.0.0 and the
join URL uses the LAN IP (found without network traffic), or give `--public-url` (the address
phones use, e.g. behind a proxy). The join code is the credential. The port is bound before the
screen changes, so a busy port is a plain message in both languages (exit 1).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from ..i18n import default_language, t


def _say(key: str, **values) -> None:
    """A message in both languages, English first, one line each."""
    for lang in ("en", "zh"):
        print(f"mot classroom: {t(key, lang, **values)}", file=sys.stderr)


def join_base(host: str, port: int, public_url: str | None) -> str:
    """The address phones open: `--public-url`, else http://<this host or the LAN IP>:<port>."""
    from ..vote.server import lan_ip
    from ..webserve import is_unspecified, url_host

    if public_url:
        return public_url.rstrip("/")
    address = lan_ip() if is_unspecified(host) or not host else host
    return f"http://{url_host(address)}:{port}"


def run_vote(args) -> int:
    from ..library import Library, load_library
    from ..store import Store, StoreError, default_db_path
    from .classroom import fail, pick_levels

    lang = args.lang or default_language()
    if args.teams is not None or args.team or args.ask_team:
        return fail(t("vote.not_with_teams", lang))
    if not (args.level or args.campaign):
        return fail(t("vote.needs_level", lang))
    library = load_library(extra=[args.levels] if args.levels else ())
    levels, error = pick_levels(library, args.level, args.campaign, lang)
    if error:
        return fail(error)
    entry = library.campaign_of(levels[0].id)
    room = args.room or datetime.now().strftime("vote-%Y%m%d-%H%M")

    from ..engine import new_seed
    from ..vote.room import JoinRefused, VoteRoom
    from ..vote.server import CannotListen, listen_socket

    try:
        store = Store(Path(args.db) if args.db else default_db_path())
        if store.notice:
            print(f"mot classroom: {store.notice[lang]}", file=sys.stderr)
        seed = store.ensure_room(room, args.level or levels[0].id, args.campaign,
                                 seed=args.seed if args.seed is not None else new_seed()).seed
        round_base = store.last_vote_round(room)
        earlier = store.participants(room)
    except StoreError as error:
        print(error.line("classroom", lang), file=sys.stderr)
        return 1
    try:
        sock = listen_socket(args.vote_host, args.vote_port)
    except CannotListen as problem:
        if problem.busy:
            other = args.vote_port + 1 if args.vote_port < 65535 else 8767
            _say("vote.port_busy", port=args.vote_port, other=other)
        else:
            _say("vote.cannot_listen", host=args.vote_host, port=args.vote_port, error=problem.error)
        store.close()
        return 1
    port = sock.getsockname()[1]
    vote_room = VoteRoom(room)
    for person in earlier:  # phones of an earlier session of the room keep their token
        try:
            vote_room.restore(person.token, person.nickname, person.lang)
        except JoinRefused:
            pass
    base = join_base(args.vote_host, port, args.public_url)
    from ..tui.vote_app import VoteApp

    app = VoteApp(levels=levels, vote_room=vote_room, public_url=base, sock=sock,
                  host=args.vote_host, port=port, round_base=round_base,
                  library=Library(library.root, campaigns=[entry] if entry else []), store=store,
                  lang=args.lang, exam=args.exam, room=room, seed=seed)
    print(t("vote.listening", lang, url=base, code=vote_room.code, room=room), file=sys.stderr)
    try:
        app.run()
    except StoreError as error:
        print(error.line("classroom", lang), file=sys.stderr)
        return 1
    finally:
        sock.close()
    print(f"mot classroom: {t('vote.results', lang, room=room, path=store.path)}")
    return app.return_code or 0
