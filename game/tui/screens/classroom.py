"""Hot-seat classroom play on one shared screen (the projector).

Teams take turns, one decision each; the banner says whose turn it is in large type; each
decision has a discussion countdown the trainer can pause, extend or skip; the board shows
every team's meter and badges live. Trainer keys reveal the last move's feedback, show the
level's discussion questions, and end the round. The round ends on the podium.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Header, Static

from ...classroom import Round
from ...i18n import meter_text
from ..widgets.footer import MotFooter
from ..widgets.countdown import Countdown
from ..widgets.dynamic import DynamicScroll
from ..widgets.scene_view import SCENE_VIEW_CSS, choice_cards, coach_note, dialogue
from ..widgets.team_board import TeamBoard
from .base import GameScreen
from .choosing import CHOICE_BINDINGS, ChoiceKeys

EXTEND_SECONDS = 30


class ClassroomScreen(ChoiceKeys, GameScreen):
    DEFAULT_CSS = SCENE_VIEW_CSS + """
    ClassroomScreen #top { height: 5; }
    ClassroomScreen #banner { width: 1fr; height: 5; content-align: center middle; text-style: bold;
                              background: $accent; color: $text; border: heavy $accent-darken-2; }
    ClassroomScreen Countdown { width: 20; height: 5; }
    ClassroomScreen #class-body { height: 1fr; }
    ClassroomScreen #stage { width: 1fr; height: 1fr; padding: 0 1; }
    ClassroomScreen #board-box { width: 34; height: 1fr; border-left: vkey $primary; padding: 0 1; }
    """

    BINDINGS = [
        *CHOICE_BINDINGS,
        Binding("enter", "continue", "Next team", id="class.continue"),
        Binding("p", "pause", "Pause", id="class.pause"),
        Binding("plus,equals_sign", "extend", "+30 s", id="class.extend"),
        Binding("s", "skip", "Skip", id="class.skip"),
        Binding("f", "reveal", "Feedback", id="class.reveal"),
        Binding("d", "discuss", "Discuss", id="class.discuss"),
        Binding("e", "end_round", "End round", id="class.end"),
    ]

    def __init__(self, round_: Round, *, timer: int = 60, exam: bool = False, room: str | None = None,
                 steps_names=None, on_finished=None) -> None:
        super().__init__()
        self.round = round_
        self.timer = timer
        self.exam = exam
        self.room = room
        self.steps_names = steps_names
        self.on_finished = on_finished  # callback(team) when a team reaches an ending
        self.last = None  # (team index, choice) of the move whose note is showing
        self.shown_text = None  # the scene's wording as the team met it

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            yield Static(self._banner(), id="banner")
            yield Countdown(self.timer, paused_label=self.tr("class.paused"))
        with Horizontal(id="class-body"):
            yield DynamicScroll(self._stage, id="stage")
            with Vertical(id="board-box"):
                yield TeamBoard(id="board")
        yield MotFooter()

    def _banner(self) -> Content:
        if self.round.over:
            return Content(self.tr("class.round_over"))
        team = self.round.current if self.last is None else self.round.teams[self.last[0]]
        key = "class.turn" if self.last is None else "class.just_played"
        return Content(self.tr(key, team=team.name, n=len(team.state.moves) + (1 if self.last is None else 0)))

    def _stage(self) -> ComposeResult:
        lang, level = self.lang, self.round.level
        if self.last is not None:
            index, choice = self.last
            team = self.round.teams[index]
            scene = level.scenes[team.state.moves[-1].scene]
            yield from dialogue(level, scene, lang, self.shown_text)
            yield from coach_note(level, choice, team.state.moves[-1], lang, self.steps_names,
                                  show_feedback=not self.exam)
            return
        if self.round.over:
            return
        state = self.round.current.state
        self.shown_text = self.round.game.scene_text(state)
        yield from dialogue(level, self.round.game.scene(state), lang, self.shown_text)
        yield from choice_cards(self.round.choices(), lang, self.steps_names, show_steps=False)

    def on_mount(self) -> None:
        self._refresh_board()
        self.focus_first()

    def after_language_change(self) -> None:
        self._refresh_board()
        self.focus_first()

    def _refresh_board(self) -> None:
        current = None if self.round.over else self.round.turn
        self.query_one(TeamBoard).show(self.round.teams, current, self.lang, self.exam)
        self.query_one("#banner", Static).update(self._banner())

    async def _redraw(self) -> None:
        await self.query_one("#stage", DynamicScroll).recompose()
        self._refresh_board()
        self.focus_first()
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "continue":
            return self.last is not None
        if action in ("choose", "skip"):
            return self.last is None and not self.round.over
        if action == "reveal":
            return self._last_move() is not None
        if action == "focus_choice":
            return self.choice_cards_shown()
        return True

    # -- play ------------------------------------------------------------------------------
    def can_choose(self) -> bool:
        return self.last is None and not self.round.over

    def take_choice(self, choice) -> None:
        self._play(choice)

    def _play(self, choice) -> None:
        index = self.round.turn
        team = self.round.play(choice.id)
        self.query_one(Countdown).paused = True  # the decision is made: stop the clock
        self.app.record_move(self.round.level, team.name, team.state)
        if team.finished and self.on_finished is not None:
            self.on_finished(team)
        self.last = (index, choice)
        self._refresh_board()
        self.run_worker(self._redraw(), exclusive=True, group="classroom")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            event.stop()
            self.action_continue()

    def action_continue(self) -> None:
        """After the note: hand over to the next team, or go to the podium."""
        if self.last is None:
            return
        self.last = None
        self.round.next_turn()
        self._next()

    def _next(self) -> None:
        if self.round.over:
            self._podium()
            return
        countdown = self.query_one(Countdown)
        countdown.paused = False
        countdown.restart()
        self.run_worker(self._redraw(), exclusive=True, group="classroom")

    def on_countdown_expired(self, event: Countdown.Expired) -> None:
        """Time is up: the team loses its turn and keeps its place; nothing is lost."""
        if self.last is None and not self.round.over:
            team = self.round.current.name
            self.round.pass_turn()
            self.notify(self.tr("class.time_up", team=team), timeout=4, markup=False)
            self._next()

    def action_skip(self) -> None:
        if self.last is None and not self.round.over:
            self.round.pass_turn()
            self._next()

    def action_pause(self) -> None:
        self.query_one(Countdown).toggle()

    def action_extend(self) -> None:
        self.query_one(Countdown).extend(EXTEND_SECONDS)

    def _last_move(self):
        moves = [(t, t.state.moves[-1]) for t in self.round.teams if t.state.moves]
        if self.last is not None:
            return self.round.teams[self.last[0]], self.round.teams[self.last[0]].state.moves[-1]
        return moves[-1] if moves else None

    def action_reveal(self) -> None:
        """Show the coach's note and the customer's thought for the last move (exam mode too)."""
        found = self._last_move()
        if found is None:
            return
        team, move = found
        level, lang = self.round.level, self.lang
        choice = level.scenes[move.scene].choice(move.choice)
        parts = [choice.text.get(lang), meter_text(move.before, move.perception, move.delta, lang),
                 choice.feedback.get(lang), choice.thought.get(lang)]
        from .note import NoteScreen

        self.app.push_screen(NoteScreen(self.tr("class.feedback_for", team=team.name), [p for p in parts if p]))

    def action_discuss(self) -> None:
        from .note import NoteScreen

        prompts = [f"{n}. {p.get(self.lang)}" for n, p in enumerate(self.round.level.discuss, 1)]
        self.app.push_screen(NoteScreen(self.tr("class.discuss"), prompts or [self.tr("class.no_discuss")]))

    def action_end_round(self) -> None:
        from .confirm import ConfirmScreen

        def end(yes: bool | None) -> None:
            if yes:
                self.round.end()
                self._podium()

        self.app.push_screen(ConfirmScreen(self.tr("class.end_question")), end)

    def _podium(self) -> None:
        from .podium import PodiumScreen

        self.app.switch_screen(PodiumScreen(self.round))
