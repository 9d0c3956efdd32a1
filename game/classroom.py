"""Hot-seat rounds: several teams play the same level, one decision per turn.

Pure logic (no Textual): whose turn it is, each team's own path through the level, passing a
turn when the discussion timer runs out (the team keeps its place, nothing is lost), ending
the round early, and the ranking with points (`scoring.classroom_points`), which never reward
speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .engine import Game, State
from .model import Choice, Level
from .scoring import Result, score


@dataclass
class Team:
    name: str
    game: Game  # each team's own: its earlier scores feed `score.<level>` conditions
    state: State
    passes: int = 0  # turns lost to the timer

    @property
    def finished(self) -> bool:
        return self.state.finished


@dataclass
class Standing:
    rank: int
    team: str
    result: Result
    finished: bool

    moved: bool = True

    @property
    def points(self) -> int:
        """A team that has not moved yet earns nothing, whatever the level's starting mood."""
        return self.result.points if self.moved else 0


@dataclass
class Round:
    level: Level
    team_names: list[str]
    scores: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # team → level → score
    seed: int | None = None  # one card order for every team of the round

    def __post_init__(self) -> None:
        if not self.team_names:
            raise ValueError("a round needs at least one team")
        if len(set(self.team_names)) != len(self.team_names):
            raise ValueError("team names must differ")
        self.teams = []
        for name in self.team_names:
            game = Game(self.level, self.scores.get(name, {}), seed=self.seed)
            self.teams.append(Team(name, game, game.start()))
        self.turn = 0
        self.ended = False

    @property
    def game(self) -> Game:
        """The current team's game."""
        return self.current.game

    @property
    def current(self) -> Team:
        return self.teams[self.turn]

    @property
    def over(self) -> bool:
        return self.ended or all(t.finished for t in self.teams)

    def choices(self) -> list[Choice]:
        """The current team's choices, in the order shown (the same order for every team)."""
        return self.current.game.offered(self.current.state)

    def play(self, choice_id: str) -> Team:
        """The current team takes a choice; returns that team (the turn does not move yet)."""
        team = self.current
        team.state = team.game.apply(team.state, choice_id)
        return team

    def next_turn(self) -> None:
        """Hand the turn to the next team that has not finished."""
        if self.over:
            return
        for step in range(1, len(self.teams) + 1):
            candidate = (self.turn + step) % len(self.teams)
            if not self.teams[candidate].finished:
                self.turn = candidate
                return

    def pass_turn(self) -> None:
        """The timer ran out: the team loses this turn but keeps its place in the level."""
        self.current.passes += 1
        self.next_turn()

    def end(self) -> None:
        self.ended = True

    def standings(self) -> list[Standing]:
        """Teams by points, then MOT score, then adherence, then name. Ties share a rank."""
        rows = [Standing(0, t.name, score(self.level, t.state), t.finished, bool(t.state.moves))
                for t in self.teams]

        def merit(s: Standing) -> tuple:
            return (s.points, s.result.mot_score, s.result.adherence.total)

        rows.sort(key=lambda s: (tuple(-x for x in merit(s)), s.team))
        for i, row in enumerate(rows):
            same = i and merit(rows[i - 1]) == merit(row)
            row.rank = rows[i - 1].rank if same else i + 1
        return rows
