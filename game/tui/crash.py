"""What a player sees when the game itself fails: one line and where the details are.

Textual's default is a full-screen traceback with local variables, which frightens a learner and
can show their data. Instead the traceback goes to a log file (in the data folder, else the
temporary folder) and the terminal gets one line, in the player's language; the exit status is 1.
"""

from __future__ import annotations

import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from ..i18n import t


def write_crash_log(error: BaseException) -> Path | None:
    """The traceback in a fresh file; None when no folder will take it."""
    from ..store import default_data_dir

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    name = f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
    for folder in (default_data_dir() / "logs", Path(tempfile.gettempdir()) / "moment-of-truth"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def crash_line(error: BaseException, log: Path | None, lang: str) -> str:
    """One line: what failed and where the details are (control characters never pass)."""
    from ..model import clean_name

    what = clean_name(f"{type(error).__name__}: {error}")[:200]
    if log is None:
        return t("crash.no_log", lang, error=what)
    return t("crash.line", lang, error=what, log=str(log))


class CrashReport:
    """Mixed into every App of the game, before `App`."""

    def _fatal_error(self) -> None:  # Textual's hook for an exception nothing handled
        error = getattr(self, "_exception", None)
        if error is None:  # pragma: no cover - Textual always records it first
            return super()._fatal_error()
        if not getattr(self, "_crash_reported", False):  # later errors are echoes of the first
            self._crash_reported = True
            log = write_crash_log(error)
            self._crash_line = crash_line(error, log, getattr(self, "lang", "en"))
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """The one line, as plain text: not through Rich, which would wrap it and read `[…]` in
        the error as markup."""
        line = getattr(self, "_crash_line", None)
        if line is None:
            return super()._print_error_renderables()
        import sys

        self._exit_renderables.clear()
        print(line, file=sys.stderr, flush=True)
