"""The collector's older passes wait for a pause in the learner's input (game/tui/collector.py):
driven by hand with a fake clock, timer and collector, then wired into the real app."""

from __future__ import annotations

from game.tui.collector import IdleCollector
from tests.tui_helpers import FakeClock, make_app, open_first_level, wait_for


class Rig:
    """A fake clock, a list of scheduled timers, the collections made, and the GC's counts."""

    def __init__(self, counts=(0, 0, 0)) -> None:
        self.clock = FakeClock()
        self.timers: list[tuple[float, object]] = []
        self.collected: list[int] = []
        self.counts = counts
        self.collector = IdleCollector(lambda delay, fire: self.timers.append((delay, fire)), quiet=0.6,
                                       clock=self.clock, collect=self.collect, counts=lambda: self.counts,
                                       threshold=lambda: (10_000, 20, 20))

    def collect(self, generation: int) -> int:
        self.collected.append(generation)
        self.counts = (0, 0, self.counts[2] + 1)
        return 0

    def fire(self) -> float:
        """Let the pending timer run; its delay."""
        delay, fire = self.timers.pop(0)
        self.clock.advance(delay)
        fire()
        return delay


def test_the_pause_runs_no_pass_while_none_is_due():
    """Due at half of Python's own threshold for the middle pass (20 young collections)."""
    rig = Rig(counts=(500, 9, 0))
    rig.collector.touched()
    rig.fire()
    assert rig.timers == [] and rig.collected == []


def test_a_pass_made_due_by_the_key_itself_runs_in_the_pause_after_it():
    rig = Rig(counts=(500, 9, 0))
    rig.collector.touched()
    rig.counts = (500, 12, 0)  # the key's frames allocated
    rig.fire()
    assert rig.collected == [1]


def test_a_due_middle_pass_runs_once_the_input_has_paused():
    rig = Rig(counts=(500, 10, 0))
    rig.collector.touched()
    rig.collector.touched()  # one timer at most
    assert [delay for delay, _ in rig.timers] == [0.6]
    assert rig.fire() == 0.6 and rig.collected == [1]
    assert rig.timers == []  # done: nothing ticks while nothing moves
    rig.collector.touched()
    rig.fire()
    assert rig.collected == [1] and rig.timers == []  # nothing was due after that key


def test_an_input_during_the_wait_postpones_the_pass_by_what_is_left():
    rig = Rig(counts=(500, 10, 0))
    rig.collector.touched()
    rig.clock.advance(0.4)
    rig.collector.touched()  # a key 0.4 s in: the pause starts again
    delay, fire = rig.timers.pop(0)
    rig.clock.advance(delay - 0.4)  # the timer fires 0.6 s after the first key
    fire()
    assert rig.collected == [] and round(rig.timers[0][0], 6) == 0.4  # 0.2 s since the last key
    rig.fire()
    assert rig.collected == [1]


def test_full_passes_are_left_to_python():
    rig = Rig(counts=(500, 0, 1000))  # however many middle passes have piled up
    rig.collector.touched()
    rig.fire()
    assert rig.collected == []


async def test_the_app_collects_in_the_pause_after_a_key(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await open_first_level(pilot)
        done: list[int] = []
        app.collector._counts = lambda: (0, 0, 0) if done else (0, 1000, 0)
        app.collector._collect = lambda generation: done.append(generation) or 0
        app.collector.quiet = 0.05
        await pilot.press("1")
        await wait_for(pilot, lambda: done == [1] and scene.query("#continue"), what="a pass after the move")
        assert not app.collector._pending
