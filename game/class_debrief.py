"""The class debrief: a classroom round told scene by scene, for the trainer's screen.

From a level, the teams' plays of it (a room's `RunRecord`s, or a hot-seat round's states) and
the room's votes, `build` makes a list of pages:

- one `ScenePage` per scene some team reached: what the customer said there (as each team heard
  it: a scene's variant may differ between paths), what every team that reached it chose (the
  choice, its step, the meter before → after, the coach's note, whether it was the team's
  biggest drop of the level and the ending it led to), teams whose play stopped there before
  choosing, the best move offered there (`advice.Coach`, from each team's own state), the
  scene's event as each team met it on entering (`event = …`: it moved the meter, it is not a
  move), and, in vote mode, the split of the votes cast there;
- an `EndingsPage`: every team's ending, MOT score and biggest drop;
- a `DiscussPage` last, when the level has discussion questions, with their model answers.

Teams take different paths, so a scene page lists only the teams that reached that scene. Pages
follow the order in which the scenes were reached along the plays: a scene comes after every
scene that led to it on some team's path, and otherwise the scene reached at an earlier decision
(then by an earlier team) comes first.

What happened is taken from the records (the meter as it moved); the level is replayed only for
what the records do not hold (the words each team heard, the advice), and only as far as the
replay agrees with the records, so a level edited since the round never puts words in a team's
mouth. Pure Python: no Textual, no TOML; texts stay `Text` so the screen picks the language.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .engine import Game, State, clamp
from .model import EMPTY, Character, Choice, Ending, Level, Scene, Text
from .played import SeenEvent, meter_gaps
from .played import timeline as in_order


@dataclass(frozen=True)
class TeamRun:
    """One team's play of the level: its moves (each with `scene`, `choice`, `step`, `delta`
    and `perception` after the move, like `store.MoveRecord` and `engine.Move`), the ending
    reached (None: stopped before one) and its MOT score when known."""

    team: str
    moves: tuple = ()
    ending: str | None = None
    mot_score: int | None = None
    scores: Mapping[str, int] | None = None  # the team's earlier scores (None: `build`'s)
    # The scene events the team met (engine `Event`s, `played.SeenEvent`s or their stored
    # dicts); None: not recorded (a run older than schema 8), read from the meter's jumps.
    events: tuple | None = None

    @classmethod
    def of(cls, run) -> TeamRun:
        """A `store.RunRecord` (team, else player) or a `TeamRun` as it is."""
        if isinstance(run, TeamRun):
            return run
        events = getattr(run, "events", None)
        return cls(run.team or run.player, tuple(run.moves), run.ending, run.mot_score,
                   events=tuple(events) if isinstance(events, (list, tuple)) else None)

    @classmethod
    def from_state(cls, team: str, state: State, mot_score: int | None = None,
                   scores: Mapping[str, int] | None = None) -> TeamRun:
        """A hot-seat team's play as it stands (finished or not)."""
        return cls(team, tuple(state.moves), state.ending, mot_score, scores, tuple(state.events))


@dataclass(frozen=True)
class TeamMove:
    """What one team did at a scene."""

    team: str
    decision: int  # the team's move number, from 1
    scene: str
    choice_id: str
    choice: Choice | None  # None when the level no longer has that choice
    step: str
    before: int  # the meter before the move …
    after: int  # … and after it
    delta: int
    biggest_drop: bool = False  # the team's largest fall of the meter in the level (the first, on a tie)
    ending: str | None = None  # the ending this move led to, when it ended the team's play
    best: Choice | None = None  # the best move this team was offered here (None: no advice)
    best_keeps: int | None = None  # the best MOT score still reachable after that best move

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def was_best(self) -> bool:
        return self.best is not None and self.best.id == self.choice_id


@dataclass(frozen=True)
class TeamEvent:
    """A scene's event one team met on entering a scene (`event = …`): it moved the meter, but
    it is not a move: never a decision, never a team's biggest drop."""

    team: str
    scene: str
    at: int  # the team's moves before it (0: before its first)
    text: Text  # EMPTY when neither the record nor the level has its words
    before: int
    after: int
    delta: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Heard:
    """The scene's words as some teams heard them."""

    text: Text
    teams: tuple[str, ...]


@dataclass(frozen=True)
class BestMove:
    """The best move offered at a scene, and to which teams (teams in other states there may
    have had another)."""

    choice: Choice
    teams: tuple[str, ...]
    keeps: tuple[int | None, ...]  # per team: the best MOT score still reachable after it


