"""The side panel's list of discoveries follows the moves: what a move reveals appears with its
note, a move that reveals nothing leaves the list as it was, a step back takes it away, and F2
shows it in the other language. (The scene updates the list only when its text changes.)"""

from __future__ import annotations

from textual.widgets import Static

from tests.tui_helpers import choose, make_app, open_first_level, wait_for, wait_for_scene


def found(scene) -> str:
    return scene.query_one("#found", Static).content.plain


def card_of(scene, choice_id: str) -> int:
    return [c.id for c in scene.game.offered(scene.state)].index(choice_id) + 1


async def test_the_discoveries_follow_the_moves(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        scene = await open_first_level(pilot)
        assert found(scene) == "Discoveries 0/3"
        await choose(pilot, card_of(scene, "ask-impact"))  # reveals the trade fair
        fair = scene.level.discoveries["trade-fair"].text.get("en")
        await wait_for(pilot, lambda: found(scene).startswith("Discoveries 1/3") and fair in found(scene),
                       what="the trade fair in the side panel")

        await pilot.press("u")  # the move taken back: nothing found any more
        await wait_for_scene(pilot)
        await wait_for(pilot, lambda: found(scene) == "Discoveries 0/3", what="the list emptied by a step back")

        shown = scene.query_one("#found", Static).content
        await choose(pilot, card_of(scene, "offer-refund"))  # reveals nothing
        assert found(scene) == "Discoveries 0/3" and scene.query_one("#found", Static).content is shown

        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.query("#found") and found(app.screen) == "发现 0/3",
                       what="the list in Chinese")
