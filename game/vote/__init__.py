"""Vote mode (`mot classroom --vote`): the whole class votes from its phones at every decision.

- `room`: the pure logic — join code, participants, the open decision, one vote per participant,
  lock, the split and the majority, what the played choice did. No aiohttp, no Textual.
- `server`: the aiohttp app the phones talk to (the page, join, state by long-poll, vote), run
  on the projector's own event loop.
- `page`: the phone's page, one HTML string with its CSS and JavaScript inline.

Nothing here imports the TUI: the projector (`game.tui.vote_app`) drives a `VoteRoom`.
"""

from __future__ import annotations

from .room import (
                   ACCEPTED,
                   ALREADY,
                   CLOSED,
                   ENDED,
                   LOCKED,
                   OPEN,
                   REVEALED,
                   STALE,
                   UNKNOWN_CHOICE,
                   UNKNOWN_PARTICIPANT,
                   WAITING,
                   Decision,
                   FailureLimiter,
                   JoinRefused,
                   Option,
                   Outcome,
                   Participant,
                   VoteRoom,
)

__all__ = [
    "ACCEPTED", "ALREADY", "CLOSED", "ENDED", "LOCKED", "OPEN", "REVEALED", "STALE",
    "UNKNOWN_CHOICE", "UNKNOWN_PARTICIPANT", "WAITING", "Decision", "FailureLimiter",
    "JoinRefused", "Option", "Outcome", "Participant", "VoteRoom",
]
