"""Moment-of-truth scoring v2 (the issue "Choices that test judgment…"; docs/design-notes.md),
kept in one place so every screen, the checker and the tests explain it the same way.

- p₀ is the level's starting perception; pᵢ = clamp(pᵢ₋₁ + deltaᵢ) after move i.
- A *moment* is a move that changed the meter (pᵢ ≠ pᵢ₋₁). The customer's starting mood and
  moves that leave the meter where it was are not moments the player made.
- Peak = the moment with the largest |pᵢ|; a tie goes to the *later* moment (the customer's
  latest strong feeling is the one they carry away). With no moment at all, peak = end.
- End = pₙ. MOT score = (peak + end) / 2, rounded half away from zero.
- Adherence: E·O·A·C, one point each (see `adherence`).
- Word of mouth: a customer whose MOT score is −1 or below tells 12 people; +2 or above, 2–3.
- Classroom points: 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found.
  Speed never scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .engine import State, clamp
from .model import Level

LABELS: dict[int, dict[str, str]] = {
    3: {"en": "delighted", "zh": "让客户喜悦"},
    2: {"en": "exceeded expectations", "zh": "超出期望"},
    1: {"en": "met expectations", "zh": "符合期望"},
    0: {"en": "neutral (no expectation)", "zh": "中立（没有期望）"},
    -1: {"en": "partly unmet", "zh": "部分没有符合期望"},
    -2: {"en": "unmet", "zh": "无法符合期望"},
    -3: {"en": "relationship in crisis", "zh": "危机双方的关系"},
}
POINTS_FORMULA = {
    "en": "points = 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found",
    "zh": "积分 = 10 ×（MOT 分数 + 3）+ 5 × 模型遵循度 + 2 × 发现数",
}


def label(value: int, lang: str = "en") -> str:
    return LABELS[max(-3, min(3, value))][lang if lang in ("en", "zh") else "en"]


def round_half_away(value: float) -> int:
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def _replaces(peak: int | None, before: int, after: int) -> bool:
    """The peak rule, in one place: a move that changed the meter (a moment) becomes the peak
    when it is at least as strong as the peak so far (a tie goes to the later moment)."""
    return after != before and (peak is None or abs(after) >= abs(peak))


def fold_peak(peak: int | None, before: int, after: int) -> int | None:
    """The peak after one more move, from the peak so far (None: no moment yet) and the meter
    before and after the move; the analyser folds with it too."""
    return after if _replaces(peak, before, after) else peak


def score_of(peak: int | None, end: int) -> int:
    """(peak + end) / 2 rounded half away from zero; with no moment, peak = end."""
    return round_half_away(((end if peak is None else peak) + end) / 2)


def peak_index(start: int, trace) -> int | None:
    """0-based index into `trace` of the peak moment; None when no move changed the meter."""
    best: int | None = None
    before = start
    for i, value in enumerate(trace):
        if _replaces(None if best is None else trace[best], before, value):
            best = i
        before = value
    return best


def fold_trace(peak: int | None, before: int, values) -> int | None:
    """`fold_peak` over several moments in turn (a move and the scene event it led into)."""
    for value in values:
        peak = fold_peak(peak, before, value)
        before = value
    return peak


def peak(start: int, trace) -> int:
    """The peak's value: the peak moment, or the end when there was no moment."""
    at = peak_index(start, trace)
    if at is not None:
        return trace[at]
    return trace[-1] if trace else start


def mot_score(start: int, trace) -> int:
    end = trace[-1] if trace else start
    at = peak_index(start, trace)
    return score_of(None if at is None else trace[at], end)


@dataclass(frozen=True)
class Adherence:
    explored_first: bool
    offered_before_act: bool
    acted: bool
    confirmed_last: bool

    @property
    def total(self) -> int:
        return sum((self.explored_first, self.offered_before_act, self.acted, self.confirmed_last))

    @property
    def badges(self) -> dict[str, bool]:
        return {
            "explore": self.explored_first,
            "offer": self.offered_before_act,
            "act": self.acted,
            "confirm": self.confirmed_last,
        }

    def as_dict(self) -> dict:
        return {
            "explored_first": self.explored_first,
            "offered_before_act": self.offered_before_act,
            "acted": self.acted,
            "confirmed_last": self.confirmed_last,
            "total": self.total,
        }


