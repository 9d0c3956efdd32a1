"""What a player saw while playing a level, kept with the run (`Store.record_run`, schema 6;
its scene events since schema 8).

An export (the trainer's workbook, xAPI statements for an LMS) must describe the run as it was
played, not the level file as it is today: an author may reword a line, reorder the cards or
change the ideal after the class. So at play time we keep, per move, the customer's line as it
was shown (the variant that held then), the card chosen and every card available there (in
every language the level has), the author's ideal, and the best move offered there
(`advice.Coach`, from the player's own state); per run, the level's and campaign's titles and
the scene events met (`event = …`: not moves, so they sit beside the moves, each after `at`
moves, with its words and the meter before and after).

Language maps are plain dicts keyed as the level file keys them ("en", "zh", or "*" for a plain
string). Pure: no Textual, no TOML, no storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class SeenMove:
    line: dict[str, str]  # the customer's line as shown before the move
    choice: dict[str, str]  # the card chosen
    offered: tuple[tuple[str, dict[str, str]], ...]  # every card available there, author's order
    ideal: tuple[str, ...]  # the author's ideal card(s) of the scene
    best: str | None  # the best move offered there; None when the coach cannot say


@dataclass(frozen=True)
class SeenEvent:
    """A scene's event as it happened (`event = …`): not a move. It came after `at` moves
    (0: before the first) on entering `scene`, and moved the meter `before` → `after`."""

    scene: str
    at: int
    delta: int
    before: int
    after: int
    text: dict[str, str]  # the event's words as shown ({} when the level no longer says)

    def to_dict(self) -> dict:
        return {"scene": self.scene, "at": self.at, "delta": self.delta, "before": self.before,
                "after": self.after, "text": dict(self.text)}

    @classmethod
    def from_dict(cls, data) -> "SeenEvent | None":
        """A stored event (`to_dict`); None for anything else (a damaged row never stops an export)."""
        try:
            text = data.get("text") or {}
            return cls(str(data["scene"]), int(data["at"]), int(data["delta"]), int(data["before"]),
                       int(data["after"]),
                       {str(k): str(v) for k, v in text.items()} if isinstance(text, dict) else {})
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Played:
    titles: dict[str, dict[str, str]]  # {"level": map, "campaign": map (when in a campaign)}
    moves: tuple[SeenMove, ...]
    events: tuple[SeenEvent, ...] = ()  # the scene events met, in order (schema 8)

    def timeline(self, moves) -> list:
        """`timeline(self.events, moves)`."""
        return timeline(self.events, moves)


def timeline(events, moves) -> list:
    """`moves` (one per move, e.g. a run's `MoveRecord`s zipped with `Played.moves`) with the
    `events` among them, in the order the customer lived them: an event with `at` = n comes
    after the n-th move."""
    out: list = []
    for n, move in enumerate(moves):
        out.extend(e for e in events if e.at == n)
        out.append(move)
    out.extend(e for e in events if e.at >= len(moves))
    return out


def events_of(run, level=None) -> tuple[SeenEvent, ...]:
    """A stored run's scene events: as stored (schema 8), else read from the meter's jumps
    (`meter_gaps`, with `level`'s words when given)."""
    stored = getattr(run, "events", None)
    if isinstance(stored, (list, tuple)):
        return tuple(e for e in map(SeenEvent.from_dict, stored) if e is not None)
    return meter_gaps(list(run.moves), level)


def seen_events(level, events) -> tuple[SeenEvent, ...]:
    """Engine `Event`s as recorded, with the words `level` gives them."""
    out = []
    for e in events:
        scene = level.scenes.get(e.scene) if level is not None else None
        text = language_map(scene.event.text) if scene is not None and scene.event is not None else {}
        out.append(SeenEvent(e.scene, e.at, e.delta, e.before, e.perception, text))
    return tuple(out)


def language_map(text) -> dict[str, str]:
    """A model `Text` as a plain {key: text} dict, empty entries left out."""
    return {k: v for k, v in sorted(getattr(text, "by_lang", {}).items()) if v}


def played(level, state, scores: Mapping[str, int] | None = None, campaign=None) -> Played:
    """What the player of `state` (a finished or unfinished play of `level`) saw at each move.

    Robust to a state the level no longer replays exactly (another team's earlier scores, a
    move the current file lacks): such a move keeps its ids and whatever could be found."""
    from .engine import Game

    game = Game(level, dict(scores or {}))
    best = _best_moves(level, state, scores)
    now = game.start()
    moves: list[SeenMove] = []
    for i, move in enumerate(state.moves):
        scene = level.scenes.get(move.scene)
        choice = scene.choice(move.choice) if scene is not None else None
        if scene is None or choice is None:
            moves.append(SeenMove({"*": move.scene}, {"*": move.choice}, (), (), best.get(i)))
            continue
        if now.scene != move.scene:  # off the replay (scores differ): carry on from here,
            # with the events the run had met by then (not moves: they stay beside them)
            now = type(now)(scene=move.scene, perception=move.before, flags=now.flags,
                            found=now.found, moves=now.moves,
                            events=tuple(e for e in getattr(state, "events", ()) if e.at <= i))
        available = game.choices(now) or list(scene.choices)
        if not any(c.id == choice.id for c in available):
            available = [*available, choice]
        moves.append(SeenMove(
            line=language_map(game.scene_text(now, scene)),
            choice=language_map(choice.text),
            offered=tuple((c.id, language_map(c.text)) for c in available),
            ideal=tuple(c.id for c in scene.choices if c.ideal),
            best=best.get(i)))
        now = game.take(now, choice)
    titles = {"level": language_map(level.title)}
    if campaign is not None:
        titles["campaign"] = language_map(campaign.title)
    return Played(titles, tuple(moves), seen_events(level, getattr(state, "events", ())))


def _best_moves(level, state, scores) -> dict[int, str]:
    """Move index → the best move offered there (advice.Coach); {} when it cannot say."""
    try:
        from .advice import Coach

        return {a.index: a.best.id for a in Coach(level, dict(scores or {})).advise(state)}
    except Exception:  # a state the level does not replay: no advice rather than no record
        return {}


def recorded(run, level=None, campaign=None) -> Played:
    """What a stored run (`store.RunRecord`) showed: as stored at play time (schema 6); for an
    older run, rebuilt from `level` (the level as it is now) when its choices still play there,
    else only its ids."""
    moves = list(run.moves)
    stored = isinstance(getattr(run, "events", None), (list, tuple))  # schema 8 on
    events = events_of(run, level)
    if run.titles is not None and all(m.line is not None for m in moves):
        return Played(dict(run.titles), tuple(
            SeenMove(m.line, m.choice_text or {"*": m.choice}, tuple(m.offered or ()),
                     tuple(m.ideal or ()), m.best) for m in moves), events)
    titles = {"level": language_map(level.title) if level is not None else {"*": run.level_id}}
    if run.campaign_id:
        titles["campaign"] = (language_map(campaign.title) if campaign is not None
                              else {"*": run.campaign_id})
    if level is not None:
        from .engine import ChoiceUnavailable, Game

        try:
            state = Game(level).play([m.choice for m in moves])
        except (ChoiceUnavailable, KeyError):
            state = None
        if state is not None:
            again = played(level, state)
            return Played(titles, again.moves, events if stored else again.events)
    return Played(titles, tuple(SeenMove({"*": m.scene}, {"*": m.choice}, (), (), None)
                                for m in moves), events)


def meter_gaps(moves, level=None) -> tuple[SeenEvent, ...]:
    """For a run stored without its events (before schema 8): an event wherever the meter
    before a move is not where the previous move left it (the first move is compared with the
    level's starting mood, when the level is known). Its words come from `level`'s scene event
    when it has one, else there are none."""
    out = []
    previous = max(-3, min(3, level.perception)) if level is not None else None
    for n, move in enumerate(moves):
        before = getattr(move, "before", None)
        if previous is not None and before is not None and before != previous:
            scene = level.scenes.get(move.scene) if level is not None else None
            text = language_map(scene.event.text) if scene is not None and scene.event is not None else {}
            out.append(SeenEvent(move.scene, n, before - previous, previous, before, text))
        previous = move.perception
    return tuple(out)


def pick(text: Mapping[str, str] | None, lang: str, fallback: str = "") -> str:
    """A language map's text in `lang`, else the language-neutral one, else any."""
    text = text or {}
    for key in (lang, "*", "en", "zh", *sorted(text)):
        if text.get(key):
            return text[key]
    return fallback
