"""The garbage collector's older passes, run while the learner reads rather than on a key.

A frame allocates tens of thousands of short-lived objects (each of Textual's `Strip`s holds
seven caches), so young collections are frequent and cheap, and every twentieth of them
Python walks the middle generation too: 60-90 ms, about once a level, landing on whatever
key happens to be running (the in-process p95 of a move; at twenty served tabs, a slow key
in every level). Nothing is gained by skipping those passes, but they can wait for a pause:
`IdleCollector` is told of every input, and once nothing has come for `quiet` seconds it runs
the middle pass if half of Python's threshold for it has built up (`gc.collect(1)`): often
enough that the automatic one rarely comes due inside a key, rarely enough not to add passes.
Full passes are left to Python, whose rule (only when the survivors since the last one are a
quarter of the old heap) keeps them rare; forcing them in pauses measured +30% of a served
tab's CPU. Python's own thresholds stay as they are, so a burst of keys that never pauses is
collected as before: memory stays bounded whatever the input.

Pure logic with its clock, timer and collector injected (tests drive it by hand); one timer
at most is pending, one per pause in the input: nothing ticks while nothing moves.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

MIDDLE_SHARE = 2  # run the middle pass once 1/2 of its threshold of young collections is reached


class IdleCollector:
    def __init__(self, schedule: Callable[[float, Callable[[], None]], object], quiet: float = 0.6,
                 clock: Callable[[], float] = time.monotonic, collect: Callable[[int], int] = gc.collect,
                 counts: Callable[[], tuple[int, int, int]] = gc.get_count,
                 threshold: Callable[[], tuple[int, int, int]] = gc.get_threshold) -> None:
        self._schedule, self.quiet, self._clock = schedule, quiet, clock
        self._collect, self._counts, self._threshold = collect, counts, threshold
        self._last_input = clock()
        self._pending = False

    def due(self) -> int | None:
        """The generation worth collecting now (1), or None."""
        young_passes = self._counts()[1]
        return 1 if young_passes >= max(1, self._threshold()[1] // MIDDLE_SHARE) else None

    def touched(self) -> None:
        """An input came (a key, a click): wait for the next pause."""
        self._last_input = self._clock()
        if not self._pending:  # whether a pass is due is asked then: the key itself allocates
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
