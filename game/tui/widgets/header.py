"""Textual's Header, safe to remove the moment it is shown.

The Header sets its title from callbacks it queues when it mounts (and whenever a title
changes). When its screen goes at once — Enter pressed on a briefing that has just appeared, a
screen built ahead (`tui/prepared.py`) dropped while it was still mounting — such a callback
ran after the title widget had been removed, and Textual's Header let the `NoMatches` stop the
whole app. This one sets the title the same way and lets a title with nowhere to go be.
"""

from __future__ import annotations

from textual import events
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class MotHeader(Header):
    def _on_mount(self, event: events.Mount) -> None:
        # Header._on_mount is replaced, not extended: its callbacks are the ones that raise.
        event.prevent_default()
        Widget._on_mount(self, event)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):  # the header (or its screen) is being removed
                pass

        screen: Screen = self.screen
        for node, name in ((self.app, "title"), (self.app, "sub_title"), (screen, "title"), (screen, "sub_title")):
            self.watch(node, name, set_title)