def _first(steps, step: str) -> int | None:
    return next((i for i, s in enumerate(steps) if s == step), None)


def adherence(steps) -> Adherence:
    """E: explored, and no offer before the first explore. O: offered, and no act before the
    first offer. A: acted at least once. C: the last move was a confirm."""
    steps = list(steps)
    first_explore, first_offer, first_act = (_first(steps, s) for s in ("explore", "offer", "act"))
    explored_first = first_explore is not None and (first_offer is None or first_offer > first_explore)
    offered = first_offer is not None and (first_act is None or first_act > first_offer)
    return Adherence(
        explored_first=explored_first,
        offered_before_act=offered,
        acted=first_act is not None,
        confirmed_last=bool(steps) and steps[-1] == "confirm",
    )


@dataclass(frozen=True)
class WordOfMouth:
    tone: str  # "negative" | "positive" | "none"
    people_min: int
    people_max: int

    def as_dict(self) -> dict:
        return {"tone": self.tone, "people_min": self.people_min, "people_max": self.people_max}


def word_of_mouth(score: int) -> WordOfMouth:
    if score <= -1:
        return WordOfMouth("negative", 12, 12)
    if score >= 2:
        return WordOfMouth("positive", 2, 3)
    return WordOfMouth("none", 0, 0)


@dataclass(frozen=True)
class Result:
    level: str
    ending: str | None
    trace: tuple[int, ...]
    peak: int
    peak_index: int | None  # 0-based move of the peak moment; None when no move was a moment
    end: int
    mot_score: int
    adherence: Adherence
    found: tuple[str, ...]
    missed: tuple[str, ...]
    word_of_mouth: WordOfMouth
    steps_used: frozenset = field(default_factory=frozenset)
    start: int = 0  # p₀, the customer's mood before the first move
    # 0-based positions in `trace` that are scene events (`event = …`), not moves: the trace is
    # the customer's experience, moves and events in order
    events: tuple[int, ...] = ()

    @property
    def peak_move(self) -> int | None:
        """1-based move of the peak moment, as players count moves; None when no move was a
        moment, or when the peak is a scene event (see `peak_event`)."""
        if self.peak_index is None or self.peak_index in self.events:
            return None
        return self.move_number(self.peak_index)

    @property
    def peak_event(self) -> int | None:
        """1-based number of the scene event that is the peak moment, or None."""
        if self.peak_index is None or self.peak_index not in self.events:
            return None
        return self.events.index(self.peak_index) + 1

    def move_number(self, index: int) -> int:
        """The 1-based move at `trace[index]` (for an event: the number of moves before it)."""
        return index + 1 - sum(1 for e in self.events if e < index) - (index in self.events)

    @property
    def points(self) -> int:
        return classroom_points(self.mot_score, self.adherence.total, len(self.found))

    def label(self, lang: str = "en") -> str:
        return label(self.mot_score, lang)


def classroom_points(score: int, adherence_total: int, found: int) -> int:
    """See POINTS_FORMULA: rewards the customer's perception, the model, and listening."""
    return 10 * (score + 3) + 5 * adherence_total + 2 * found


def score(level: Level, state: State) -> Result:
    trace = state.trace
    start = clamp(level.perception)
    end = trace[-1] if trace else state.perception
    at = peak_index(start, trace)
    top = trace[at] if at is not None else end
    total = score_of(top, end)
    return Result(
        level=level.id,
        ending=state.ending,
        trace=trace,
        peak=top,
        peak_index=at,
        end=end,
        mot_score=total,
        adherence=adherence(state.steps),
        found=tuple(d for d in level.discoveries if d in state.found),
        missed=tuple(d for d in level.discoveries if d not in state.found),
        word_of_mouth=word_of_mouth(total),
        steps_used=frozenset(state.steps),
        start=start,
        events=state.event_indices,
    )
