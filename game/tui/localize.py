"""Footer key descriptions in the current language.

Textual's `Binding` descriptions are fixed strings, so on a language switch each node's
bindings map is rebuilt with the descriptions from `i18n.KEY_LABELS`, looked up by action.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from ..i18n import KEY_LABELS


def localize_bindings(node: DOMNode, lang: str) -> None:
    current = node._bindings
    fresh = BindingsMap()
    for key, bindings in current.key_to_bindings.items():
        fresh.key_to_bindings[key] = [
            replace(b, description=KEY_LABELS[b.action][lang]) if b.action in KEY_LABELS else b
            for b in bindings
        ]
    node._bindings = fresh


class SwitchesLanguage:
    """F2 in any of the game's apps: the Footer's keys and every open screen change language.
    Mixed in before `App`; an app that must do more (save the choice, recompose) extends
    `watch_lang` and calls this one."""

    def action_toggle_language(self) -> None:
        from ..i18n import other_language

        self.lang = other_language(self.lang)

    async def watch_lang(self, lang: str) -> None:
        localize_bindings(self, lang)
        for screen in list(self.screen_stack):
            if hasattr(screen, "refresh_language"):
                await screen.refresh_language()
