"""Moment-of-truth scoring (DESIGN §1), kept in one place so every screen explains it the same way.

- MOT score: peak-end rule. Peak = the perception with the largest |p| (ties go to the negative
  one, then to the later one); end = the last perception; score = (peak + end) / 2 rounded half
  away from zero.
- Adherence: E·O·A·C, one point each (see `adherence`).
- Word of mouth: a customer whose MOT score is −1 or below tells 12 people; +2 or above, 2–3.
- Classroom points: 10 × (MOT score + 3) + 5 × adherence + 2 × discoveries found.
  Speed never scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .engine import State
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


def peak(trace: tuple[int, ...] | list[int]) -> int:
    """The most intense moment: largest |p|; a tie goes to the negative value.

    (The tie to the later moment only changes *which* move is the peak, not its value;
    `peak_index` reports that.)
    """
    return trace[peak_index(trace)]


def peak_index(trace) -> int:
    best = 0
    for i, value in enumerate(trace):
        current = trace[best]
        if abs(value) > abs(current) or (abs(value) == abs(current) and value <= current):
            best = i
    return best


def mot_score(trace) -> int:
    if not trace:
        return 0
    return round_half_away((peak(trace) + trace[-1]) / 2)


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
    peak_index: int
    end: int
    mot_score: int
    adherence: Adherence
    found: tuple[str, ...]
    missed: tuple[str, ...]
    word_of_mouth: WordOfMouth
    steps_used: frozenset = field(default_factory=frozenset)

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
    end = trace[-1] if trace else state.perception
    at = peak_index(trace) if trace else 0
    top = trace[at] if trace else end
    total = round_half_away((top + end) / 2) if trace else end
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
    )