@dataclass(frozen=True)
class VoteCount:
    choice_id: str
    choice: Choice | None
    count: int
    voters: tuple[str, ...]  # nicknames, in the order they voted


@dataclass(frozen=True)
class VoteSplit:
    """The votes cast at one decision of one round, most votes first."""

    round: int
    decision: int
    total: int
    counts: tuple[VoteCount, ...]


@dataclass(frozen=True)
class ScenePage:
    number: int  # this scene page's number, from 1
    scene: Scene
    speaker: Character | None
    heard: tuple[Heard, ...]  # the words, each with the teams that heard them
    moves: tuple[TeamMove, ...]  # by team (in the teams' order), then by decision
    waiting: tuple[str, ...]  # teams whose play stopped here, before choosing
    best: tuple[BestMove, ...]
    votes: tuple[VoteSplit, ...] = ()
    events: tuple[TeamEvent, ...] = ()  # the scene's event as each team met it, teams' order

    def alike_events(self) -> list[tuple[tuple[str, ...], TeamEvent]]:
        """The events with the teams that met them alike (same words, meter before and
        after), in the teams' order."""
        groups: dict[tuple, tuple[list[str], TeamEvent]] = {}
        for event in self.events:
            key = (tuple(sorted(event.text.by_lang.items())), event.before, event.after)
            groups.setdefault(key, ([], event))[0].append(event.team)
        return [(tuple(teams), event) for teams, event in groups.values()]

    def alike(self) -> list[tuple[tuple[str, ...], TeamMove]]:
        """The moves with the teams that made them alike (same choice, same meter before and
        after, same ending, and a biggest drop for all or for none), in the teams' order: what
        the screen shows, one entry for "three teams explored"."""
        groups: dict[tuple, tuple[list[str], TeamMove]] = {}
        for move in self.moves:
            key = (move.choice_id, move.before, move.after, move.ending, move.biggest_drop, move.was_best)
            groups.setdefault(key, ([], move))[0].append(move.team)
        return [(tuple(teams), move) for teams, move in groups.values()]

    @property
    def teams(self) -> tuple[str, ...]:
        """Every team that reached this scene, in the teams' order."""
        seen = dict.fromkeys(m.team for m in self.moves)
        seen.update(dict.fromkeys(self.waiting))
        return tuple(seen)


@dataclass(frozen=True)
class TeamEnding:
    team: str
    ending_id: str | None  # None: the play stopped before an ending
    ending: Ending | None
    mot_score: int | None
    path: tuple[TeamMove, ...]  # every move the team made, in order
    drop: TeamMove | None  # the team's biggest drop, None when the meter never fell
    events: tuple[TeamEvent, ...] = ()  # the scene events it met, in order

    @property
    def moves(self) -> int:
        return len(self.path)

    @property
    def timeline(self) -> tuple[TeamMove | TeamEvent, ...]:
        """Moves and events in the order the customer lived them (an event with `at` = n
        after the n-th move)."""
        return tuple(in_order(self.events, self.path))


@dataclass(frozen=True)
class EndingsPage:
    teams: tuple[TeamEnding, ...]


@dataclass(frozen=True)
class DiscussPage:
    questions: tuple[tuple[Text, Text], ...]  # (question, model answer or an empty Text)


Page = ScenePage | EndingsPage | DiscussPage


def customer_name(level: Level, lang: str) -> str:
    """The level's customer by name ("where we lost Grace Wang")."""
    customer = level.character(level.customer)
    return customer.name.get(lang) if customer is not None else level.customer


def biggest_drop(moves: Sequence[TeamMove]) -> TeamMove | None:
    """The move that lowered the meter most (the first of equals); None if none lowered it."""
    worst = None
    for move in moves:
        if move.change < 0 and (worst is None or move.change < worst.change):
            worst = move
    return worst


# -- one team's path ----------------------------------------------------------------------------

@dataclass
class _Path:
    team: str
    moves: list[TeamMove]
    heard: list[Text]  # per move: the scene's text as the team heard it
    stopped_at: str | None  # the scene an unfinished play stands at
    heard_there: Text  # … and its words
    ending: str | None
    mot_score: int | None
    events: list[TeamEvent] = field(default_factory=list)

    @property
    def scenes(self) -> list[str]:
        return [m.scene for m in self.moves] + ([self.stopped_at] if self.stopped_at else [])


