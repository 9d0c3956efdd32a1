"""The screens' Header survives being removed the moment it is shown (widgets/header.py):
Textual's own Header stopped the app when its title callback found the title widget gone."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from game.tui.widgets.header import MotHeader
from tests.tui_helpers import wait_for


def app_with(header_type):
    class One(App):
        def compose(self):
            yield header_type()

    return One()


async def title_callback_after_the_title_is_gone(app) -> None:
    async with app.run_test() as pilot:
        header = app.query_one(Header)
        await wait_for(pilot, lambda: "One" in str(header.query_one(HeaderTitle).render()), what="the title shown")
        await header.query_one(HeaderTitle).remove()  # what a screen's removal does first
        app.title = "changed"  # the Header's callback now finds no title widget
        await pilot.pause()


async def test_textual_header_would_stop_the_app():
    """The failure this guards against, so the test below can fail."""
    app = app_with(Header)
    try:
        await title_callback_after_the_title_is_gone(app)
    except Exception as error:  # run_test re-raises what stopped the app
        assert "HeaderTitle" in str(error)
    else:
        raise AssertionError("Textual's Header no longer fails here: MotHeader may be dropped")


async def test_mot_header_lets_a_title_with_nowhere_to_go_be():
    app = app_with(MotHeader)
    await title_callback_after_the_title_is_gone(app)
    assert app.return_code in (None, 0)


async def test_mot_header_still_follows_the_title():
    app = app_with(MotHeader)
    async with app.run_test() as pilot:
        header = app.query_one(MotHeader)
        app.title = "Moment of Truth"
        await wait_for(pilot, lambda: "Moment of Truth" in str(header.query_one(HeaderTitle).render()))
        app.screen.sub_title = "关键时刻"
        await wait_for(pilot, lambda: "关键时刻" in str(header.query_one(HeaderTitle).render()))
