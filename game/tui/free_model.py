"""Free-answer mode in the app (issue 15): the one sentence encoder, loaded once off the UI thread.

`FreeModel` is the app's: `start(app)` begins loading the encoder in a thread worker the first
time the mode is used or a level starts with it on (never at import: `mot` starts as fast with the
extra as without it), and returns at once, so a key pressed while it loads is answered within a
frame. A typed answer is matched in a thread worker too (the first match of a level embeds its
choices), and the result comes back on the UI thread through a callback.

Status: "idle" → "loading" → "ready"; "absent" when the optional extra is not installed (the
mode is still offered and says how to install it), "failed" when it is there but cannot load.
Tests give a stub encoder (`FreeModel(encoder=…)`) or say the extra is missing
(`FreeModel(installed=False)`).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

IDLE, LOADING, READY, ABSENT, FAILED = "idle", "loading", "ready", "absent", "failed"


class FreeModel:
    def __init__(self, encoder: Any = None, *, installed: bool | None = None) -> None:
        self.matcher = None
        self.error = None  # a FreeAnswerUnavailable when the encoder could not load
        self.status = IDLE
        self._installed = installed
        self._waiting: list[Callable[[], None]] = []
        self._warm: list[tuple[str, list]] = []  # (level id, choices) to embed once loaded
        if encoder is not None:
            from ..freeanswer import Matcher

            self.matcher = Matcher(encoder)
            self.status = READY

    # -- loading ---------------------------------------------------------------------------
    def installed(self) -> bool:
        if self._installed is None:
            from ..freeanswer import extra_installed

            self._installed = extra_installed()
        return self._installed

    def start(self, app, level_id: str | None = None, choices: Sequence = ()) -> str:
        """Load the encoder if nobody has yet (in a thread worker); `level_id` and `choices`
        are embedded right after, so the first answer of the level is quick. Returns the status."""
        if level_id is not None and choices:
            self._warm.append((level_id, list(choices)))
        if self.status == IDLE:
            if not self.installed():
                self.status = ABSENT
                return self.status
            self.status = LOADING
            app.run_worker(lambda: self._load(app), thread=True, group="free-model", name="free-model",
                           exit_on_error=False)
        elif self.status == READY and self._warm:
            app.run_worker(lambda: self._warm_up(), thread=True, group="free-warm", exit_on_error=False)
        return self.status

    def _load(self, app) -> None:
        """In the worker thread: the slow load, then the levels waiting to be embedded."""
        from ..freeanswer import FreeAnswerUnavailable, Matcher, load_encoder

        try:
            matcher = Matcher(load_encoder())
        except FreeAnswerUnavailable as error:
            app.call_from_thread(self._finished, None, error)
            return
        except Exception as error:  # a broken install must not take the game down
            app.call_from_thread(self._finished, None, FreeAnswerUnavailable(f"{type(error).__name__}: {error}"))
            return
        self.matcher = matcher
        self._warm_up()
        app.call_from_thread(self._finished, matcher, None)

    def _warm_up(self) -> None:
        while self._warm and self.matcher is not None:
            level_id, choices = self._warm.pop()
            try:
                self.matcher.warm(level_id, choices)
            except Exception:  # warming is an optimisation; the match itself reports errors
                return

    def _finished(self, matcher, error) -> None:
        self.status = READY if matcher is not None else FAILED
        self.error = error
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call `callback` on the UI thread once loading ends (at once if it has)."""
        if self.status in (IDLE, LOADING):
            self._waiting.append(callback)
        else:
            callback()

    def message(self, lang: str) -> str:
        """Why the mode cannot match (absent or failed), with how to install it."""
        from ..freeanswer import FreeAnswerUnavailable

        return (self.error or FreeAnswerUnavailable()).message(lang)

    # -- matching --------------------------------------------------------------------------
    def match(self, app, level_id: str, choices: Sequence, text: str,
              done: Callable[[Any, BaseException | None], None]) -> None:
        """Match `text` against `choices` in a thread worker; `done(match, error)` on the UI thread."""
        matcher = self.matcher

        def work() -> None:
            try:
                found = matcher.match(level_id, list(choices), text)
            except Exception as error:  # an encoder error is a message, never a crash
                app.call_from_thread(done, None, error)
                return
            app.call_from_thread(done, found, None)

        app.run_worker(work, thread=True, group="free-match", exit_on_error=False)