def _walk(level: Level, run: TeamRun, coach, scores: Mapping[str, int]) -> _Path:
    """Read a team's moves, replaying the level alongside as long as it agrees with them."""
    game = Game(level, scores)
    state: State | None = game.start()
    before = clamp(level.perception)
    replayed = state  # the replay as far as it agreed with the records
    moves: list[TeamMove] = []
    heard: list[Text] = []
    for n, record in enumerate(run.moves, 1):
        scene = level.scenes.get(record.scene)
        choice = scene.choice(record.choice) if scene is not None else None
        if state is not None and state.scene == record.scene and choice is not None:
            heard.append(game.scene_text(state, scene))
            state = replayed = game.take(state, choice)
        else:
            heard.append(scene.text if scene is not None else EMPTY)
            state = None  # the level changed since: words and advice stop here
        last = n == len(run.moves)
        if getattr(record, "before", None) is not None:  # a scene event may have moved it since
            before = record.before
        moves.append(TeamMove(run.team, n, record.scene, record.choice, choice, record.step, before,
                              record.perception, record.delta, ending=run.ending if last else None))
        before = record.perception
    stopped_at, heard_there = None, EMPTY
    if run.ending is None and state is not None and state.scene is not None:
        stopped_at = state.scene
        heard_there = game.scene_text(state) or EMPTY
    moves = _with_advice(moves, replayed, coach)
    drop = biggest_drop(moves)
    if drop is not None:
        moves[drop.decision - 1] = replace(drop, biggest_drop=True)
    return _Path(run.team, moves, heard, stopped_at, heard_there, run.ending, run.mot_score,
                 _events(level, run))


def _events(level: Level, run: TeamRun) -> list[TeamEvent]:
    """The team's scene events: as recorded (their words, else the level's), or for a run
    recorded without them, wherever the meter before a move is not where the last one left it."""
    if run.events is None:
        found = meter_gaps(run.moves, level)
    else:
        found = [SeenEvent.from_dict(e) if isinstance(e, Mapping) else e for e in run.events]
    out = []
    for e in found:
        if e is None:
            continue
        after = getattr(e, "after", None)
        after = e.perception if after is None else after
        words = getattr(e, "text", None)
        text = Text(dict(words)) if words else EMPTY
        if not text:
            scene = level.scenes.get(e.scene)
            text = scene.event.text if scene is not None and scene.event is not None else EMPTY
        out.append(TeamEvent(run.team, e.scene, e.at, text, e.before, after, e.delta))
    return out


def _with_advice(moves: list[TeamMove], state: State, coach) -> list[TeamMove]:
    if coach is None or not state.moves:
        return moves
    try:
        advice = coach.advise(state)
    except (StopIteration, KeyError):  # a choice the coach's replay cannot offer: no advice
        return moves
    out = list(moves)
    for tip in advice:
        out[tip.index] = replace(out[tip.index], best=tip.best, best_keeps=tip.best_best)
    return out


# -- the order of the scenes --------------------------------------------------------------------

def scene_order(paths: Sequence[Sequence[str]]) -> list[str]:
    """Scenes in the order they were reached: after every scene that led to them on some path,
    otherwise the one reached at an earlier decision (then on an earlier path) first. A loop in
    the paths is broken at its earliest-reached scene."""
    key: dict[str, tuple[int, int]] = {}
    after: dict[str, set[str]] = {}
    needs: dict[str, set[str]] = {}
    for p, scenes in enumerate(paths):
        for depth, scene in enumerate(scenes):
            key[scene] = min(key.get(scene, (depth, p)), (depth, p))
            after.setdefault(scene, set())
            needs.setdefault(scene, set())
            if depth and scenes[depth - 1] != scene:
                after[scenes[depth - 1]].add(scene)
                needs[scene].add(scenes[depth - 1])
    order: list[str] = []
    done: set[str] = set()
    ready = [(key[s], s) for s in key if not needs[s]]
    heapq.heapify(ready)
    while len(order) < len(key):
        if not ready:  # a loop: take the earliest-reached scene still waiting
            rest = min((key[s], s) for s in key if s not in done)
            ready.append(rest)
        _, scene = heapq.heappop(ready)
        if scene in done:
            continue
        done.add(scene)
        order.append(scene)
        for nxt in sorted(after[scene]):
            needs[nxt].discard(scene)
            if not needs[nxt] and nxt not in done:
                heapq.heappush(ready, (key[nxt], nxt))
    return order


# -- votes --------------------------------------------------------------------------------------

