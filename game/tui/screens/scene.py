"""A scene: the customer speaks, the player picks a move; the side panel shows the meter live.

The screen owns the engine `State`; widgets only display it, so a language switch (which
recomposes) or a resize never loses a move. In coach mode each move is followed by its
feedback and the customer's thought; in exam mode nothing is revealed until the debrief.
"""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ...engine import Game, State
from ...i18n import kind_name
from ...model import Choice, Level
from ...reference import cited_by
from ...scoring import score
from ..prepared import BUILD_AFTER, Prepared
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.dynamic import DynamicScroll
from ..widgets.meter import PerceptionMeter
from ..widgets.prose import ProseStatic
from ..widgets.scene_view import SCENE_VIEW_CSS, choice_cards, coach_note, dialogue, event_line, name_the_step
from ..widgets.step_badges import StepBadges
from ..widgets.trend import Trend
from .base import GameScreen
from .choosing import CHOICE_BINDINGS, ChoiceKeys
from .saying import SAY_BINDING, Says

KIND_KEYS = {"business-win": "kind.business", "personal-win": "kind.personal", "expectation": "kind.expectation"}


class SceneScreen(Says, ChoiceKeys, GameScreen):
    DEFAULT_CSS = SCENE_VIEW_CSS + """
    SceneScreen #scene-body { height: 1fr; }
    SceneScreen #stage { width: 1fr; height: 1fr; padding: 0 1; }
    SceneScreen #side { width: 32; height: 1fr; border-left: vkey $primary; padding: 0 1; }
    SceneScreen #trend { height: 2; margin: 1 0 0 0; }
    SceneScreen #badges { margin-top: 1; }
    SceneScreen #found-scroll { margin-top: 1; height: 1fr; scrollbar-size-vertical: 1; }
    SceneScreen #found { height: auto; }
    SceneScreen.-narrow #side { width: 28; }
    SceneScreen.-narrow Portrait { display: none; }
    SceneScreen.-narrow #trend { margin: 0; }
    SceneScreen.-narrow #badges { margin-top: 0; }
    SceneScreen #progress { color: $foreground-muted; }
    """

    BINDINGS = [
        *CHOICE_BINDINGS,
        Binding("escape", "leave", "Leave", id="scene.leave"),
        # Priority, so the Footer shows it while the coach note is up (a focused button would
        # hide it); check_action lets Enter through to the cards while choosing.
        Binding("enter", "continue", "Continue", id="scene.continue", priority=True),
        Binding("u", "step_back", "Step back", id="scene.step_back"),
        Binding("r", "cards", "Course card", id="scene.cards"),
        # Naming the step: one Footer entry for the four keys (the question on the stage spells
        # them out), so the Footer still fits 80 columns with Leave, Help and F2.
        Binding("e", "name_step('explore')", "Name the step", key_display="e o a c", id="scene.name_e"),
        Binding("o", "name_step('offer')", "Offer", id="scene.name_o", show=False),
        Binding("a", "name_step('act')", "Act", id="scene.name_a", show=False),
        Binding("c", "name_step('confirm')", "Confirm", id="scene.name_c", show=False),
        SAY_BINDING,  # free-answer mode: type the reply (screens/saying.py)
    ]

    def __init__(self, level: Level, guided: bool = False, scores: dict | None = None,
                 practice_from: int | None = None) -> None:
        super().__init__()
        self.level = level
        self.guided = guided
        # A rewound attempt (from the debrief, or a step back): practice, never counted.
        self.practice_from = practice_from
        # "Name the step" practice: after a move, the learner names its step before the note.
        self.naming = False
        self.verdict: bool | None = None  # the last move's step, named right or wrong
        self.named: list[bool] = []
        self._scores = scores
        self.game: Game | None = None
        self.state: State | None = None
        self.last_choice: Choice | None = None  # set while the coach note is showing
        self.shown_text = None  # the scene's wording as the player met it (variants depend on state)
        self.started_at = datetime.now(timezone.utc)
        self._debrief = Prepared()  # built while the last note is read

    @staticmethod
    def preparable(app) -> bool:
        """Whether a scene may be built before it is shown: not when it carries a widget that
        starts on mount (a team's discussion countdown in the classroom)."""
        return not list(getattr(app, "scene_widgets", lambda screen: ())(None))

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.game is None:
            scores = self._scores if self._scores is not None else self.app.scores_for(self.level)
            self.game = Game(self.level, scores, seed=self.app.play_seed())
            self.state = self.game.start()
        hidden = self.app.exam
        yield MotHeader()
        with Horizontal(id="scene-body"):
            yield DynamicScroll(self._stage, id="stage")
            with Vertical(id="side"):
                yield from getattr(self.app, "scene_widgets", lambda screen: ())(self)  # a team's countdown
                customer = self.level.character(self.level.customer)
                yield PerceptionMeter(self.state.perception, lang=self.lang, hidden=hidden, id="meter",
                                      customer=customer.name.get(self.lang) if customer else "")
                yield Trend(id="trend")
                yield StepBadges(self._used(), lang=self.lang, steps_names=self._steps(), id="badges")
                with VerticalScroll(id="found-scroll"):
                    yield ProseStatic(self._found_text(), hanging=True, id="found")
        yield from self.say_widgets()
        yield MotFooter()

    def _steps(self):
        return self.app.campaign_steps(self.level) if hasattr(self.app, "campaign_steps") else None

    def _stage(self) -> ComposeResult:
        level, lang, state = self.level, self.lang, self.state
        # While the coach note shows, the scene is the one the move was made in.
        coaching = self.last_choice is not None
        scene = level.scenes[state.moves[-1].scene] if coaching else self.game.scene(state)
        n = len(state.moves) + (0 if coaching else 1)
        progress = self.tr("scene.progress", title=level.title.get(lang), n=n)
        if self.practice_from is not None:
            progress += f" · {self.tr('scene.practice')}"
        yield Static(Content(progress), id="progress")
        if not coaching or self.shown_text is None:
            self.shown_text = self.game.scene_text(state, scene)
        if not coaching:
            yield from self._event_line()
        yield from dialogue(level, scene, lang, self.shown_text)
        if coaching and self.naming:
            yield from name_the_step(self.last_choice, lang)
        elif coaching:
            yield from coach_note(level, self.last_choice, state.moves[-1], lang, self._steps(),
                                  verdict=self.verdict)
        else:
            yield from choice_cards(self.game.offered(state), lang, self._steps(), self.guided,
                                    show_steps=self.guided or self.app.steps_before_choice(level))

    def _event_line(self) -> ComposeResult:
        """The scene's event, when it happened on entering this scene (not a move)."""
        yield from event_line(self.level, self.state, self.lang, show_meter=not self.app.exam)

    def _show_trend(self) -> None:
        trend = self.query_one("#trend", Trend)
        trend.label = "" if self.app.exam else self.tr("scene.trend")
        trace, events = self.state.trace, self.state.event_indices
        if self.last_choice is not None and self.state.entered is not None:
            # The coach note is about the move: the next scene's event has not happened yet
            # for the player (the meter shows it on Continue, and so does the trend).
            trace, events = trace[:-1], events[:-1]
        trend.values = () if self.app.exam else (self.level.perception, *trace)
        trend.events = () if self.app.exam else tuple(i + 1 for i in events)

    def _show_side(self) -> None:
        """The side panel after the state changed: trend, lit steps, discoveries."""
        self._show_trend()
        self.query_one("#badges", StepBadges).lit = self._used()
        # Most moves find nothing: `show` leaves the list alone then (an update re-measures it).
        self.query_one("#found", ProseStatic).show(self._found_text())

    def _used(self) -> frozenset:
        return frozenset() if self.app.exam else frozenset(self.state.steps)

    def _found_text(self) -> Content:
        if self.app.exam:
            return Content("")
        level, lang = self.level, self.lang
        total = len(level.discoveries)
        found = [d for d in level.discoveries.values() if d.id in self.state.found]
        parts = [Content.styled(self.tr("scene.discoveries", found=len(found), total=total), "bold")]
        for d in found:
            kind = kind_name(d.kind, lang, getattr(self.app, "campaign_kinds", lambda _: None)(level))
            # The kind on a line of its own, in a text colour meant to be read on the theme's
            # background (a campaign's own kind names can be several words).
            parts.append(Content.assemble("\n◆ ", (kind, "$text-secondary bold"), "\n  ", d.text.get(lang)))
        return Content("").join(parts)

    # -- lifecycle -------------------------------------------------------------------------
    NARROW = 100  # below this width: a compact meter and no portrait, so the story keeps ≥ 44 columns

    def on_resize(self, event) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < self.NARROW
        self.set_class(narrow, "-narrow")
        for meter in self.query(PerceptionMeter):
            meter.compact = narrow

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self._show_trend()
        self.focus_first()
        self.say_start()

    def after_language_change(self) -> None:
        self._fit(self.app.size.width)
        self._show_trend()
        self.focus_first()
        self._debrief.drop()  # built in the other language
        self._prepare_debrief_soon()

    def on_unmount(self) -> None:
        self._debrief.drop()

    # -- moves -----------------------------------------------------------------------------
    def counted(self) -> bool:
        """Whether this run is the player's own: not the ideal path shown, not practice after a
        rewind or a step back. Only such a run saves its moves as it goes and is scored."""
        return not self.guided and self.practice_from is None

    def can_choose(self) -> bool:
        return self.last_choice is None and not self.state.finished

    def take_choice(self, choice: Choice, said: str = "") -> None:
        self.say_reset()
        self.choose(choice, said)

    def say_choices(self) -> list[Choice]:
        return self.game.offered(self.state)

    def say_level(self) -> Level:
        return self.level

    def offers(self, choice: Choice) -> bool:
        return any(c is choice for c in self.game.offered(self.state))

    def choose(self, choice: Choice, said: str = "") -> None:
        """Apply a move: the meter changes first, then the coach note or the next scene. `said`:
        the learner's words when the move was typed (free-answer mode)."""
        self.state = self.game.take(self.state, choice, said)
        move = self.state.moves[-1]
        self.app.record_move(self.level, self.app.player, self.state)
        if self.counted():
            self.app.save_progress(self.level, self.game.seed, self.state, self.started_at)
        self.query_one("#meter", PerceptionMeter).move_to(move.perception, move.delta)
        if not self.app.exam:
            self.last_choice = choice
            self.verdict = None
            self.naming = self._asks_to_name()
        # Redraw the stage only after the meter has been painted: the meter is the feedback
        # the player waits for, the coach note can come a frame later. The side panel changes
        # with the note, in its frame: the meter's own frame is then a repaint, not a layout.
        redraw = self.advance if self.app.exam else self._redraw_stage

        def after_meter() -> None:
            if not self.app.exam and self.is_attached:
                self._show_side()
            self.run_worker(redraw(), exclusive=True, group="scene")

        self.call_after_refresh(after_meter)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            event.stop()
            self.action_continue()

    def action_continue(self) -> None:
        if self.last_choice is not None and not self.naming:
            self.run_worker(self.advance(), exclusive=True, group="scene")

    def check_action(self, action: str, parameters) -> bool | None:
        """Footer shows 1-9 while choosing and Enter while the coach note is up; a step back
        only in coach mode, outside a classroom, once there is a move to take back."""
        if action == "continue":  # not while the move's step waits to be named: Enter would skip it
            return self.last_choice is not None and not self.naming
        if action == "choose":
            return self.last_choice is None
        if action == "name_step":
            return self.naming
        if action == "say":
            return self.check_say()
        if action == "focus_choice":
            return self.choice_cards_shown()
        if action == "cards":  # not while the step waits to be named: the card would tell it
            return self.last_choice is not None and not self.naming and bool(cited_by(self.last_choice.feedback))
        if action == "step_back":
            return (not self.app.exam and not self.guided and not getattr(self.app, "room", None)
                    and self.state is not None and bool(self.state.moves))
        return True

    def _asks_to_name(self) -> bool:
        """Name the step: a title-screen setting, in coach mode, when the cards hid the steps."""
        return (getattr(self.app, "name_step", False) and not self.guided and not self.app.exam
                and not self.app.steps_before_choice(self.level))

    async def action_name_step(self, step: str) -> None:
        if not self.naming or self.last_choice is None:
            return
        self.verdict = step == self.last_choice.step
        self.named.append(self.verdict)
        self.naming = False
        await self._redraw_stage()

    def action_cards(self) -> None:
        """The course's reference cards the coach's note cites."""
        from .reference import ReferenceScreen

        cited = cited_by(self.last_choice.feedback) if self.last_choice is not None else []
        if cited:
            self.app.push_screen(ReferenceScreen(cited))

    async def action_step_back(self) -> None:
        """Take the last move back and choose again: from here on the attempt is practice."""
        if not self.check_action("step_back", ()):
            return
        kept = self.state.moves[:-1]
        self.practice_from = min(self.practice_from or len(kept) + 1, len(kept) + 1)
        self.state = self.game.start()
        for move in kept:  # replayed with the words typed for them (free-answer mode)
            self.state = self.game.apply(self.state, move.choice, move.said)
        self.last_choice = None
        self._debrief.drop()
        self.query_one("#meter", PerceptionMeter).move_to(self.state.perception, 0)
        self._show_side()
        await self._redraw_stage()

    async def advance(self) -> None:
        """Leave the coach note: to the next scene, or to the debrief at an ending."""
        self.last_choice = None
        entered = self.state.entered  # the scene entered had an event: the meter shows it now
        if entered is not None:
            self.query_one("#meter", PerceptionMeter).move_to(entered.perception, entered.delta)
            if not self.app.exam:
                self._show_trend()
        if self.state.finished:
            result = self.app.finish_level(self.level, self.state, self.started_at, not self.counted(),
                                           seed=self.game.seed)
            screen = self._debrief.take(self._debrief_key(), usable=lambda built: built.result == result)
            self.app.switch_screen(screen or self._new_debrief(result))
            return
        await self._redraw_stage()

    # -- the debrief, built while the last note is read --------------------------------------
    def _new_debrief(self, result):
        from .debrief import DebriefScreen

        return DebriefScreen(self.level, self.state, result, guided=self.guided, practice_from=self.practice_from,
                             seed=self.game.seed, named=self.named)

    def _debrief_key(self) -> tuple:
        """What the debrief shows that can still change while the note is up."""
        return (len(self.state.moves), len(self.named), self.verdict, self.practice_from)

    def _prepare_debrief_soon(self) -> None:
        if self._can_prepare_debrief():
            self.set_timer(BUILD_AFTER, self._prepare_debrief)

    def _can_prepare_debrief(self) -> bool:
        # Not for a finale: its scorecard shows the best scores this very run may raise.
        return (self._debrief.screen is None and self.is_attached and self.app.screen is self
                and self.last_choice is not None and not self.naming and self.state.finished
                and not self.level.scorecard)

    def _prepare_debrief(self) -> None:
        """Build the debrief (off screen) with the score the run will get: Enter only shows it."""
        if self._can_prepare_debrief():
            self._debrief.build(self.app, self._new_debrief(score(self.level, self.state)), self._debrief_key())

    async def _redraw_stage(self) -> None:
        stage = self.query_one("#stage", DynamicScroll)
        with self.app.batch_update():  # one frame: the stage, the side panel and the Footer
            await stage.refill()  # the same widgets, new content: a move costs a repaint
            stage.scroll_home(animate=False)
            # Focus now rather than through the app's queue (focus_first): the Footer's keys
            # follow the focus (their order does), and they change in this frame too.
            # None (naming the step: nothing to press) leaves no focus: the stage takes it below.
            self.set_focus(self.first_focus())
            self.refresh_bindings()
            self.query_one(MotFooter).sync()
        # Nothing to press (naming the step): the stage, as before.
        self.app.call_later(lambda: self.focused is None and self.is_attached and stage.focus())
        self._prepare_debrief_soon()

    def action_leave(self) -> None:
        from .confirm import ConfirmScreen

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        # A counted run saves its moves (see choose) and can be continued from the title; practice cannot.
        question = "scene.leave_question" if self.counted() else "scene.leave_practice"
        self.app.push_screen(ConfirmScreen(self.tr(question)), leave)
