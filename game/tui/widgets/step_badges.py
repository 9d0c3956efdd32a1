"""E·O·A·C: the four steps as badges, lit when used (scene) or when earned (debrief).

Each badge is a letter *and* a colour, so it reads in any theme and without colour at all.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...i18n import STEP_LETTERS, step_name
from ...model import STEPS

STEP_COLOURS = {"explore": "$primary", "offer": "$warning", "act": "$success", "confirm": "$accent"}


def badge(step: str, lang: str, lit: bool = True, steps_names=None, with_name: bool = True) -> Content:
    """One step badge, e.g. `[E 探索]`; dim when not lit."""
    letter = STEP_LETTERS[step]
    text = f" {letter} {step_name(step, lang, steps_names)} " if with_name else f" {letter} "
    style = f"bold reverse {STEP_COLOURS[step]}" if lit else "dim"
    return Content.styled(text, style)


class StepBadges(Widget):
    DEFAULT_CSS = """
    StepBadges { height: auto; width: 1fr; }
    """

    lit: reactive[frozenset] = reactive(frozenset())
    lang: reactive[str] = reactive("en")

    def __init__(self, lit=frozenset(), *, lang: str = "en", steps_names=None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StepBadges.lit, frozenset(lit))
        self.set_reactive(StepBadges.lang, lang)
        self.steps_names = steps_names

    def render(self) -> Content:
        parts = []
        for step in STEPS:
            parts.append(badge(step, self.lang, step in self.lit, self.steps_names, with_name=False))
            parts.append(Content(" · ") if step != "confirm" else Content(""))
        return Content("").join(parts)
