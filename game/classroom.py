"""Hot-seat rounds: several teams play the same level, one decision per turn.

Pure logic (no Textual): whose turn it is, each team's own path through the level, passing a
turn when the discussion timer runs out (the team keeps its place, nothing is lost), ending
the round early, and the ranking with points (`scoring.classroom_points`), which never reward
speed.

Fairness: round r of a campaign starts with team r mod n (`first`), so no team always goes
first; ending early (`close`) lets every team still playing reach the same number of turns
before the round ends, and `fewer_turns` names who had fewer when the trainer ends it at once.
In exam mode the feedback on a decision waits until every team has made it
(`decision_complete`). A round is saved as plain data (`to_dict`/`from_dict`) after every move.
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
    first: int = 0  # the team that opens the round (round r of a campaign: r mod n)

    def __post_init__(self) -> None:
        if not self.team_names:
            raise ValueError("a round needs at least one team")
        if len(set(self.team_names)) != len(self.team_names):
            raise ValueError("team names must differ")
        self.teams = []
        for name in self.team_names:
            game = Game(self.level, self.scores.get(name, {}), seed=self.seed)
            self.teams.append(Team(name, game, game.start()))
        self.first = self.first % len(self.teams)
        self.turn = self.first
        self.ended = False
        self.closing_at: int | None = None  # ending: the round ends once every team has had this many turns

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

    def play(self, choice_id: str, said: str = "") -> Team:
        """The current team takes a choice (`said`: the words it typed, in free-answer mode);
        returns that team (the turn does not move yet)."""
        team = self.current
        team.state = team.game.apply(team.state, choice_id, said)
        return team

    def next_turn(self) -> None:
        """Hand the turn to the next team that has not finished (or end a closing round once
        every team has had its turns)."""
        if self.over:
            return
        if self.closing_at is not None and not self.still_to_play():
            self.ended = True
            return
        behind = self.still_to_play() if self.closing_at is not None else None
        for step in range(1, len(self.teams) + 1):
            candidate = (self.turn + step) % len(self.teams)
            team = self.teams[candidate]
            if not team.finished and (behind is None or team in behind):
                self.turn = candidate
                return

    def pass_turn(self) -> None:
        """The timer ran out: the team loses this turn but keeps its place in the level."""
        self.current.passes += 1
        self.next_turn()

    def end(self) -> None:
        self.ended = True

    # -- fairness ---------------------------------------------------------------------------
    @staticmethod
    def turns(team: Team) -> int:
        """Turns a team has had: its moves and the turns it lost to the timer."""
        return len(team.state.moves) + team.passes

    def _playing(self) -> list[Team]:
        return [t for t in self.teams if not t.finished]

    def still_to_play(self, target: int | None = None) -> list[Team]:
        """Teams still playing that have had fewer turns than `target` (default: the most any
        team still playing has had, or the closing target)."""
        playing = self._playing()
        if target is None:
            target = self.closing_at if self.closing_at is not None else max(
                (self.turns(t) for t in playing), default=0)
        return [t for t in playing if self.turns(t) < target]

    def close(self) -> bool:
        """The trainer ends the round: the teams still to play this pass have their turn
        first. True when nobody is left to play (the round is over now)."""
        self.closing_at = max((self.turns(t) for t in self._playing()), default=0)
        if not self.still_to_play():
            self.ended = True
        return self.ended

    def fewer_turns(self) -> dict[str, int]:
        """Unfinished teams that had fewer turns than others still playing: name → how many fewer."""
        playing = self._playing()
        most = max((self.turns(t) for t in playing), default=0)
        return {t.name: most - self.turns(t) for t in playing if self.turns(t) < most}

    def decision_complete(self, n: int) -> bool:
        """Every team has made its decision `n` (or finished, or the round is over)."""
        return self.over or all(t.finished or len(t.state.moves) >= n for t in self.teams)

    # -- saving -----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"level": self.level.id, "teams": list(self.team_names), "seed": self.seed,
                "first": self.first, "turn": self.turn, "ended": self.ended,
                "closing_at": self.closing_at,
                "choices": {t.name: [m.choice for m in t.state.moves] for t in self.teams},
                "passes": {t.name: t.passes for t in self.teams},
                "said": {t.name: [m.said for m in t.state.moves] for t in self.teams
                         if any(m.said for m in t.state.moves)}}

    @classmethod
    def from_dict(cls, level: Level, data: Mapping, scores: Mapping[str, Mapping[str, int]] | None = None) -> "Round":
        """The round saved by `to_dict`, replayed on `level` (raises engine.ChoiceUnavailable
        when the level changed so that a saved choice no longer plays)."""
        rnd = cls(level, list(data["teams"]), scores or {}, seed=data.get("seed"),
                  first=int(data.get("first", 0)))
        for team in rnd.teams:
            choices = list(data.get("choices", {}).get(team.name, []))
            said = list(data.get("said", {}).get(team.name, []))
            said += [""] * (len(choices) - len(said))
            team.state = team.game.start()
            for choice_id, words in zip(choices, said):
                team.state = team.game.apply(team.state, choice_id, str(words or ""))
            team.passes = int(data.get("passes", {}).get(team.name, 0))
        rnd.turn = int(data.get("turn", rnd.first)) % len(rnd.teams)
        rnd.ended = bool(data.get("ended", False))
        closing = data.get("closing_at")
        rnd.closing_at = None if closing is None else int(closing)
        return rnd

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
