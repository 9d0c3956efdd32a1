"""A card still on screen from the scene just left is never played in the next one (a fast
Enter then a number, before the next scene is drawn)."""

from __future__ import annotations

from game.tui.widgets.choice_card import ChoiceCard
from tests.tui_helpers import choose, make_app, open_first_level


async def test_a_stale_card_is_ignored(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await open_first_level(pilot)
        stale = [card.choice for card in scene.query(ChoiceCard)]
        await choose(pilot, 1)
        moves = scene.state.moves
        # The coach note's Enter has been taken, but the next scene is not drawn yet: the old
        # cards are what the stage would still show.
        scene.last_choice = None
        assert all(not scene.offers(c) for c in stale)
        assert scene.offers(scene.game.offered(scene.state)[0])
        await scene.query_one("#stage").mount(ChoiceCard(1, stale[0], "en"))  # the stale card
        await pilot.pause()
        assert scene.query(ChoiceCard)
        scene.action_choose(1)
        assert scene.state.moves == moves  # nothing was played
        scene.post_message(ChoiceCard.Chosen(stale[0]))
        await pilot.pause()
        assert scene.state.moves == moves
