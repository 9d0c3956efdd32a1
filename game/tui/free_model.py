"""Free-answer mode in the app (issue 15): the one sentence encoder, loaded once off the UI thread.

`FreeModel` is the app's: `start(app)` begins loading the encoder in a thread worker the first
time the mode is used or a level starts with it on (never at import: `mot` starts as fast with the
extra as without it), and returns at once. A typed answer is matched in a thread worker too (the
first match of a scene embeds its choices), and the result comes back on the UI thread through a
callback.

The encoder itself runs in a child process (`ProcessEncoder`): its first use builds a pure-Python
tokenizer (~1 s of CPU holding the GIL), and a thread doing that starved the UI thread — a key
pressed meanwhile waited 1.5–3 s on a busy machine. In its own process it cannot; the game's
process only sends texts and receives vectors (plain lists: it never imports numpy).

Status: "idle" → "loading" → "ready"; "absent" when the optional extra is not installed (the
mode is still offered and says how to install it), "failed" when it is there but cannot load.
Tests give a stub encoder (`FreeModel(encoder=…)`), a loader of their own (`loader=`), or say
the extra is missing (`FreeModel(installed=False)`).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Sequence

IDLE, LOADING, READY, ABSENT, FAILED = "idle", "loading", "ready", "absent", "failed"


def _serve(threads: int = 1) -> None:
    """The child process (`python -m game.tui.free_model`): load the encoder, say so, then answer
    `encode` requests (pickled lists of texts on stdin, pickled replies on stdout) until stdin
    closes. Whatever the libraries print goes to /dev/null, never into the replies."""
    import os
    import pickle

    replies = os.fdopen(os.dup(1), "wb")
    requests = os.fdopen(os.dup(0), "rb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)

    def reply(*message) -> None:
        pickle.dump(message, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()

    from ..freeanswer import FreeAnswerUnavailable, load_encoder

    try:
        encoder = load_encoder(threads)
        encoder.encode(["ok"])  # builds the lazy parts (tokenizer, weights) now
    except FreeAnswerUnavailable as error:
        reply("failed", error.reason)
        return
    except Exception as error:
        reply("failed", f"{type(error).__name__}: {error}")
        return
    reply("ready", "")
    while True:
        try:
            texts = pickle.load(requests)
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        try:
            vectors = encoder.encode([str(text) for text in texts])
            reply("ok", [v.tolist() if hasattr(v, "tolist") else list(v) for v in vectors])
        except Exception as error:
            reply("error", f"{type(error).__name__}: {error}")


class ProcessEncoder:
    """An `Encoder` whose model lives in a child process (see the module's docstring). A plain
    subprocess with its own pipes: multiprocessing's spawn wants the terminal's stderr, which
    Textual has taken over."""

    def __init__(self, threads: int = 1) -> None:
        import os
        import pickle
        import subprocess
        import sys
        from pathlib import Path

        from ..freeanswer import FreeAnswerUnavailable

        here = str(Path(__file__).resolve().parents[2])  # the folder holding the game package
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "game.tui.free_model", str(threads)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, close_fds=True)
        except OSError as error:
            raise FreeAnswerUnavailable(f"{type(error).__name__}: {error}") from error
        self._pickle = pickle
        self._lock = threading.Lock()
        import weakref

        weakref.finalize(self, _close_quietly, self._process.stdin)  # the child ends on EOF
        try:
            status, reason = pickle.load(self._process.stdout)  # blocks this worker only (GIL released)
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            self.close()
            raise FreeAnswerUnavailable(f"the encoder process stopped ({type(error).__name__})") from error
        if status != "ready":
            self.close()
            raise FreeAnswerUnavailable(reason)

    def encode(self, texts: Sequence[str]) -> list:
        if not texts:
            return []
        with self._lock:
            self._pickle.dump(list(texts), self._process.stdin, protocol=self._pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
            status, payload = self._pickle.load(self._process.stdout)
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def close(self) -> None:
        """Closing stdin ends the child; it is killed if it does not go within a second."""
        try:
            self._process.stdin.close()
            self._process.wait(timeout=1)
        except Exception:
            self._process.kill()


def _close_quietly(stream) -> None:
    try:
        stream.close()
    except Exception:
        pass


def _load_in_a_process():
    from ..freeanswer import FreeAnswerUnavailable, extra_installed

    if not extra_installed():
        raise FreeAnswerUnavailable()
    return ProcessEncoder()


class FreeModel:
    def __init__(self, encoder: Any = None, *, installed: bool | None = None,
                 loader: Callable[[], Any] | None = None) -> None:
        self.matcher = None
        self._loader = loader or _load_in_a_process
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
        from ..freeanswer import FreeAnswerUnavailable, Matcher

        try:
            matcher = Matcher(self._loader())
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
        """In a worker thread: embed the choices waiting (a scene's, a handful of texts)."""
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


if __name__ == "__main__":  # the encoder's own process (see ProcessEncoder)
    import sys

    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
