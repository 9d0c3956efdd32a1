"""Matching a typed answer to the nearest available choice of a scene.

Each choice is scored by its best cosine similarity to the typed text over everything that says
it: its text in every language the author wrote and its `examples`. The best score and the gap to
the runner-up decide the band:

- accept: the best score reaches `THRESHOLDS.accept` and the runner-up is more than
  `THRESHOLDS.margin` behind → the move is played;
- ask: the best score reaches `THRESHOLDS.floor` but not `accept`, or two choices are within
  `margin` of each other → "Did you mean «A» or «B»?";
- none: nothing reaches `floor` → "None of the moves here fits — pick one".

Embeddings of a level's choices are computed once per (level, choice, wording) and cached; a
query costs one encoder call on the typed text. An empty or blank text is band none without
calling the encoder.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Sequence

from ..model import Choice
from .encoder import Encoder


@dataclass(frozen=True)
class Thresholds:
    """Where the bands start, on the cosine similarity scale (-1…1)."""

    accept: float  # the best score needed to play a move without asking
    floor: float  # below this nothing fits; from here up to `accept` the game asks
    margin: float  # two choices this close are asked about even above `accept`
    twins: float = 0.92  # `mot check --free` (W118): two choices' texts this alike are twins


# THE thresholds of free-answer mode (see docs/design-notes.md, "Free-answer mode", for how they
# were chosen and what the benchmark measured with them: benchmarks/free_answer.py).
THRESHOLDS = Thresholds(accept=0.45, floor=0.26, margin=0.05, twins=0.92)


class Band(str, Enum):
    ACCEPT = "accept"
    ASK = "ask"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Ranked:
    choice_id: str
    step: str
    score: float


@dataclass(frozen=True)
class Match:
    text: str
    ranking: tuple[Ranked, ...]  # every choice offered, best first (choice order breaks ties)
    band: Band
    pick: str | None  # the choice to play (band accept only)
    candidates: tuple[str, ...]  # accept: the pick; ask: the one or two to offer; none: ()

    @property
    def top(self) -> Ranked | None:
        return self.ranking[0] if self.ranking else None

    def as_dict(self) -> dict:
        """The JSON form `mot match --json` prints."""
        return {
            "text": self.text,
            "ranking": [{"choice": r.choice_id, "step": r.step, "score": round(r.score, 4)}
                        for r in self.ranking],
            "band": self.band.value,
            "pick": self.pick,
            "candidates": list(self.candidates),
        }


def wordings(choice: Choice) -> tuple[str, ...]:
    """Everything that says `choice`: its text in every language, then its examples."""
    seen: list[str] = []
    for value in choice.text.by_lang.values():
        _add(seen, value)
    for lang in sorted(choice.examples):
        for value in choice.examples[lang]:
            _add(seen, value)
    return tuple(seen)


def _add(seen: list[str], value: str) -> None:
    value = " ".join(value.split())
    if value and value not in seen:
        seen.append(value)


def cosine(a: Any, b: Any) -> float:
    """Cosine similarity of two vectors: numpy rows (with @) or plain sequences of floats."""
    try:
        dot, aa, bb = a @ b, a @ a, b @ b
    except TypeError:  # plain lists: no numpy needed
        dot = sum(x * y for x, y in zip(a, b))
        aa = sum(x * x for x in a)
        bb = sum(y * y for y in b)
    norm = math.sqrt(float(aa) * float(bb))
    return float(dot) / norm if norm else 0.0


def decide(ranking: Sequence[Ranked], thresholds: Thresholds = THRESHOLDS
           ) -> tuple[Band, str | None, tuple[str, ...]]:
    """The band, the pick and the candidates for a ranking (best first)."""
    if not ranking or ranking[0].score < thresholds.floor:
        return Band.NONE, None, ()
    best = ranking[0]
    # The runner-up within the margin is offered too, even just under the floor: asking
    # "«A» or «B»?" beats offering only the one that happened to score a hair higher.
    close = len(ranking) > 1 and best.score - ranking[1].score < thresholds.margin
    if best.score >= thresholds.accept and not close:
        return Band.ACCEPT, best.choice_id, (best.choice_id,)
    if close:
        return Band.ASK, None, (best.choice_id, ranking[1].choice_id)
    return Band.ASK, None, (best.choice_id,)


class Matcher:
    """Matches typed answers against a scene's choices with one encoder, caching the choices."""

    def __init__(self, encoder: Encoder, thresholds: Thresholds = THRESHOLDS) -> None:
        self.encoder = encoder
        self.thresholds = thresholds
        self._cache: dict[tuple[str, str, tuple[str, ...]], tuple[Any, ...]] = {}
        self._lock = threading.Lock()

    def vectors(self, level_id: str, choices: Iterable[Choice]) -> dict[str, tuple[Any, ...]]:
        """Each choice's wording vectors, encoding (in one call) only what is not cached yet."""
        keyed = [(choice.id, (level_id, choice.id, wordings(choice))) for choice in choices]
        with self._lock:
            missing = [key for _, key in keyed if key not in self._cache]
        if missing:
            texts = [text for key in missing for text in key[2]]
            encoded = list(self.encoder.encode(texts)) if texts else []
            at = 0
            with self._lock:
                for key in missing:
                    self._cache[key] = tuple(encoded[at:at + len(key[2])])
                    at += len(key[2])
        with self._lock:
            return {choice_id: self._cache[key] for choice_id, key in keyed}

    warm = vectors  # precompute a scene's (or a level's) choices, e.g. when a level starts

    def scores(self, level_id: str, choices: Sequence[Choice], text: str) -> tuple[Ranked, ...]:
        """Every choice's best similarity to `text`, best first (ties keep the choices' order)."""
        vectors = self.vectors(level_id, choices)
        query = list(self.encoder.encode([text]))[0]
        ranked = [Ranked(choice.id, choice.step,
                         max((cosine(query, v) for v in vectors[choice.id]), default=0.0))
                  for choice in choices]
        order = {choice.id: i for i, choice in enumerate(choices)}
        return tuple(sorted(ranked, key=lambda r: (-r.score, order[r.choice_id])))

    def match(self, level_id: str, choices: Sequence[Choice], text: str) -> Match:
        """Where `text` lands among `choices` (the scene's available ones)."""
        text = " ".join(text.split())
        if not text or not choices:
            return Match(text, (), Band.NONE, None, ())
        ranking = self.scores(level_id, choices, text)
        band, pick, candidates = decide(ranking, self.thresholds)
        return Match(text, ranking, band, pick, candidates)
