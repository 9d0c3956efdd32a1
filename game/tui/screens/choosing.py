"""What every screen that offers choices shares: 1–9, arrows + Enter, clicks, and focus.

A screen mixes this in and says when a choice may be taken (`can_choose`) and what taking
it does (`take_choice`).
"""

from __future__ import annotations

from textual.binding import Binding

from ..widgets.choice_card import ChoiceCard

CHOICE_BINDINGS = [
    Binding("1", "choose(1)", "Choose", key_display="1-9", id="choose"),
    *[Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)],
    # Priority: a long scene makes the stage scrollable, and its own ↑↓ would win; while cards
    # are shown ↑↓ move between them (focusing a card scrolls it into view), else they scroll.
    Binding("up", "focus_choice(-1)", show=False, priority=True),
    Binding("down", "focus_choice(1)", show=False, priority=True),
]


class ChoiceKeys:
    def can_choose(self) -> bool:
        raise NotImplementedError

    def take_choice(self, choice) -> None:
        raise NotImplementedError

    def offers(self, choice) -> bool:
        """Whether `choice` is one of the moves open now. The cards on screen can be a frame
        behind the game (a fast Enter then a number, before the next scene is drawn): a card
        of the scene just left must never be played in this one."""
        return True

    def action_choose(self, number: int) -> None:
        cards = list(self.query(ChoiceCard))
        if self.can_choose() and 1 <= number <= len(cards) and self.offers(cards[number - 1].choice):
            self.take_choice(cards[number - 1].choice)

    def on_choice_card_chosen(self, event: ChoiceCard.Chosen) -> None:
        event.stop()
        if self.can_choose() and self.offers(event.choice):
            self.take_choice(event.choice)

    def choice_cards_shown(self) -> bool:
        # can_choose first: this runs for every binding check (each Footer update), and a
        # query walks the whole screen.
        return self.can_choose() and bool(self.query(ChoiceCard))

    def action_focus_choice(self, step: int) -> None:
        cards = list(self.query(ChoiceCard))
        if cards:
            index = cards.index(self.focused) if self.focused in cards else -1
            cards[(index + step) % len(cards)].focus()

    def key_display(self, binding) -> str | None:
        """The Footer's "1-9" as the cards shown number them: "1-4" for four cards."""
        if binding.action != "choose(1)":
            return None
        n = len(self.query(ChoiceCard))
        return f"1-{n}" if 1 < n < 9 else None

    def focus_first(self) -> None:
        """The Continue button while a note shows, else the marked (ideal) card, else the first."""
        target = self.first_focus()
        if target is not None:
            target.focus()

    def first_focus(self):
        """What `focus_first` focuses (None: nothing to press)."""
        buttons = self.query("#continue")
        if buttons:
            return buttons.first()
        cards = list(self.query(ChoiceCard))
        return next((c for c in cards if c.ideal_mark), cards[0]) if cards else None
