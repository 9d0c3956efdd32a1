"""The meter tells the truth: `0 → +1` for a change, "already at −3" when a move was clamped and
changed nothing, and whose perception it shows."""

from __future__ import annotations

from game.engine import Game
from game.i18n import meter_text
from game.model import Choice, Ending, Level, Scene, Text
from game.tui.widgets.meter import PerceptionMeter


def test_meter_text_in_both_languages():
    assert meter_text(0, 1, 1, "en") == "+0 → +1 met expectations"
    assert meter_text(-3, -3, -1, "en") == "already at -3 relationship in crisis"
    assert meter_text(2, 2, 0, "en") == "stays at +2 exceeded expectations"
    assert meter_text(-3, -3, -2, "zh") == "已经是 -3 危机双方的关系"
    assert meter_text(1, -1, -2, "zh") == "+1 → -1 部分没有符合期望"


def test_moves_remember_the_meter_before_them():
    scene = Scene("s", Text.plain("…"), (Choice("down", "act", Text.plain("down"), "s", delta=-2),
                                          Choice("stop", "confirm", Text.plain("stop"), "end:e"),))
    level = Level(id="l", title=Text.plain("L"), start="s", you="a", customer="b", perception=-2,
                  scenes={"s": scene}, endings={"e": Ending("e", Text.plain("E"))})
    state = Game(level).play(["down", "down", "stop"])
    assert [(m.before, m.perception) for m in state.moves] == [(-2, -3), (-3, -3), (-3, -3)]


async def test_the_meter_names_the_customer_and_never_claims_a_clamped_move():
    from textual.app import App

    class One(App):
        def compose(self):
            yield PerceptionMeter(-3, lang="en", customer="Michelle", id="m")

    app = One()
    async with app.run_test() as pilot:
        meter = app.query_one(PerceptionMeter)
        assert "Michelle's perception" in meter.render().plain
        meter.move_to(-3, -1)
        await pilot.pause()
        assert meter.flash == "already at -3 relationship in crisis"
        assert "▼" not in meter.render().plain
        meter.move_to(-1, 2)
        await pilot.pause()
        assert meter.flash == "-3 → -1 partly unmet" and "▲" in meter.render().plain
