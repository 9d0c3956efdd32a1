"""The free-answer box under a scene (issue 15): the learner types a reply in zh or en, and the
game answers in it — still loading, "Did you mean «A» or «B»?", or "None of the moves here fits".

The box only shows a `SayState` the screen keeps (see screens/saying.py), so a language switch,
which rebuilds the screen, loses neither the words nor the question. What the learner typed is
data: it is shown as literal text (`Prose`), never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from ...i18n import t
from ...model import Choice
from ..localize import localize_bindings
from .prose import Prose

MAX_CHARS = 240  # a reply, not an essay: the input stops there (and its echo fits at 80×24)

# What the box shows: typing (the input), loading (the input, and the model is still loading),
# matching (the input, and a match is running), ask (one or two moves to confirm), none (nothing
# fits: pick a card), absent (the extra is not installed: how to install it), failed (it could
# not load: why).
PHASES = ("typing", "loading", "matching", "ask", "none", "absent", "failed")


@dataclass
class SayState:
    open: bool = False
    phase: str = "typing"
    text: str = ""  # what is in the input
    said: str = ""  # the words being matched (or asked about)
    candidates: list[Choice] = field(default_factory=list)  # ask: the moves offered
    numbers: list[int] = field(default_factory=list)  # ask: each one's number on its card
    message: str = ""  # absent / failed: the explanation, in the language of the moment
    epoch: int = 0  # bumped whenever the scene moves on: a late match result is dropped


class SayOption(Prose, can_focus=True):
    """One move the game asks about: its number and text; a click, Enter or its number plays it."""

    DEFAULT_CSS = """
    SayOption { height: auto; padding: 0 1; margin: 0 0 0 2; }
    SayOption:hover { background: $boost; }
    SayOption:focus { background: $accent 30%; text-style: bold; }
    """
    BINDINGS = [Binding("enter", "pick", show=False)]

    def __init__(self, index: int, choice: Choice, lang: str, number: int | None = None) -> None:
        # Shown with its card's number (the cards stay on screen: one number, one move).
        super().__init__(f"{number or index}  «{choice.text.get(lang)}»", classes="say-option")
        self.index = index

    def on_click(self) -> None:
        self.post_message(SayBox.Picked(self.index))

    def action_pick(self) -> None:
        self.post_message(SayBox.Picked(self.index))


class SayBox(Vertical):
    DEFAULT_CSS = """
    SayBox { height: auto; max-height: 14; border: round $accent; padding: 0 1; display: none; }
    SayBox.-open { display: block; }
    SayBox:focus { border: round $warning; }
    SayBox #say-title { color: $accent; text-style: bold; }
    SayBox #say-input { border: tall $primary; height: 3; }
    SayBox #say-input:focus { border: tall $accent; }
    SayBox .say-hint { color: $foreground-muted; }
    SayBox #say-status { color: $warning; }
    SayBox #say-none { color: $warning; text-style: bold; }
    SayBox #say-absent { color: $warning; }
    SayBox #say-said { text-style: italic; }
    """
    BINDINGS = [
        Binding("escape", "back_to_cards", "Back to cards", id="say.back"),
        # A move asked about is played by its card's number; any other card's number falls
        # through to the screen, which plays that card (without the typed words).
        *(Binding(str(n), f"card({n})", show=False) for n in range(1, 10)),
    ]

    class Picked(Message):
        """The learner took the `index`-th move the box asked about (1-based)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Closed(Message):
        """Esc: back to the cards."""

    def __init__(self, state: SayState, lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.lang = lang
        self.set_class(state.open, "-open")
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        state, lang = self.state, self.lang
        if not state.open:
            return
        if state.phase in ("absent", "failed"):
            yield Prose(t("say.title", lang), id="say-title")
            yield Prose(state.message, id="say-absent")
            yield Prose(t("say.hint_back", lang), classes="say-hint")
            return
        if state.phase in ("ask", "none"):
            yield Prose(t("say.you_said", lang, said=state.said), id="say-said")
            if state.phase == "none":
                yield Prose(t("say.none", lang), id="say-none")
                yield Prose(t("say.hint_none", lang), classes="say-hint")
                return
            numbers = self._numbers()
            key = "say.ask_two" if len(state.candidates) > 1 else "say.ask_one"
            yield Prose(t(key, lang, a=numbers[0], b=numbers[-1]), id="say-ask")
            for i, (choice, number) in enumerate(zip(state.candidates, numbers), 1):
                yield SayOption(i, choice, lang, number)
            yield Prose(t("say.hint_ask" if len(state.candidates) > 1 else "say.hint_ask_one", lang,
                          a=numbers[0], b=numbers[-1]), classes="say-hint")
            return
        yield Prose(t("say.title", lang), id="say-title")
        yield Input(state.text, placeholder=t("say.placeholder", lang), id="say-input", max_length=MAX_CHARS,
                    select_on_focus=False)
        if state.phase == "loading":
            yield Prose(t("say.loading", lang), id="say-status")
        elif state.phase == "matching":
            yield Prose(t("say.matching", lang), id="say-status")
        else:
            yield Prose(t("say.hint", lang), classes="say-hint")

    async def show(self, state: SayState | None = None, lang: str | None = None) -> None:
        """Redraw from the state (after a phase change)."""
        if state is not None:
            self.state = state
        if lang is not None:
            self.lang = lang
            localize_bindings(self, lang)
        self.set_class(self.state.open, "-open")
        await self.recompose()

    def on_mount(self) -> None:
        """Rebuilt open (the language switched while typing): the input gets the focus back."""
        if self.state.open and self.state.phase != "none":
            self.call_after_refresh(self.focus_here)

    def focus_here(self) -> bool:
        """Focus the input, or the first move asked about; False when there is nothing to focus."""
        target = self.query("#say-input") or self.query(SayOption)
        if target:
            target.first().focus()
            return True
        self.can_focus = self.state.phase in ("absent", "failed")
        if self.can_focus:  # the explanation holds the focus, so Esc closes it (not the level)
            self.focus()
        return self.can_focus

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "say-input":
            self.state.text = event.value

    def action_back_to_cards(self) -> None:
        self.post_message(self.Closed())

    def _numbers(self) -> list[int]:
        numbers = self.state.numbers
        return numbers if len(numbers) == len(self.state.candidates) else list(range(1, len(self.state.candidates) + 1))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "card":
            return self.state.phase == "ask" and parameters[0] in self._numbers()
        return True

    def action_card(self, number: int) -> None:
        if self.state.phase == "ask" and number in self._numbers():
            self.post_message(self.Picked(self._numbers().index(number) + 1))

    def action_pick(self, index: int) -> None:
        if self.state.phase == "ask" and 1 <= index <= len(self.state.candidates):
            self.post_message(self.Picked(index))
