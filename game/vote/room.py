"""The vote room: who joined, which decision is open, who voted for what, and what was played.

Pure logic: no aiohttp, no Textual, no clock but the one given (tests pass their own), no I/O.
The projector drives it (`open` → `lock` → `reveal` → `open` … → `end`); the web server lets
phones `join` and `vote`. Every change bumps `version`; a change the phones must see (a decision
opened, locked, revealed, the level ended) also bumps `public_version`, which is what a phone's
long-poll waits on — so 500 votes do not wake 500 phones 500 times.

Rules:
- A participant joins with the room's code (compared in constant time, case and spaces ignored)
  and a nickname (cleaned with `model.clean_name`, capped at `MAX_NICKNAME` characters; a name
  already taken by someone else gets " 2", " 3"…). The token it gets back is its identity from
  then on (a reload keeps it).
- One vote per participant per decision: a second vote is refused (`ALREADY`), as is a vote for
  a decision that is not the open one (`STALE`), after the lock (`CLOSED`), or for a card that is
  not offered (`UNKNOWN_CHOICE`).
- The split lists every offered card in the shown order with its count; percentages use the
  largest remainder, so they add up to exactly 100. The majority is the single card with the
  most votes; a tie (or no vote) has no majority and the trainer picks.
- `FailureLimiter`: wrong join codes per client, in a sliding window.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..model import EMPTY, Choice, Level, Text, clean_name

WAITING, OPEN, LOCKED, REVEALED, ENDED = "waiting", "open", "locked", "revealed", "ended"
ACCEPTED, ALREADY, CLOSED, STALE = "ok", "already", "closed", "stale"
UNKNOWN_CHOICE, UNKNOWN_PARTICIPANT = "unknown_choice", "unknown_participant"

CODE_ALPHABET = "0123456789"  # a phone's number pad; the projector draws it in big digits
CODE_LENGTH = 4
MAX_NICKNAME = 24
MAX_PARTICIPANTS = 1000
LANGS = ("zh", "en")


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(18)


def normal_code(text: object) -> str:
    return "".join(str(text or "").split()).upper()[:32]


def clean_nickname(text: object) -> str:
    """A nickname as others will see it: one line, no control or invisible characters, capped."""
    return clean_name(str(text or ""))[:MAX_NICKNAME].strip()


def percentages(counts: list[int]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainder; ties to the earlier card)."""
    total = sum(counts)
    if total <= 0:
        return [0] * len(counts)
    exact = [c * 100 / total for c in counts]
    whole = [int(x) for x in exact]
    short = 100 - sum(whole)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[:short]:
        whole[i] += 1
    return whole


@dataclass(frozen=True)
class Option:
    """A card as shown: its number is its place in `Decision.options` (1-based)."""

    id: str
    text: Text
    step: str = ""


@dataclass(frozen=True)
class Decision:
    """One decision of the level as the class meets it."""

    round: int
    level_id: str
    number: int  # the move number in the level, 1-based
    scene: str
    options: tuple[Option, ...]
    text: Text = EMPTY
    title: Text = EMPTY
    speaker: Text = EMPTY
    role: Text = EMPTY
    serial: int = 0  # set by `VoteRoom.open`: unique within the room, what phones vote on
    # The scene's event that moved the meter as the class entered it (`event = …`), not a move
    event: Text = EMPTY

    def option(self, choice_id: str) -> Option | None:
        return next((o for o in self.options if o.id == choice_id), None)

    def index(self, choice_id: str) -> int:
        """The card's number (1-based), 0 when it is not offered."""
        for n, o in enumerate(self.options, 1):
            if o.id == choice_id:
                return n
        return 0


@dataclass(frozen=True)
class Outcome:
    """What the played card did: the meter, the coach's note, the customer's thought."""

    choice: str
    text: Text
    step: str
    before: int
    after: int
    delta: int
    feedback: Text = EMPTY
    thought: Text = EMPTY
    customer: Text = EMPTY
    by_majority: bool = True


@dataclass(frozen=True)
class Ending:
    """The level ended: which ending, and the class's moment-of-truth score."""

    title: Text
    text: Text
    mot_score: int
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Participant:
    token: str
    nickname: str
    lang: str = "zh"
    joined_at: float = 0.0


