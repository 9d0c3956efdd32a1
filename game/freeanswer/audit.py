"""`mot check --free`: what the matcher would get wrong in a level, as warnings.

- W117: an author's example sits closer to a sibling choice (offered with it) than to its own
  choice: a learner who types it is matched to the wrong move.
- W118: two choices offered together say nearly the same thing (their texts in one language are
  at least `THRESHOLDS.twins` alike): a typed answer cannot tell them apart, the game always asks.

"Offered together" comes from the state-space analysis when it is complete (choices whose `when`
conditions exclude each other are never compared); otherwise every pair of the scene is compared.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from ..diagnostics import Diagnostic, warner
from ..model import Choice, Level
from .matcher import THRESHOLDS, Matcher, Thresholds, cosine, wordings


def together(level: Level, analysis: Any = None) -> dict[str, set[frozenset[str]]]:
    """For each scene, the pairs of choice ids that can be offered at the same time."""
    pairs: dict[str, set[frozenset[str]]] = {sid: set() for sid in level.scenes}
    if analysis is not None and getattr(analysis, "complete", False) and analysis.edges:
        for state, out in analysis.edges.items():
            scene = state[0]
            if scene in pairs:
                ids = sorted({choice.id for choice, _ in out})
                pairs[scene].update(frozenset(p) for p in combinations(ids, 2))
        return pairs
    for sid, scene in level.scenes.items():
        pairs[sid] = {frozenset((a.id, b.id)) for a, b in combinations(scene.choices, 2)}
    return pairs


def free_warnings(level: Level, positions: Any, matcher: Matcher, analysis: Any = None,
                  thresholds: Thresholds = THRESHOLDS) -> list[Diagnostic]:
    """W117 and W118 for `level` (positions: the loader's PositionIndex, or None)."""
    out: list[Diagnostic] = []
    warn = warner(level, positions, out)

    offered = together(level, analysis)
    for sid, scene in level.scenes.items():
        index = {choice.id: i for i, choice in enumerate(scene.choices)}
        vectors = matcher.vectors(level.id, scene.choices)
        for choice in scene.choices:
            siblings = [c for c in scene.choices
                        if c.id != choice.id and frozenset((choice.id, c.id)) in offered[sid]]
            _examples(choice, siblings, vectors, index, sid, warn)
        for a, b in combinations(scene.choices, 2):
            if frozenset((a.id, b.id)) not in offered[sid]:
                continue
            for lang in ("en", "zh"):
                ta, tb = a.text.get(lang), b.text.get(lang)
                if not ta or not tb:
                    continue
                va, vb = (vectors[a.id][wordings(a).index(" ".join(ta.split()))],
                          vectors[b.id][wordings(b).index(" ".join(tb.split()))])
                score = cosine(va, vb)
                if score >= thresholds.twins:
                    warn("W118",
                         f"choices {a.id!r} and {b.id!r} say nearly the same thing ({lang} texts "
                         f"{score:.2f} alike): a typed answer cannot tell them apart; word them "
                         "differently, or give them `when` conditions that exclude each other",
                         f"选项 {a.id!r} 和 {b.id!r} 说的几乎是同一件事（{lang} 文字相似度 "
                         f"{score:.2f}）：自由作答时无法区分；请换个说法，或用互斥的 `when` 条件",
                         ("scene", sid, "choice", index[b.id]))
                    break
    return out


def _examples(choice: Choice, siblings: list[Choice], vectors, index, sid, warn) -> None:
    mine = wordings(choice)
    for lang in sorted(choice.examples):
        for j, example in enumerate(choice.examples[lang]):
            key = " ".join(example.split())
            if key not in mine:
                continue
            at = mine.index(key)
            vec = vectors[choice.id][at]
            own = max((cosine(vec, v) for k, v in enumerate(vectors[choice.id]) if k != at),
                      default=0.0)
            best, near = own, None
            for sibling in siblings:
                score = max((cosine(vec, v) for v in vectors[sibling.id]), default=0.0)
                if score > best:
                    best, near = score, sibling
            if near is not None:
                warn("W117",
                     f"the example {example!r} of choice {choice.id!r} is closer to {near.id!r} "
                     f"({best:.2f}) than to its own choice ({own:.2f}): a learner typing it "
                     "would be matched to the wrong move",
                     f"选项 {choice.id!r} 的例句 {example!r} 离 {near.id!r} 更近（{best:.2f}），"
                     f"离它自己的选项反而较远（{own:.2f}）：学员这样输入会被匹配到错误的选择",
                     ("scene", sid, "choice", index[choice.id], "examples", lang, j), "value")
