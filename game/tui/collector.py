"""The garbage collector's older passes, run while the learner reads rather than on a key.

A frame allocates tens of thousands of short-lived objects (each of Textual's `Strip`s holds
seven caches), so young collections are frequent and cheap, and every twentieth of them
Python walks the middle generation too: 60-90 ms, about once a level, landing on whatever
key happens to be running (the in-process p95 of a move; at twenty served tabs, a slow key
in every level). Nothing is gained by skipping those passes, but they can wait for a pause:
`IdleCollector` is told of every input, and once nothing has come for `quiet` seconds it
runs the passes that are due (`gc.collect(1)`, or `gc.collect(2)` when enough of those have
piled up). Python's own thresholds stay as they are, so a burst of keys that never pauses is
collected as before: memory stays bounded whatever the input.

Pure logic with its clock, timer and collector injected (tests drive it by hand); one timer
at most is pending, and none once the passes are done: nothing ticks while nothing moves.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

MIDDLE_DUE = 4  # young collections since the last middle pass: ≈ 40,000 allocations at 10,000
OLD_DUE = 10  # middle passes since the last full one


class IdleCollector:
    def __init__(self, schedule: Callable[[float, Callable[[], None]], object], quiet: float = 0.6,
                 clock: Callable[[], float] = time.monotonic, collect: Callable[[int], int] = gc.collect,
                 counts: Callable[[], tuple[int, int, int]] = gc.get_count) -> None:
        self._schedule, self.quiet, self._clock = schedule, quiet, clock
        self._collect, self._counts = collect, counts
        self._last_input = clock()
        self._pending = False

    def due(self) -> int | None:
        """The generation worth collecting now, or None."""
        _, young_passes, middle_passes = self._counts()
        if middle_passes >= OLD_DUE:
            return 2
        if young_passes >= MIDDLE_DUE:
            return 1
        return None

    def touched(self) -> None:
        """An input came (a key, a click): wait for the next pause."""
        self._last_input = self._clock()
        if not self._pending and self.due() is not None:
            self._pending = True
            self._schedule(self.quiet, self._fire)

    def _fire(self) -> None:
        waited = self._clock() - self._last_input
        if waited < self.quiet:  # an input came since: wait for the rest of the pause
            self._schedule(self.quiet - waited, self._fire)
            return
        self._pending = False
        generation = self.due()
        if generation is not None:
            self._collect(generation)
