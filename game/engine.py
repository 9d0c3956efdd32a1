"""The pure game state machine: one level, one player, immutable states.

`Game.apply` returns a new `State`; nothing is mutated, so the TUI can keep history, the
analyser can memoise states, and tests can compare them. Perception is clamped to −3..3 after
every move and the whole trace is kept for peak-end scoring.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Mapping

from .conditions import Env
from .model import Choice, Level, Scene, clean_name, ending_of

MIN_PERCEPTION, MAX_PERCEPTION = -3, 3
MAX_SEED = 2**31 - 1
MAX_SAID = 2000  # characters of a typed answer kept with its move


def new_seed() -> int:
    """A fresh seed for a play's card order (shown to the player, so small enough to type)."""
    return secrets.randbelow(1_000_000)


def shown_order(choices: list, seed: int | None, level_id: str, scene: str | None, move: int) -> list:
    """The choices in the order the cards are shown: a shuffle decided by the seed, the level,
    the scene and the move number, so one seed gives every team of a room the same order and
    the file's order (where authors tend to put the best answer first) tells the player nothing.
    A seed of None keeps the file's order (the analyser, the checker)."""
    if seed is None or len(choices) < 2:
        return list(choices)
    shuffled = list(choices)
    random.Random(f"{seed}/{level_id}/{scene}/{move}").shuffle(shuffled)
    return shuffled


def clamp(value: int) -> int:
    return max(MIN_PERCEPTION, min(MAX_PERCEPTION, value))


class ChoiceUnavailable(LookupError):
    """The choice does not exist in this scene, or its `when` is false now."""

    def __init__(self, scene: str, choice: str, available: list[str]) -> None:
        listed = ", ".join(available) or "none"
        super().__init__(
            f"choice {choice!r} is not available in scene {scene!r}; available: {listed}"
        )
        self.scene = scene
        self.choice = choice
        self.available = available


@dataclass(frozen=True)
class Move:
    """One decision as it happened: where, what, which step, and the meter after it (and
    before it: a move clamped at ±3 changes nothing, and the game must not claim it did)."""

    scene: str
    choice: str
    step: str
    delta: int
    perception: int
    before: int = 0
    said: str = ""  # the learner's own words, when the move was typed (free-answer mode)


@dataclass(frozen=True)
class Event:
    """A scene's event as it happened (`event = { perception = N, text = … }`): the meter moved
    on entering `scene`, after `at` moves (0: before the first). Not a move: never a step, never
    a choice to record or replay, never counted in adherence or the card order; it is a moment
    of the customer's experience, so the peak-end trace holds it (`State.trace`)."""

    scene: str
    delta: int
    perception: int
    before: int
    at: int


@dataclass(frozen=True)
class State:
    scene: str | None  # None once an ending is reached
    perception: int
    ending: str | None = None
    flags: frozenset = frozenset()
    found: frozenset = frozenset()  # discovery ids revealed so far
    moves: tuple[Move, ...] = ()
    events: tuple[Event, ...] = ()  # scene events met so far, in order (see `timeline`)

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def timeline(self) -> tuple:
        """The customer's experience in order: every `Move` and `Event` (an event with `at` = n
        comes after the n-th move and before the next)."""
        if not self.events:
            return self.moves
        out: list = []
        events = iter(self.events)
        event = next(events, None)
        for i, move in enumerate(self.moves):
            while event is not None and event.at <= i:
                out.append(event)
                event = next(events, None)
            out.append(move)
        while event is not None:
            out.append(event)
            event = next(events, None)
        return tuple(out)

    @property
    def trace(self) -> tuple[int, ...]:
        """p₁…pₙ: the perception after each moment of the timeline (moves and scene events)."""
        if not self.events:
            return tuple(m.perception for m in self.moves)
        return tuple(m.perception for m in self.timeline)

    @property
    def event_indices(self) -> tuple[int, ...]:
        """0-based positions in `trace` that are scene events, not moves."""
        return tuple(i for i, m in enumerate(self.timeline) if isinstance(m, Event)) if self.events else ()

    @property
    def entered(self) -> Event | None:
        """The event of the scene this state has just entered (after its last move; the start
        scene's before the first), or None: what a screen shows above the scene's words."""
        event = self.events[-1] if self.events else None
        return event if event is not None and event.at == len(self.moves) and event.scene == self.scene else None

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(m.step for m in self.moves)