class JoinRefused(Exception):
    """`reason`: "bad_name" (nothing left after cleaning) or "full"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class VoteRoom:
    def __init__(self, name: str, code: str | None = None, *, clock: Callable[[], float] = time.monotonic,
                 max_participants: int = MAX_PARTICIPANTS) -> None:
        self.name = name
        self.code = normal_code(code) if code else new_code()
        self.clock = clock
        self.max_participants = max_participants
        self.participants: dict[str, Participant] = {}
        self._names: dict[str, str] = {}  # nickname → token
        self.decision: Decision | None = None
        self.status = WAITING
        self.votes: dict[str, str] = {}  # token → choice id, for the open decision
        self.outcome: Outcome | None = None
        self.ending: Ending | None = None
        self.serial = 0
        self.version = 0
        self.public_version = 0
        self._listeners: list[Callable[[bool], None]] = []

    # -- changes ------------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[bool], None]) -> None:
        """`listener(public)` after every change; `public` when phones must see it."""
        self._listeners.append(listener)

    def _changed(self, public: bool) -> None:
        self.version += 1
        if public:
            self.public_version += 1
        for listener in list(self._listeners):
            listener(public)

    # -- joining ------------------------------------------------------------------------------
    def check_code(self, code: object) -> bool:
        given = normal_code(code).encode("utf-8", "replace")
        return hmac.compare_digest(given, self.code.encode("utf-8"))

    def participant(self, token: object) -> Participant | None:
        return self.participants.get(token) if isinstance(token, str) else None

    def _unique(self, nickname: str, token: str) -> str:
        taken = self._names.get(nickname)
        if taken is None or taken == token:
            return nickname
        n = 2
        while True:
            suffix = f" {n}"
            candidate = nickname[:MAX_NICKNAME - len(suffix)].rstrip() + suffix
            if self._names.get(candidate) in (None, token):
                return candidate
            n += 1

    def join(self, nickname: object, lang: object = "zh", token: str | None = None) -> Participant:
        """A new participant (or, with a known `token`, the same one renamed). The code is the
        server's business (`check_code`), so that the projector and tests may add people."""
        name = clean_nickname(nickname)
        if not name:
            raise JoinRefused("bad_name")
        known = self.participant(token)
        if known is None and len(self.participants) >= self.max_participants:
            raise JoinRefused("full")
        lang = lang if lang in LANGS else "zh"
        if known is not None:
            if name != known.nickname:
                self._names.pop(known.nickname, None)
                known.nickname = self._unique(name, known.token)
                self._names[known.nickname] = known.token
            known.lang = lang
            self._changed(False)
            return known
        token = token if isinstance(token, str) and 16 <= len(token) <= 64 else new_token()
        person = Participant(token, self._unique(name, token), lang, self.clock())
        self.participants[token] = person
        self._names[person.nickname] = token
        self._changed(False)
        return person

    def restore(self, token: str, nickname: str, lang: str = "zh") -> Participant:
        """A participant of an earlier session (from the store): the phone's token still works."""
        return self.join(nickname or "?", lang, token=token)

    @property
    def joined(self) -> int:
        return len(self.participants)

    def newest(self, n: int = 6) -> list[str]:
        """The last `n` nicknames to join, newest first."""
        people = sorted(self.participants.values(), key=lambda p: p.joined_at, reverse=True)
        return [p.nickname for p in people[:n]]

    # -- the decision -------------------------------------------------------------------------
    def open(self, decision: Decision) -> Decision:
        """Open the next decision: votes start afresh."""
        self.serial += 1
        self.decision = replace(decision, serial=self.serial)
        self.status = OPEN
        self.votes = {}
        self.outcome = None
        self.ending = None
        self._changed(True)
        return self.decision

    def vote(self, token: object, serial: object, choice: object) -> str:
        """Record `token`'s vote at decision `serial`; one of ACCEPTED, ALREADY, CLOSED, STALE,
        UNKNOWN_CHOICE, UNKNOWN_PARTICIPANT."""
        if self.participant(token) is None:
            return UNKNOWN_PARTICIPANT
        decision = self.decision
        if decision is None or isinstance(serial, bool) or serial != decision.serial:
            return STALE
        if token in self.votes:
            return ALREADY
        if self.status != OPEN:
            return CLOSED
        if not isinstance(choice, str) or decision.option(choice) is None:
            return UNKNOWN_CHOICE
        self.votes[token] = choice
        self._changed(False)
        return ACCEPTED

    @property
    def voted(self) -> int:
        return len(self.votes)

    def vote_of(self, token: object) -> str | None:
        return self.votes.get(token) if isinstance(token, str) else None

    def lock(self) -> bool:
        """Close the vote; False when no decision is open."""
        if self.status != OPEN:
            return False
        self.status = LOCKED
        self._changed(True)
        return True

    def split(self) -> list[tuple[Option, int]]:
        """Every offered card in the shown order with its number of votes."""
        if self.decision is None:
            return []
        counts = {o.id: 0 for o in self.decision.options}
        for choice in self.votes.values():
            counts[choice] += 1
        return [(o, counts[o.id]) for o in self.decision.options]

    def leaders(self) -> list[Option]:
        """The cards with the most votes (none when nobody voted)."""
        split = self.split()
        top = max((n for _, n in split), default=0)
        return [o for o, n in split if n == top] if top else []

    def majority(self) -> Option | None:
        """The one card with the most votes; None on a tie or with no votes."""
        leaders = self.leaders()
        return leaders[0] if len(leaders) == 1 else None

    def reveal(self, outcome: Outcome) -> None:
        """The trainer played a card: the consequence is shown, on the projector and the phones."""
        self.status = REVEALED
        self.outcome = outcome
        self._changed(True)

    def end(self, ending: Ending) -> None:
        self.status = ENDED
        self.ending = ending
        self._changed(True)