def vote_splits(level: Level, votes: Iterable) -> dict[str, list[VoteSplit]]:
    """Votes (rows with `round`, `decision`, `scene`, `choice`, `nickname`, and `level_id`) of
    this level, by scene: one split per round and decision, most votes first (then the order
    of the scene's choices)."""
    groups: dict[tuple[str, int, int], dict[str, list[str]]] = {}
    for vote in votes:
        if getattr(vote, "level_id", level.id) != level.id:
            continue
        by_choice = groups.setdefault((vote.scene, vote.round, vote.decision), {})
        by_choice.setdefault(vote.choice, []).append(getattr(vote, "nickname", None) or "")
    out: dict[str, list[VoteSplit]] = {}
    for (scene_id, round_, decision), by_choice in sorted(groups.items(), key=lambda g: (g[0][1], g[0][2], g[0][0])):
        scene = level.scenes.get(scene_id)
        file_order = {c.id: i for i, c in enumerate(scene.choices)} if scene is not None else {}
        counts = [VoteCount(cid, scene.choice(cid) if scene is not None else None, len(names),
                            tuple(n for n in names if n))
                  for cid, names in by_choice.items()]
        counts.sort(key=lambda c: (-c.count, file_order.get(c.choice_id, len(file_order)), c.choice_id))
        out.setdefault(scene_id, []).append(
            VoteSplit(round_, decision, sum(c.count for c in counts), tuple(counts)))
    return out


# -- the pages ----------------------------------------------------------------------------------

def build(level: Level, runs: Iterable, votes: Iterable = (), *,
          scores: Mapping[str, int] | None = None, advice: bool = True) -> list[Page]:
    """The class debrief of `level`: scene pages, the endings, then the discussion questions.

    `runs` are `store.RunRecord`s or `TeamRun`s, in the teams' order; `votes` rows of
    `Store.votes` (other levels' are left out); `scores` earlier levels' MOT scores, for
    `score.<level>` conditions."""
    coaches: dict[frozenset, object] = {}

    def coach_for(team_scores: Mapping[str, int]):
        """One coach per set of earlier scores (they decide `score.<level>` conditions)."""
        if not advice:
            return None
        key = frozenset(team_scores.items())
        if key not in coaches:
            from .advice import Coach

            coach = Coach(level, team_scores)
            coaches[key] = coach if coach.analysis is not None else None
        return coaches[key]

    paths = []
    for run in map(TeamRun.of, runs):
        team_scores = dict(run.scores if run.scores is not None else scores or {})
        paths.append(_walk(level, run, coach_for(team_scores), team_scores))
    splits = vote_splits(level, votes)
    order = scene_order([p.scenes for p in paths])
    order += [s for s in splits if s not in order and s in level.scenes]
    pages: list[Page] = []
    for scene_id in order:
        scene = level.scenes.get(scene_id)
        if scene is None:
            continue
        moves = [m for p in paths for m in p.moves if m.scene == scene_id]
        events = tuple(e for p in paths for e in p.events if e.scene == scene_id)
        waiting = tuple(p.team for p in paths if p.stopped_at == scene_id)
        heard: list[tuple[Text, list[str]]] = []  # (Text is not hashable: its languages are a dict)
        for p in paths:
            texts = [t for m, t in zip(p.moves, p.heard) if m.scene == scene_id]
            texts += [p.heard_there] if p.stopped_at == scene_id else []
            for text in texts:
                text = text or scene.text
                entry = next((e for e in heard if e[0] == text), None)
                if entry is None:
                    heard.append((text, [p.team]))
                elif p.team not in entry[1]:
                    entry[1].append(p.team)
        best: dict[str, tuple[Choice, dict[str, int | None]]] = {}
        for m in moves:
            if m.best is not None:
                best.setdefault(m.best.id, (m.best, {}))[1].setdefault(m.team, m.best_keeps)
        pages.append(ScenePage(
            number=len(pages) + 1, scene=scene, speaker=level.character(scene.speaker),
            heard=tuple(Heard(text, tuple(teams)) for text, teams in heard),
            moves=tuple(moves), waiting=waiting,
            best=tuple(BestMove(c, tuple(keeps), tuple(keeps.values())) for c, keeps in best.values()),
            votes=tuple(splits.get(scene_id, ())), events=events))
    endings = []
    for p in paths:
        drop = next((m for m in p.moves if m.biggest_drop), None)
        endings.append(TeamEnding(p.team, p.ending, level.endings.get(p.ending or ""), p.mot_score,
                                  tuple(p.moves), drop, tuple(p.events)))
    if endings:
        pages.append(EndingsPage(tuple(endings)))
    if level.discuss:
        answers = level.answers
        pages.append(DiscussPage(tuple((q, answers[i] if i < len(answers) else EMPTY)
                                       for i, q in enumerate(level.discuss))))
    return pages