@dataclass
class Game:
    """Rules for one level. `scores` holds earlier levels' MOT scores for `score.<level>`."""

    level: Level
    scores: Mapping[str, int] = field(default_factory=dict)
    seed: int | None = None  # the card order's seed; None: the file's order

    def start(self) -> State:
        """The level's first state: the start scene entered, its event (if any) applied."""
        return self.enter(State(scene=self.level.start, perception=clamp(self.level.perception)))

    def start_perception(self) -> int:
        """p₀: the customer's mood before anything happens (the level's `perception`)."""
        return clamp(self.level.perception)

    def enter(self, state: State) -> State:
        """`state` on arriving in its scene: the scene's event moves the meter (every entry)."""
        scene = self.level.scenes.get(state.scene) if state.scene else None
        if scene is None or scene.event is None:
            return state
        after = clamp(state.perception + scene.event.delta)
        event = Event(scene.id, scene.event.delta, after, state.perception, len(state.moves))
        return State(scene=state.scene, perception=after, ending=state.ending, flags=state.flags,
                     found=state.found, moves=state.moves, events=state.events + (event,))

    def delta(self, state: State, choice: Choice) -> int:
        """The change `choice` makes to the meter from `state` (its `perception` cases read the
        state before the move)."""
        return choice.delta_for(self.env(state)) if choice.deltas else choice.delta

    def scene(self, state: State) -> Scene | None:
        return self.level.scenes.get(state.scene) if state.scene else None

    def scene_text(self, state: State, scene: Scene | None = None):
        """What the scene says to this player now: its text, or the variant that fits."""
        scene = scene or self.scene(state)
        return scene.text_for(self.env(state)) if scene is not None else None

    def env(self, state: State) -> Env:
        return Env(flags=state.flags | state.found, perception=state.perception, scores=self.scores)

    def choices(self, state: State) -> list[Choice]:
        """Choices the player may take now, in the author's order."""
        scene = self.scene(state)
        if scene is None:
            return []
        env = self.env(state)
        return [c for c in scene.choices if c.when is None or c.when.evaluate(env)]

    def offered(self, state: State) -> list[Choice]:
        """The choices available now, in the order the player is shown them (see `shown_order`)."""
        return shown_order(self.choices(state), self.seed, self.level.id, state.scene, len(state.moves))

    def apply(self, state: State, choice_id: str, said: str = "") -> State:
        available = self.choices(state)
        choice = next((c for c in available if c.id == choice_id), None)
        if choice is None:
            raise ChoiceUnavailable(state.scene or "(ended)", choice_id, [c.id for c in available])
        return self.take(state, choice, said)

    def take(self, state: State, choice: Choice, said: str = "") -> State:
        """Apply a choice already known to be available (the analyser's fast path). `said` is
        what the learner typed when the move was matched from their own words: kept as data,
        on one line, without control or invisible characters (it reaches terminals and exports)."""
        if said:
            said = clean_name(said)[:MAX_SAID]
        delta = self.delta(state, choice)
        perception = clamp(state.perception + delta)
        move = Move(state.scene or "", choice.id, choice.step, delta, perception, state.perception,
                    said)
        flags = state.flags | frozenset(choice.sets) if choice.sets else state.flags
        found = state.found | frozenset(choice.reveals) if choice.reveals else state.found
        target = choice.next
        if choice.branches:  # decided by the state after this move
            target = choice.target(Env(flags=flags | found, perception=perception, scores=self.scores))
        ending = ending_of(target)
        after = State(
            scene=None if ending else target,
            perception=perception,
            ending=ending,
            flags=flags,
            found=found,
            moves=state.moves + (move,),
            events=state.events,
        )
        return self.enter(after) if not ending else after

    def play(self, choice_ids: list[str]) -> State:
        """Take the named choices in turn from the start; raises ChoiceUnavailable."""
        state = self.start()
        for choice_id in choice_ids:
            if state.finished:
                raise ChoiceUnavailable("(ended)", choice_id, [])
            state = self.apply(state, choice_id)
        return state

    def ideal_path(self, limit: int = 1000) -> list[str]:
        """Follow the `ideal` choice (the first available one marked ideal) to an ending."""
        state = self.start()
        path: list[str] = []
        while not state.finished and len(path) < limit:
            ideal = next((c for c in self.choices(state) if c.ideal), None)
            if ideal is None:
                break
            path.append(ideal.id)
            state = self.take(state, ideal)
        return path
