"""Hot-seat classroom play on one shared screen (the projector).

Teams take turns, one decision each; the banner says whose turn it is (in large, spaced type on
a projector-sized terminal, ≥ 100×30) and, until the next move, that a turn was lost to the
timer or skipped; each decision has a labelled discussion countdown the trainer can pause,
extend or skip, which also stands still while anything is open over the screen. The board
shows every team's meter and badges live. Trainer keys reveal the last move's feedback, show
the level's discussion questions, and end the round (Esc too, always asking first): the teams
still to play this pass have their turn, then the podium. In exam mode the feedback on a
decision is held until every team has made it.

A scene's event (`event = …`) moves a team's meter as the team enters the scene, so the board
moves at once: the event's line (not a move) follows the note of the move that led there, and
opens the team's next turn, as in solo play (`scene_view.event_line`; no meter in exam mode).

At 80×24 the screen drops the header and the portrait and keeps the banner to three rows, so
the customer's line and the first cards show; every new turn opens at the top of the scene.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from ...classroom import Round
from ...i18n import meter_text
from ..widgets.choice_card import ChoiceCard
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.countdown import Countdown
from ..widgets.dynamic import DynamicScroll
from ..widgets.scene_view import SCENE_VIEW_CSS, choice_cards, coach_note, dialogue, event_line, event_text
from ..widgets.team_board import TeamBoard
from .base import GameScreen
from .choosing import CHOICE_BINDINGS, ChoiceKeys
from .saying import SAY_BINDING, Says

EXTEND_SECONDS = 30
PROJECTOR = (100, 30)  # columns, rows: from this size on, projector type


def spaced(text: str) -> str:
    """Letter-spaced for the projector: one space between letters, three between words."""
    return "   ".join(" ".join(word) for word in text.split())


class ClassroomScreen(Says, ChoiceKeys, GameScreen):
    DEFAULT_CSS = SCENE_VIEW_CSS + """
    ClassroomScreen #banner { width: 100%; height: auto; min-height: 3; padding: 1 2;
                              content-align: center middle; text-align: center; text-style: bold;
                              background: $accent; color: $text; }
    ClassroomScreen #class-body { height: 1fr; }
    ClassroomScreen #stage { width: 1fr; height: 1fr; padding: 0 1; }
    ClassroomScreen #side { width: 34; height: 1fr; border-left: vkey $primary; padding: 0 1; }
    ClassroomScreen Countdown { width: 100%; margin-bottom: 1; }
    ClassroomScreen #held { color: $warning; text-style: bold; margin-top: 1; }
    ClassroomScreen.-compact Header { display: none; }
    ClassroomScreen.-compact #banner { padding: 0 1; min-height: 1; }
    ClassroomScreen.-compact Portrait { display: none; }
    ClassroomScreen.-compact #side { width: 30; }
    ClassroomScreen.-compact #speaker-row { margin-bottom: 0; }
    ClassroomScreen.-compact ChoiceCard { margin-bottom: 0; }
    ClassroomScreen.-compact #choices { margin-top: 1; }
    ClassroomScreen.-projector #banner { padding: 1 2; }
    ClassroomScreen.-projector #side { width: 40; }
    ClassroomScreen.-projector #stage { padding: 1 2 0 2; }
    ClassroomScreen.-projector ChoiceCard { padding: 0 2; text-style: bold; }
    ClassroomScreen.-projector #line { text-style: bold; }
    """

    BINDINGS = [
        *CHOICE_BINDINGS,
        Binding("enter", "continue", "Next team", id="class.continue"),
        Binding("p", "pause", "Pause", id="class.pause"),
        Binding("plus,equals_sign", "extend", "+30 s", id="class.extend"),
        Binding("s", "skip", "Skip", id="class.skip"),
        Binding("f", "reveal", "Feedback", id="class.reveal"),
        Binding("d", "discuss", "Discuss", id="class.discuss"),
        Binding("e,escape", "end_round", "End round", id="class.end"),
        SAY_BINDING,  # free-answer mode: the team whose turn it is types its reply
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
        self.notice: tuple[str, dict] | None = None  # (string key, values): a lost turn, until the next move

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield MotHeader()
        yield Static(self._banner(), id="banner")
        with Horizontal(id="class-body"):
            yield DynamicScroll(self._stage, id="stage")
            with Vertical(id="side"):
                yield Countdown(self.timer, paused_label=self.tr("class.paused"),
                                label=self.tr("class.discussion"))
                yield TeamBoard(id="board")
        yield from self.say_widgets()
        yield MotFooter()

    def _banner(self) -> Content:
        projector = self.has_class("-projector")
        if self.round.over:
            head = self.tr("class.round_over")
        else:
            team = self.round.current if self.last is None else self.round.teams[self.last[0]]
            key = "class.turn" if self.last is None else "class.just_played"
            head = self.tr(key, team=team.name, n=len(team.state.moves) + (1 if self.last is None else 0))
        lines = [Content.styled(spaced(head) if projector else head, "bold")]
        if self.notice is not None:
            key, values = self.notice
            lines.append(Content.styled(f" {self.tr(key, **values)} ", "bold reverse"))
        if self.round.closing_at is not None and not self.round.over:
            names = ", ".join(t.name for t in self.round.still_to_play())
            lines.append(Content.styled(self.tr("class.closing", teams=names), "italic"))
        return Content("\n").join(lines)

    def _stage(self) -> ComposeResult:
        lang, level = self.lang, self.round.level
        if self.last is not None:
            index, choice = self.last
            team = self.round.teams[index]
            scene = level.scenes[team.state.moves[-1].scene]
            n = len(team.state.moves)
            released = not self.exam or self.round.decision_complete(n)
            yield from dialogue(level, scene, lang, self.shown_text)
            # The scene this move led into may have an event (the board already shows it).
            yield from coach_note(level, choice, team.state.moves[-1], lang, self.steps_names,
                                  show_feedback=released, after=team.state, event_meter=not self.exam)
            if not released:
                yield Static(self.text("class.held", n=n), id="held")
            return
        if self.round.over:
            return
        state = self.round.current.state
        self.shown_text = self.round.game.scene_text(state)
        yield from event_line(level, state, lang, show_meter=not self.exam)  # as in solo play
        yield from dialogue(level, self.round.game.scene(state), lang, self.shown_text)
        yield from choice_cards(self.round.choices(), lang, self.steps_names, show_steps=False)

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self._refresh_board()
        self._focus_top()
        self.say_start()

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        projector = width >= PROJECTOR[0] and height >= PROJECTOR[1]
        changed = projector != self.has_class("-projector")
        self.set_class(projector, "-projector")
        self.set_class(not projector, "-compact")
        if changed and self.is_mounted:
            self._refresh_board()

    async def refresh_language(self) -> None:
        """A language switch rebuilds the screen: the countdown keeps its time."""
        saved = self.query_one(Countdown).snapshot()
        await super().refresh_language()
        self.query_one(Countdown).restore(saved)

    def after_language_change(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self._refresh_board()
        self._focus_top()

    def _focus_top(self) -> None:
        """The Continue button or the first card, without scrolling to it: each turn opens at
        the top of the scene, never mid-sentence."""
        buttons = self.query("#continue")
        cards = list(self.query(ChoiceCard))
        target = buttons.first() if buttons else (cards[0] if cards else None)
        if target is not None:
            target.focus(scroll_visible=False)
        stage = self.query_one("#stage", DynamicScroll)
        stage.scroll_home(animate=False, immediate=True)

    def _refresh_board(self) -> None:
        current = None if self.round.over else self.round.turn
        self.query_one(TeamBoard).show(self.round.teams, current, self.lang, self.exam,
                                       short=self.has_class("-compact"))
        self.query_one("#banner", Static).update(self._banner())

    async def _redraw(self) -> None:
        # As the scene does: the stage's widgets take the new turn's content, in one frame.
        with self.app.batch_update():
            await self.query_one("#stage", DynamicScroll).refill()
            self._refresh_board()
            self._focus_top()
            self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "continue":
            return self.last is not None
        if action in ("choose", "skip"):
            return self.last is None and not self.round.over
        if action == "reveal":
            return self._last_move() is not None
        if action == "discuss":  # the end-of-level questions give the ideal away: after the round
            return self.round.over
        if action == "focus_choice":
            return self.choice_cards_shown()
        if action == "say":
            return self.check_say()
        return True

    # -- play ------------------------------------------------------------------------------
    def can_choose(self) -> bool:
        return self.last is None and not self.round.over

    def take_choice(self, choice, said: str = "") -> None:
        self._play(choice, said)

    def say_choices(self) -> list:
        return self.round.choices()

    def say_level(self):
        return self.round.level

    def offers(self, choice) -> bool:
        return any(c is choice for c in self.round.choices())

    def _save(self, pending: bool) -> None:
        save = getattr(self.app, "save_session", None)
        if save is not None:
            save(pending=pending)

    def _play(self, choice, said: str = "") -> None:
        index = self.round.turn
        self.say_reset()
        team = self.round.play(choice.id, said)
        self.query_one(Countdown).paused = True  # the decision is made: stop the clock
        self.notice = None
        self.app.record_move(self.round.level, team.name, team.state)
        if team.finished and self.on_finished is not None:
            self.on_finished(team)
        self.last = (index, choice)
        self._save(pending=True)
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
        self.say_reset()  # a new turn (or a lost one): the next team types afresh
        self._save(pending=False)
        if self.round.over:
            self._podium()
            return
        countdown = self.query_one(Countdown)
        countdown.paused = False
        countdown.restart()
        self.run_worker(self._redraw(), exclusive=True, group="classroom")

    def on_countdown_expired(self, event: Countdown.Expired) -> None:
        """Time is up: the team loses its turn and keeps its place; nothing is lost. The banner
        says so until the next move."""
        if self.last is None and not self.round.over:
            team = self.round.current.name
            self.round.pass_turn()
            self.notice = ("class.time_up", {"team": team})
            self._next()

    def action_skip(self) -> None:
        if self.last is None and not self.round.over:
            team = self.round.current.name
            self.round.pass_turn()
            self.notice = ("class.skipped", {"team": team})
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
        """Show the coach's note and the customer's thought for the last move (in exam mode,
        once every team has made that decision)."""
        found = self._last_move()
        if found is None:
            return
        team, move = found
        n = len(team.state.moves)
        if self.exam and not self.round.decision_complete(n):
            self.notify(self.tr("class.held", n=n), severity="warning", timeout=6, markup=False)
            return
        level, lang = self.round.level, self.lang
        choice = level.scenes[move.scene].choice(move.choice)
        parts = [choice.text.get(lang), meter_text(move.before, move.perception, move.delta, lang),
                 choice.feedback.get(lang), choice.thought.get(lang)]
        parts.append(event_text(level, team.state, lang))  # the scene it led into moved it too
        from .note import NoteScreen

        self.app.push_screen(NoteScreen(self.tr("class.feedback_for", team=team.name), [p for p in parts if p]))

    def action_discuss(self) -> None:
        if self.round.over:
            from .note import discussion_note

            self.app.push_screen(discussion_note(self.round.level, self.lang))

    def action_end_round(self) -> None:
        """End the round, asking first. The teams still to play this pass have their turn
        first (every team the same number of decisions); asked again while they do, it ends
        at once and the podium marks who had fewer turns."""
        from .confirm import ConfirmScreen

        if self.round.over:
            return
        behind = self.round.still_to_play()
        closing = self.round.closing_at is not None
        if closing or not behind:
            question = self.tr("class.end_now_question" if closing else "class.end_question")
        else:
            question = self.tr("class.close_question", teams=", ".join(t.name for t in behind))

        def end(yes: bool | None) -> None:
            if not yes or self.round.over:
                return
            if closing or not behind:
                self.round.end()
            elif not self.round.close():
                self._save(pending=self.last is not None)
                self._refresh_board()
                return
            self._save(pending=False)
            self._podium()

        self.app.push_screen(ConfirmScreen(question), end)

    def _podium(self) -> None:
        show = getattr(self.app, "show_podium", None)
        if show is not None:
            show()
            return
        from .podium import PodiumScreen

        self.app.switch_screen(PodiumScreen(self.round))
