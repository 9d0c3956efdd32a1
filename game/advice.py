"""What a learner could have done at each point of *their own* path: the coach behind the
debrief's interaction analysis sheet, `mot run`'s transcript and its JSON.

For every move, the best move among the choices the learner was actually offered there (the one
that keeps the best score still reachable, from the analyser's state graph), and, when the best
score had already slipped away, the earlier move that closed the door. Never an option the
learner was not offered: advice is computed from the state the learner was in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Analysis, analyse
from .balance import best_of, reachable_scores
from .engine import Game, State
from .model import Choice, Level
from .scoring import fold_trace

ADVICE_MAX_STATES = 200_000  # beyond this a level gets no advice rather than a slow debrief


@dataclass(frozen=True)
class MoveAdvice:
    index: int  # 0-based move number
    taken: Choice
    best: Choice  # the best move offered there (the taken one when it was as good as any)
    taken_best: int | None  # the best score still reachable after the move taken
    best_best: int | None  # … after the best move
    offered: tuple[str, ...]  # ids of the choices the learner was offered
    door: tuple[int, Choice] | None = None  # (earlier move, its better choice) that kept more open

    @property
    def was_best(self) -> bool:
        return self.best.id == self.taken.id


def _rank(scored: tuple[int | None, Choice]) -> tuple:
    """What makes a move best: the best score it keeps, then what the customer feels now, then
    being the author's ideal."""
    best, choice, delta = scored
    return (-99 if best is None else best, delta, choice.ideal)


class Coach:
    """Best-reachable scores for one level and one player's earlier scores."""

    def __init__(self, level: Level, scores: dict[str, int] | None = None) -> None:
        self.level = level
        self.scores = dict(scores or {})
        self.game = Game(level, self.scores)
        self.analysis: Analysis | None = analyse(level, ADVICE_MAX_STATES, scores=self.scores)
        if not self.analysis.complete:
            self.analysis = None
            self._reach = {}
        else:
            self._reach = reachable_scores(self.analysis)

    def _key(self, state: State, peak: int | None, last_confirm: bool):
        if state.ending is not None:
            return ("end:" + state.ending, state.perception, peak, last_confirm, 0)
        live = self.analysis.live.get(state.scene, frozenset())
        return (state.scene, state.perception, peak, (state.flags | state.found) & live, 0)

    def best_after(self, state: State, peak: int | None, choice: Choice) -> int | None:
        """The best MOT score still reachable once `choice` is taken in `state`."""
        if self.analysis is None:
            return None
        after = self.game.take(state, choice)
        new_peak = fold_trace(peak, state.perception, after.trace[len(state.trace):])
        return best_of(self._reach.get(self._key(after, new_peak, choice.step == "confirm"), 0))

    def advise(self, state: State) -> list[MoveAdvice]:
        """Advice for every move of a finished or unfinished play (`state.moves`)."""
        if self.analysis is None:
            return []
        out: list[MoveAdvice] = []
        now = self.game.start()
        peak = fold_trace(None, self.game.start_perception(), now.trace)  # a start scene's event
        drops: list[tuple[int, Choice]] = []  # moves that lowered the best score still reachable
        for i, move in enumerate(state.moves):
            offered = self.game.choices(now)
            taken = next(c for c in offered if c.id == move.choice)
            scored = [(self.best_after(now, peak, c), c, self.game.delta(now, c)) for c in offered]
            taken_best, taken_delta = next((s, d) for s, c, d in scored if c is taken)
            top = max((s for s, _, _ in scored if s is not None), default=None)
            best, best_delta = max(scored, key=_rank)[1:]
            if _rank((taken_best, taken, taken_delta))[:2] == _rank((top, best, best_delta))[:2]:
                best = taken  # as good as any offered: the learner's own move is the best
            # The door: the last move that lost reach, when the best now is below the start's.
            first_best = out[0].best_best if out else None
            door = (drops[-1] if drops and top is not None and first_best is not None and first_best > top
                    else None)
            out.append(MoveAdvice(i, taken, best, taken_best, top, tuple(c.id for c in offered), door))
            if taken_best != top:  # the move taken lost reach: a door closed here
                drops.append((i, best))
            after = self.game.take(now, taken)
            peak = fold_trace(peak, now.perception, after.trace[len(now.trace):])
            now = after
        return out
