"""Vote mode on the projector: the scene and its cards while the class votes from its phones;
the split as bars once the trainer locks the vote; the consequence of the card played.

The screen owns the level's engine `State` and drives the app's `VoteRoom`:

    open (cards, "n joined · m voted")  --l-->  locked (bars, the majority)
      --Enter (the majority) or 1–9 (another card)-->  revealed (meter, coach, thought)
      --r or Enter-->  the next decision opens … or the ending, then r: the next level.

A scene's event (`event = …`) shows above the scene's words while its decision is open or
locked, and the meter moves by it when the class enters the scene; phones get the event's words.

The side panel has what the class needs to join — the address, the join code in big digits,
the QR code (j hides it) — the counts, the newest nicknames, and the customer's meter. Every
nickname and level text is data, shown as literal `Content`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Digits, Static

from ...engine import Game, State
from ...model import Level
from ...vote.room import (
    ENDED,
    LOCKED,
    OPEN,
    REVEALED,
    decision_for,
    ending_for,
    outcome_for,
    percentages,
)
from ..widgets.choice_card import ChoiceCard
from ..widgets.dynamic import DynamicScroll
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.meter import PerceptionMeter, tone
from ..widgets.prose import Prose
from ..widgets.qr import QrCode
from ..widgets.scene_view import SCENE_VIEW_CSS, coach_note, dialogue, event_line
from ..widgets.vote_bars import BarRow, VoteBars
from .base import GameScreen

WATCH_SECONDS = 0.1  # how often the counts are brought up to date (votes arrive on the loop)


class VoteScreen(GameScreen):
    DEFAULT_CSS = SCENE_VIEW_CSS + """
    VoteScreen #vote-body { height: 1fr; }
    VoteScreen #stage { width: 1fr; height: 1fr; padding: 0 1; }
    VoteScreen #side { width: 40; height: 1fr; border-left: vkey $primary; padding: 0 1; }
    VoteScreen #progress { color: $foreground-muted; }
    VoteScreen #hint { color: $accent; text-style: bold; margin: 1 0; }
    VoteScreen #join-label { text-style: bold; color: $accent; }
    VoteScreen #url { text-style: bold; }
    VoteScreen #code { width: auto; color: $warning; }
    VoteScreen #qr { margin: 1 0 0 0; }
    VoteScreen #scan { color: $foreground-muted; }
    VoteScreen #counts { text-style: bold; margin-top: 1; }
    VoteScreen #names { color: $foreground-muted; }
    VoteScreen #meter { margin-top: 1; }
    VoteScreen #ending-title { text-style: bold; color: $accent; margin-bottom: 1; }
    VoteScreen #ending-score { text-style: bold; margin: 1 0; }
    VoteScreen #played { text-style: bold; margin-bottom: 1; }
    VoteScreen.-no-qr #qr, VoteScreen.-no-qr #scan { display: none; }
    """

    BINDINGS = [
        Binding("l", "lock", "Lock vote", id="vote.lock"),
        Binding("enter", "play_majority", "Play majority", id="vote.majority"),
        Binding("1", "play_card(1)", "Play card", key_display="1-9", id="vote.play"),
        *[Binding(str(n), f"play_card({n})", show=False) for n in range(2, 10)],
        Binding("r", "next_decision", "Next", id="vote.next"),
        Binding("j", "toggle_join", "Join info", id="vote.join"),
        Binding("q", "quit_vote", "Quit", id="vote.quit"),
    ]

    def __init__(self, level: Level, round_no: int) -> None:
        super().__init__()
        self.level = level
        self.round_no = round_no
        self.game: Game | None = None
        self.state: State | None = None
        self.offered = []  # the Choice objects of the open decision, in the shown order
        self.shown_text = None
        self.played = None  # (choice, by_majority, votes for it, votes in all) while revealed
        self.result = None
        self.started_at = datetime.now(timezone.utc)
        self._seen = -1

    @property
    def room(self):
        return self.app.vote_room

    # -- composition ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.game is None:  # the first compose (a language switch recomposes)
            self.game = Game(self.level, {}, seed=self.app.play_seed())
            self.state = self.game.start()
            self._open()
        yield MotHeader()
        with Horizontal(id="vote-body"):
            yield DynamicScroll(self._stage, id="stage")
            with VerticalScroll(id="side"):
                yield Static(self.text("vote.join_at"), id="join-label")
                yield Static(Content(self.app.public_url), id="url")
                yield Static(self.text("vote.code"), id="code-label")
                yield Digits(self.room.code, id="code")
                yield QrCode(self.app.join_url, id="qr")
                yield Static(self.text("vote.scan"), id="scan")
                yield Static(self._counts(), id="counts")
                yield Static(self._names(), id="names")
                customer = self.level.character(self.level.customer)
                yield PerceptionMeter(self._shown_perception(), lang=self.lang, hidden=self.app.exam,
                                      id="meter", customer=customer.name.get(self.lang) if customer else "")
        yield MotFooter()

    def _shown_perception(self) -> int:
        """The meter as the class has seen it: while a move's consequence is shown, the event
        of the scene it leads into (already in the state) has not happened yet for the class."""
        entered = self.state.entered
        if self.room.status == REVEALED and entered is not None:
            return entered.before
        return self.state.perception

    def _counts(self) -> Content:
        return self.text("vote.counts", joined=self.room.joined, voted=self.room.voted)

    def _names(self) -> Content:
        names = self.room.newest()
        if not names:
            return Content("")
        return Content.assemble(self.tr("vote.newest"), (" · ".join(names), "italic"))

    def _stage(self) -> ComposeResult:
        room, lang, level = self.room, self.lang, self.level
        if room.status == ENDED and room.ending is not None:
            yield from self._ending()
            return
        decision = room.decision
        if decision is None or self.game is None:
            return
        yield Static(self.text("vote.progress", title=level.title.get(lang), n=decision.number),
                     id="progress")
        scene = level.scenes[decision.scene]
        if room.status in (OPEN, LOCKED):  # the scene's event, as the class entered it
            yield from event_line(level, self.state, lang, show_meter=not self.app.exam)
        yield from dialogue(level, scene, lang, self.shown_text)
        if room.status == OPEN:
            with Vertical(id="choices"):
                for n, choice in enumerate(self.offered, 1):
                    card = ChoiceCard(n, choice, lang, self._steps(), show_step=False)
                    card.can_focus = False  # Enter is the trainer's "play the majority"
                    yield card
            yield Static(self.text("vote.open_hint"), id="hint")
        elif room.status == LOCKED:
            yield Static(self.text("vote.locked", total=room.voted), id="played")
            yield VoteBars(self._bars(), id="bars")
            yield Static(self._lock_hint(), id="hint")
        elif room.status == REVEALED and self.played is not None:
            choice, by_majority, count, total = self.played
            key = "vote.played_majority" if by_majority else "vote.played_trainer"
            yield Static(self.text(key, n=decision.index(choice.id), count=count, total=total), id="played")
            yield VoteBars(self._bars(), id="bars")
            yield from coach_note(level, choice, self.state.moves[-1], lang, self._steps(),
                                  show_feedback=not self.app.exam)

    def _ending(self) -> ComposeResult:
        ending, lang = self.room.ending, self.lang
        yield Static(self.text("vote.ended", title=ending.title.get(lang)), id="ending-title")
        if ending.text:
            yield Prose(ending.text.get(lang), id="ending-text")
        score = f"{ending.mot_score:+d}"
        yield Static(Content.styled(self.tr("vote.score", score=score, label=ending.labels.get(lang, "")),
                                    f"bold {tone(ending.mot_score)}"), id="ending-score")
        following = self.app.following_level()
        if following is not None:
            yield Static(self.text("vote.next_level", title=following.title.get(lang)), id="hint")
        else:
            yield Static(self.text("vote.last_level", room=self.app.room or ""), id="hint")

    def _steps(self):
        return self.app.campaign_steps(self.level)

    def _bars(self) -> list[BarRow]:
        split = self.room.split()
        shares = percentages([n for _, n in split])
        leaders = {o.id for o in self.room.leaders()}
        return [BarRow(i, o.text.get(self.lang), n, p, o.id in leaders)
                for i, ((o, n), p) in enumerate(zip(split, shares), 1)]

    def _lock_hint(self) -> Content:
        room = self.room
        majority, leaders = room.majority(), room.leaders()
        if majority is not None:
            count = {o.id: n for o, n in room.split()}[majority.id]
            return self.text("vote.majority", n=room.decision.index(majority.id), count=count, total=room.voted)
        if leaders:
            cards = ", ".join(str(room.decision.index(o.id)) for o in leaders)
            return self.text("vote.tie", cards=cards)
        return self.text("vote.no_votes")

    # -- lifecycle ------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._fit()
        self.set_interval(WATCH_SECONDS, self._watch)
        self._focus()

    def after_language_change(self) -> None:
        self._fit()
        self._focus()

    def _fit(self) -> None:
        qr = self.query("#qr")
        if qr:
            width = qr.first().get_content_width(self.size, self.size)
            self.query_one("#side").styles.width = max(40, width + 4)

    def _focus(self) -> None:
        buttons = self.query("#continue")
        if buttons:
            buttons.first().focus()
        else:
            self.query_one("#stage").focus()

    def _watch(self) -> None:
        """Votes and joins arrive on the loop: bring the counts up to date."""
        if self.room.version != self._seen:
            self._seen = self.room.version
            self.query_one("#counts", Static).update(self._counts())
            self.query_one("#names", Static).update(self._names())

    async def _redraw(self) -> None:
        stage = self.query_one("#stage", DynamicScroll)
        with self.app.batch_update():  # as the scene does: the stage refilled in one frame
            await stage.refill()
            stage.scroll_home(animate=False)
            self._watch()
            self._focus()
            self.refresh_bindings()

    def _open(self) -> None:
        """Open the state's decision to the phones."""
        self.offered = self.game.offered(self.state)
        self.shown_text = self.game.scene_text(self.state)
        self.played = None
        self.room.open(decision_for(self.level, self.game, self.state, self.round_no))

    # -- the trainer ----------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        status = self.room.status
        if action == "lock":
            return status == OPEN
        if action == "play_majority":
            return status == LOCKED
        if action == "play_card":
            return status == LOCKED
        if action == "next_decision":
            return status == REVEALED or (status == ENDED and self.app.following_level() is not None)
        return True

    async def action_lock(self) -> None:
        if self.room.lock():
            await self._redraw()

    async def action_play_majority(self) -> None:
        if self.room.status != LOCKED:
            return
        majority = self.room.majority()
        if majority is None:
            self.notify(self.tr("vote.no_majority"), timeout=4, markup=False)
            return
        await self._play(majority.id)

    async def action_play_card(self, number: int) -> None:
        if self.room.status == LOCKED and 1 <= number <= len(self.offered):
            await self._play(self.offered[number - 1].id)

    async def on_choice_card_chosen(self, event: ChoiceCard.Chosen) -> None:
        event.stop()  # a click on a card: the trainer plays it, once the vote is locked
        if self.room.status == LOCKED:
            await self._play(event.choice.id)

    async def _play(self, choice_id: str) -> None:
        choice = next(c for c in self.offered if c.id == choice_id)
        majority = self.room.majority()
        by_majority = majority is not None and majority.id == choice_id
        count = sum(1 for v in self.room.votes.values() if v == choice_id)
        self.state = self.game.take(self.state, choice)
        move = self.state.moves[-1]
        self.played = (choice, by_majority, count, self.room.voted)
        self.room.reveal(outcome_for(self.level, choice, move, by_majority))
        self.app.record_move(self.level, self.app.class_team, self.state)
        self.query_one("#meter", PerceptionMeter).move_to(move.perception, move.delta)
        await self._redraw()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            event.stop()
            await self.action_next_decision()

    async def action_next_decision(self) -> None:
        room = self.room
        if room.status == REVEALED:
            if self.state.finished:
                self.result = self.app.finish_vote_level(self.level, self.state, self.started_at,
                                                         self.game.seed)
                room.end(ending_for(self.level, self.state, self.result))
            else:
                self._open()
                event = self.state.entered
                if event is not None:  # entering the next scene moved the meter: it moves now
                    self.query_one("#meter", PerceptionMeter).move_to(event.perception, event.delta)
            await self._redraw()
        elif room.status == ENDED:
            self.app.next_level()

    def action_toggle_join(self) -> None:
        self.toggle_class("-no-qr")

    def action_quit_vote(self) -> None:
        from .confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.exit()

        self.app.push_screen(ConfirmScreen(self.tr("vote.quit_question")), answer)
