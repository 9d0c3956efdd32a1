"""Free-answer mode for every screen that offers choices (issue 15): `t` opens a box, the learner
types a reply in zh or en, and the game plays the nearest available move, asks "Did you mean
«A» or «B»?", or says that none fits and leaves the cards to pick from.

A screen mixes `Says` in (before `ChoiceKeys`), yields `say_widgets()` in its compose, and
provides what `ChoiceKeys` asks for plus `say_choices()` (the moves open now, in the order
shown), `say_level()` and `take_choice(choice, said)`; it calls `say_reset()` whenever the
scene moves on (a move, a lost turn) and `say_start()` when it mounts. The words typed are
given to the move (`Move.said`), so they are saved with it and shown in the debrief.
"""

from __future__ import annotations

from textual.binding import Binding

from ..free_model import ABSENT, FAILED, READY, FreeModel
from ..widgets.say_box import SayBox, SayState

SAY_BINDING = Binding("t", "say", "Say it", id="say", tooltip="Type your reply in your own words")


def free_model(app) -> FreeModel:
    """The app's one model (made on first use; tests put a stub there first)."""
    model = getattr(app, "free_model", None)
    if model is None:
        model = app.free_model = FreeModel()
    return model


class Says:
    # -- what the screen provides ----------------------------------------------------------
    def say_choices(self) -> list:
        raise NotImplementedError

    def say_level(self):
        raise NotImplementedError

    # -- state -----------------------------------------------------------------------------
    @property
    def say_state(self) -> SayState:
        state = self.__dict__.get("_say_state")
        if state is None:
            state = self.__dict__["_say_state"] = SayState()
        return state

    def free_on(self) -> bool:
        return bool(getattr(self.app, "free", False))

    def say_widgets(self):
        if self.free_on():
            yield SayBox(self.say_state, self.lang, id="say")

    def _box(self) -> SayBox | None:
        boxes = self.query(SayBox)
        return boxes.first() if boxes else None

    async def _show_box(self) -> None:
        """Redraw the box from its state; focus its input or first option, else the cards."""
        box = self._box()
        if box is None:
            return
        state = self.say_state
        if state.phase in (ABSENT, FAILED):
            state.message = free_model(self.app).message(self.lang)
        await box.show(state, self.lang)
        if not (state.open and box.focus_here()):
            self.focus_first()
        self.refresh_bindings()

    def say_start(self) -> None:
        """A level starts with the mode on: load the encoder now (in a worker) and embed the
        scene's choices, so the first answer does not wait. (Only the scene's: embedding a whole
        level is ~90 texts, seconds of CPU on a busy laptop; a scene's are a handful, embedded
        again — from the cache — when the box opens.)"""
        if self.free_on():
            free_model(self.app).start(self.app, self.say_level().id, self.say_choices())

    def say_reset(self) -> None:
        """The scene moved on: close the box, forget the words, drop any match still running."""
        state = self.say_state
        state.epoch += 1
        if state.open or state.text:
            state.open, state.phase, state.text, state.said, state.candidates = False, "typing", "", "", []
            state.numbers = []
            box = self._box()
            if box is not None:
                self.call_later(box.show, state, self.lang)

    # -- keys ------------------------------------------------------------------------------
    def check_say(self) -> bool:
        return self.free_on() and self.can_choose()

    async def action_say(self) -> None:
        """Open the box (or go back to typing after a question): the input has the focus at
        once; the model loads in the background if it has not yet."""
        if not self.check_say():
            return
        state = self.say_state
        model = free_model(self.app)
        status = model.start(self.app, self.say_level().id, self.say_choices())  # embeds while they type
        state.open = True
        if status in (ABSENT, FAILED):
            state.phase = status
        elif state.phase not in ("loading", "matching"):
            state.phase = "typing"
        await self._show_box()
        inputs = self.query("#say-input")
        if inputs and state.text:  # typing again: the words are kept, selected, so new ones replace them
            inputs.first().select_all()

    async def on_say_box_closed(self, event: SayBox.Closed) -> None:
        event.stop()
        state = self.say_state
        state.open, state.phase = False, "typing"
        state.epoch += 1  # a match still running for the closed box is dropped
        await self._show_box()

    async def on_input_submitted(self, event) -> None:
        if event.input.id != "say-input":
            return
        event.stop()
        text = " ".join(event.value.split())
        state = self.say_state
        if not text or not self.check_say() or state.phase == "matching":
            return
        state.said = text
        model = free_model(self.app)
        if model.status in (ABSENT, FAILED):
            state.phase = model.status
            await self._show_box()
            return
        epoch = state.epoch
        if model.status != READY:  # still loading: say so now, match when it is ready
            state.phase = "loading"
            await self._show_box()
            model.when_ready(lambda: self._match_when_loaded(epoch))
            return
        self._match(epoch)

    def _match_when_loaded(self, epoch: int) -> None:
        if epoch != self.say_state.epoch or not self.is_attached:
            return
        if free_model(self.app).status != READY:
            self.say_state.phase = free_model(self.app).status
            self.call_later(self._show_box)
            return
        self._match(epoch)

    def _match(self, epoch: int) -> None:
        state = self.say_state
        state.phase = "matching"
        box = self._box()
        status = box.query("#say-status, .say-hint") if box is not None else None
        if status:  # one line changes: the input keeps its focus and cursor
            from ...i18n import t

            status.first().text = t("say.matching", self.lang)
        choices = self.say_choices()
        free_model(self.app).match(self.app, self.say_level().id, choices, state.said,
                                   lambda found, error: self._matched(epoch, choices, found, error))

    def _matched(self, epoch: int, choices: list, found, error) -> None:
        """The match is back (on the UI thread): play the move, ask, or say none fits. A result
        for a scene already left, or a box already closed, is dropped."""
        state = self.say_state
        if epoch != state.epoch or not self.is_attached or not self.check_say():
            return
        if error is not None:
            from ...freeanswer import FreeAnswerUnavailable

            model = free_model(self.app)
            model.error = FreeAnswerUnavailable(f"{type(error).__name__}: {error}")
            state.phase = FAILED
            self.call_later(self._show_box)
            return
        by_id = {c.id: c for c in choices}
        band = str(getattr(found.band, "value", found.band))
        if band == "accept" and found.pick in by_id:
            said, choice = state.said, by_id[found.pick]
            self.say_reset()
            self.take_choice(choice, said)
            if getattr(self, "last_choice", False) is None:  # a scene in exam mode: no coach note to say it
                from ...i18n import t

                self.notify(t("say.closest_note", self.lang, said=said, choice=choice.text.get(self.lang)),
                            timeout=6, markup=False)
            return
        if band == "ask" and any(c in by_id for c in found.candidates):
            state.phase = "ask"
            state.candidates = [by_id[c] for c in found.candidates if c in by_id][:2]
            shown = list(self.say_choices())
            state.numbers = [shown.index(c) + 1 if c in shown else i
                             for i, c in enumerate(state.candidates, 1)]
        else:
            state.phase = "none"
        self.call_later(self._show_box)

    def on_say_box_picked(self, event: SayBox.Picked) -> None:
        event.stop()
        state = self.say_state
        if state.phase != "ask" or not self.check_say() or not 1 <= event.index <= len(state.candidates):
            return
        choice, said = state.candidates[event.index - 1], state.said
        if not self.offers(choice):
            return
        self.say_reset()
        self.take_choice(choice, said)

