"""The collector's older passes wait for a pause in the learner's input (game/tui/collector.py):
driven by hand with a fake clock, timer and collector, then wired into the real app."""

from __future__ import annotations

from game.tui.collector import MIDDLE_DUE, OLD_DUE, IdleCollector
from tests.tui_helpers import FakeClock, make_app, open_first_level, wait_for


class Rig:
    """A fake clock, a list of scheduled timers, the collections made, and the GC's counts."""

    def __init__(self, counts=(0, 0, 0)) -> None:
        self.clock = FakeClock()
        self.timers: list[tuple[float, object]] = []
        self.collected: list[int] = []
        self.counts = counts
        self.collector = IdleCollector(lambda delay, fire: self.timers.append((delay, fire)), quiet=0.6,
                                       clock=self.clock, collect=self.collect, counts=lambda: self.counts)

    def collect(self, generation: int) -> int:
        self.collected.append(generation)
        self.counts = (0, 0, self.counts[2] + 1) if generation == 1 else (0, 0, 0)
        return 0

    def fire(self) -> float:
        """Let the pending timer run; its delay."""
        delay, fire = self.timers.pop(0)
        self.clock.advance(delay)
        fire()
        return delay


def test_nothing_is_scheduled_while_no_pass_is_due():
    rig = Rig(counts=(500, MIDDLE_DUE - 1, 0))
    rig.collector.touched()
    assert rig.timers == [] and rig.collected == []


def test_a_due_middle_pass_runs_once_the_input_has_paused():
    rig = Rig(counts=(500, MIDDLE_DUE, 0))
    rig.collector.touched()
    rig.collector.touched()  # one timer at most
    assert [delay for delay, _ in rig.timers] == [0.6]
    assert rig.fire() == 0.6 and rig.collected == [1]
    assert rig.timers == []  # done: nothing ticks while nothing moves
    rig.collector.touched()
    assert rig.timers == []  # and nothing is due any more


def test_an_input_during_the_wait_postpones_the_pass_by_what_is_left():
    rig = Rig(counts=(500, MIDDLE_DUE, 0))
    rig.collector.touched()
    rig.clock.advance(0.4)
    rig.collector.touched()  # a key 0.4 s in: the pause starts again
    delay, fire = rig.timers.pop(0)
    rig.clock.advance(delay - 0.4)  # the timer fires 0.6 s after the first key
    fire()
    assert rig.collected == [] and round(rig.timers[0][0], 6) == 0.4  # 0.2 s since the last key
    rig.fire()
    assert rig.collected == [1]


def test_a_full_pass_is_run_when_enough_middle_passes_have_piled_up():
    rig = Rig(counts=(500, 0, OLD_DUE))
    rig.collector.touched()
    rig.fire()
    assert rig.collected == [2]


async def test_the_app_collects_in_the_pause_after_a_key(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await open_first_level(pilot)
        done: list[int] = []
        app.collector._counts = lambda: (0, 0, 0) if done else (0, MIDDLE_DUE, 0)
        app.collector._collect = lambda generation: done.append(generation) or 0
        app.collector.quiet = 0.05
        await pilot.press("1")
        await wait_for(pilot, lambda: done == [1] and scene.query("#continue"), what="a pass after the move")
        assert not app.collector._pending
