"""`mot` / `python -m game`: the command line. With no command it opens the game.

Each command lives in `game/commands/<name>.py` with `add_parser(subparsers)` and `run(args)`;
they are imported only when used, so `mot` reaches its first frame quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "play": "Play the game (the default); with a FILE.toml, play-test that one level.",
    "check": "Check level files: errors and warnings as file:line:col, --analyse for every path.",
    "run": "Play a level headlessly with a list of choices; print the transcript or JSON.",
    "match": "Match typed answers (zh or en) to a scene's choices: free-answer mode, headless.",
    "graph": "Draw a level's scenes and choices as Mermaid or Graphviz dot.",
    "new": "Write a new, commented level skeleton that passes `mot check`.",
    "strings": "Export or import a level's texts as a translator's CSV table.",
    "classroom": "Hot-seat play for teams on one shared screen.",
    "scoreboard": "Show a classroom room's live ranking.",
    "serve": "Serve the game in the browser, one tab per team (textual-serve).",
    "results": "Export finished runs as CSV or xAPI statements.",
    "debrief": "Show a classroom room's debrief, scene by scene (what each team chose, the votes).",
}


def _module(name: str):
    return importlib.import_module(f"game.commands.{name}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mot",
        description="Moment of Truth — a terminal training game (关键时刻训练游戏).",
    )
    parser.add_argument("-V", "--version", action="store_true",
                        help="print the version (mot <version>) and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if only is not None and name != only:
            subparsers.add_parser(name, help=help_text, add_help=False)
            continue
        try:
            module = _module(name)
        except ImportError:
            continue  # a command whose module is not written yet
        module.add_parser(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


class _CleanStream:
    """What `mot` prints passes through here: terminal control characters and invisible format
    characters from data (a team name with `ESC ] 2 ;`, a key in a diagnostic) never reach the
    terminal. Textual draws through its own driver, not through this stream."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from .model import clean_text

        written = len(text)
        if not text.isascii() or _has_control(text):
            # U+FEFF stays: a CSV for Excel starts with a byte-order mark on purpose.
            text = "\ufeff".join(clean_text(part) for part in text.split("\ufeff"))
        self._stream.write(text)
        return written

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _has_control(text: str) -> bool:
    return any(ch < " " and ch not in "\n\t" or ch == "\x7f" for ch in text)


def version() -> str:
    """The installed distribution's version, else the package's own (a checkout not installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("moment-of-truth")
    except PackageNotFoundError:
        from . import __version__

        return __version__


def main(argv: list[str] | None = None) -> int:
    if not isinstance(sys.stdout, _CleanStream):
        sys.stdout, sys.stderr = _CleanStream(sys.stdout), _CleanStream(sys.stderr)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["--version"], ["-V"]):
        print(f"mot {version()}")
        return 0
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "play")
    command = argv[0] if argv[0] in COMMANDS else None
    parser = build_parser(only=command)
    args = parser.parse_args(argv)
    from .model import clean_name

    for name in ("team", "teams", "room", "player"):  # names others will see, on their terminals
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, clean_name(getattr(args, name)) if name != "teams"
                    else ",".join(clean_name(t) for t in args.teams.split(",")))
    try:
        return int(_module(args.command).run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user
        from .store import StoreError

        if isinstance(exc, StoreError):  # a save that cannot be used: said plainly, not "report it"
            from .i18n import default_language

            print(exc.line(args.command, getattr(args, "lang", None) or default_language()), file=sys.stderr)
            return 1
        print(f"mot: internal error ({type(exc).__name__}: {exc}). Please report it.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