class FailureLimiter:
    """At most `max_failures` wrong join codes per client within `window` seconds; past that the
    client waits (`blocked` says how long) whatever it sends, right code or wrong."""

    def __init__(self, max_failures: int = 5, window: float = 60.0, *,
                 clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._failures: dict[str, deque] = {}

    def _recent(self, client: str) -> deque | None:
        times = self._failures.get(client)
        if times is None:
            return None
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[client]
            return None
        return times

    def blocked(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when it may now."""
        times = self._recent(client)
        if times is None or len(times) < self.max_failures:
            return 0.0
        return max(0.0, times[0] + self.window - self.clock())

    def fail(self, client: str) -> None:
        if client not in self._failures and len(self._failures) >= self.max_clients:
            for other in list(self._failures):  # forget clients whose failures are old
                self._recent(other)
            if len(self._failures) >= self.max_clients:
                self._failures.pop(next(iter(self._failures)))
        self._failures.setdefault(client, deque()).append(self.clock())


# -- building what the room shows from the game ---------------------------------------------------

def decision_for(level: Level, game, state, round_no: int) -> Decision:
    """The decision the class faces now in `state` of `game` (cards in the shown order)."""
    scene = game.scene(state)
    speaker = level.character(scene.speaker)
    options = tuple(Option(c.id, c.text, c.step) for c in game.offered(state))
    event = scene.event.text if state.entered is not None and scene.event is not None else EMPTY
    return Decision(round_no, level.id, len(state.moves) + 1, scene.id, options,
                    text=game.scene_text(state, scene) or EMPTY, title=level.title,
                    speaker=speaker.name if speaker else EMPTY,
                    role=speaker.role if speaker else EMPTY, event=event)


def outcome_for(level: Level, choice: Choice, move, by_majority: bool) -> Outcome:
    customer = level.character(level.customer)
    return Outcome(choice.id, choice.text, choice.step, move.before, move.perception, move.delta,
                   choice.feedback, choice.thought, customer.name if customer else EMPTY, by_majority)


def ending_for(level: Level, state, result) -> Ending:
    from ..scoring import label

    ending = level.endings.get(state.ending or "")
    return Ending(ending.title if ending else Text.plain(state.ending or ""),
                  ending.text if ending else EMPTY, result.mot_score,
                  {lang: label(result.mot_score, lang) for lang in LANGS})
