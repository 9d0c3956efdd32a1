"""Footer key descriptions in the current language.

Textual's `Binding` descriptions are fixed strings, so on a language switch each node's
bindings map is rebuilt with the descriptions from `i18n.KEY_LABELS`, looked up by action.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from ..i18n import KEY_LABELS, KEY_TOOLTIPS


def localized(binding: Binding, lang: str) -> Binding:
    """`binding` with its description (and its tooltip, when it has one) in `lang`."""
    changes = {}
    if binding.action in KEY_LABELS:
        changes["description"] = KEY_LABELS[binding.action][lang]
    if binding.action in KEY_TOOLTIPS:
        changes["tooltip"] = KEY_TOOLTIPS[binding.action][lang]
    return replace(binding, **changes) if changes else binding


def localize_bindings(node: DOMNode, lang: str) -> None:
    current = node._bindings
    fresh = BindingsMap()
    for key, bindings in current.key_to_bindings.items():
        fresh.key_to_bindings[key] = [localized(b, lang) for b in bindings]
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
