"""`mot` / `mot play [FILE.toml]`: open the game (or play-test one level file)."""

from __future__ import annotations

from pathlib import Path

from . import SEED_HELP, seed_arg


def add_parser(parser) -> None:
    parser.add_argument("file", nargs="?", help="play-test this one level file (reload with ctrl+r)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="language (default: locale)")
    parser.add_argument("--exam", action="store_true", help="exam mode: no feedback until the debrief")
    parser.add_argument("--levels", default=None, metavar="DIR",
                        help="a folder of your own levels, added to the shipped campaigns")
    parser.add_argument("--data-dir", default=None, help="where progress is saved (or set MOT_HOME)")
    parser.add_argument("--player", default=None, help="player name for saved progress")
    parser.add_argument("--unlock-all", action="store_true", help="open every level (for trainers)")
    parser.add_argument("--seed", type=seed_arg, default=None, help=SEED_HELP)
    parser.add_argument("--free", action="store_true",
                        help="free-answer mode: in a scene press t and type your reply in your own words "
                             "(zh or en); needs the optional extra: pip install 'moment-of-truth[free]'")


def run(args) -> int:
    if args.file and not Path(args.file).is_file():
        import sys

        print(f"mot play: no such file: {args.file} (give a level's .toml file, or no file "
              "to open the game)", file=sys.stderr)
        return 2
    if args.file:
        from ..tui.playtest import PlaytestApp

        app = PlaytestApp(Path(args.file), lang=args.lang, exam=args.exam,
                          data_dir=Path(args.data_dir) if args.data_dir else None, seed=args.seed,
                          free=args.free)
    else:
        import sys

        from ..i18n import default_language
        from ..store import Store, StoreError, default_db_path

        try:  # before the screen: a read-only or full disk is a message, not a traceback
            store = Store(default_db_path(Path(args.data_dir) if args.data_dir else None))
        except StoreError as error:
            print(error.line("play", args.lang or default_language()), file=sys.stderr)
            return 1
        from ..tui.app import MotApp

        app = MotApp(levels_dir=Path(args.levels) if args.levels else None,
                     data_dir=Path(args.data_dir) if args.data_dir else None,
                     lang=args.lang, exam=args.exam, player=args.player, unlock_all=args.unlock_all,
                     seed=args.seed, store=store, free=args.free)
    app.run()
    return app.return_code or 0
