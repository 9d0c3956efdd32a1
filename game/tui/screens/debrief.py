"""Debrief: the MOT score and how it was computed, the chart, the analysis sheet
(互动分析记录表: your moves beside the ideal ones), adherence, discoveries, word of mouth,
discussion prompts and, for a finale, the scorecard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static, TabbedContent, TabPane

from ...i18n import kind_name, meter_text
from ...engine import Game, State
from ...model import STEPS, Level
from ...scoring import Result, label
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.chart import PerceptionChart
from ..widgets.dynamic import DynamicScroll
from ..widgets.meter import tone
from ..widgets.prose import Prose
from ..widgets.scorecard import Scorecard
from ..widgets.step_badges import badge
from .base import GameScreen

ADHERENCE_KEYS = {"explore": "debrief.adh_e", "offer": "debrief.adh_o", "act": "debrief.adh_a",
                  "confirm": "debrief.adh_c"}


def _move_head(n: int, move, lang: str, steps_names=None) -> Content:
    """`n. [E Explore] -1 → +0 neutral`: a move's number, step (in the campaign's own words)
    and what it did to the meter."""
    return Content.assemble((f"{n}. ", "bold"), badge(move.step, lang, steps_names=steps_names), " ",
                            (meter_text(move.before, move.perception, move.delta, lang),
                             f"bold {tone(move.perception - move.before)}"))


class DebriefScreen(GameScreen):
    DEFAULT_CSS = """
    DebriefScreen TabbedContent { height: 1fr; }
    DebriefScreen TabPane { padding: 0 1; }
    DebriefScreen #score-line { text-style: bold; margin: 1 0 0 0; }
    DebriefScreen .h { text-style: bold; color: $accent; margin-top: 1; }
    DebriefScreen .muted { color: $foreground-muted; }
    DebriefScreen .move { height: auto; margin-bottom: 1; }
    DebriefScreen .move-best { height: auto; padding-left: 4; }
    DebriefScreen .sheet-head { height: 1; margin-top: 1; }
    DebriefScreen .sheet-title { width: 1fr; }
    DebriefScreen .rewind { width: auto; min-width: 10; }
    DebriefScreen #practice-note { color: $warning; text-style: italic; }
    DebriefScreen .answer { display: none; color: $success; padding-left: 3; }
    DebriefScreen .answer-button { margin: 0 0 1 3; }
    DebriefScreen #debrief-buttons { height: 1; margin: 0 1; }
    DebriefScreen #debrief-buttons Button { margin-right: 2; }
    """

    BINDINGS = [
        # ←→ walk the tabs from anywhere (the text keeps focus, so ↑↓ PgUp PgDn read on)
        # (priority: the focused text would otherwise claim ←→ for a sideways scroll it never needs)
        Binding("right", "tab(1)", "Tabs", key_display="←→", id="debrief.tabs", priority=True),
        Binding("left", "tab(-1)", "Tabs", show=False, priority=True),
        Binding("n", "next", "Next level", id="debrief.next"),
        Binding("r", "retry", "Retry", id="debrief.retry"),
        Binding("i", "ideal", "Ideal", id="debrief.ideal"),
        Binding("escape,m", "map", "Map", id="debrief.map"),
    ]

    def __init__(self, level: Level, state: State, result: Result, guided: bool = False,
                 practice_from: int | None = None, seed: int | None = None,
                 named: list[bool] | None = None) -> None:
        super().__init__()
        self.level, self.state, self.result, self.guided = level, state, result, guided
        self.practice_from = practice_from  # a rewound attempt: replayed from this move (1-based)
        self.seed = seed  # the card order of the play, kept when rewinding
        self.named = named or []  # the name-the-step practice: right or wrong, per move
        self._answers_shown: set[int] = set()  # the discussion's model answers opened, kept over F2

    def _steps(self):
        """The campaign's own step names (`[campaign.steps]`), as the scene showed them."""
        return self.app.campaign_steps(self.level) if hasattr(self.app, "campaign_steps") else None

    def compose(self) -> ComposeResult:
        yield MotHeader()
        with TabbedContent(id="tabs"):
            with TabPane(self.tr("debrief.tab_score"), id="tab-score"):
                yield DynamicScroll(self._score_tab)
            with TabPane(self.tr("debrief.tab_moves"), id="tab-moves"):
                yield DynamicScroll(self._moves_tab, lazy=True)
            with TabPane(self.tr("debrief.tab_found"), id="tab-found"):
                yield DynamicScroll(self._found_tab, lazy=True)
            if self.level.discuss:
                with TabPane(self.tr("debrief.tab_discuss"), id="tab-discuss"):
                    yield DynamicScroll(self._discuss_tab, lazy=True)
            if self.level.scorecard and self.app.library is not None:
                with TabPane(self.tr("scorecard.title"), id="tab-scorecard"):
                    yield Scorecard(self.app.library.campaign_of(self.level.id), self.app.best_scores(), self.lang)
        with Horizontal(id="debrief-buttons"):
            if self.app.library is not None and self.app.next_level(self.level) is not None:
                yield Button(self.tr("debrief.next"), id="next", variant="primary", compact=True)
            yield Button(self.tr("debrief.retry"), id="retry", compact=True)
            yield Button(self.tr("debrief.ideal"), id="ideal", compact=True)
            yield Button(self.tr("debrief.map"), id="map", compact=True)
        yield MotFooter()

    def _score_tab(self) -> ComposeResult:
        r, lang, level = self.result, self.lang, self.level
        ending = level.endings.get(r.ending or "")
        if ending is not None:
            yield Static(Content.styled(ending.title.get(lang), "bold $accent"))
            if ending.text:
                yield Prose(ending.text.get(lang))
        yield Static(Content.assemble(self.tr("debrief.score") + " ",
                                      (f"{r.mot_score:+d} {label(r.mot_score, lang)}", f"bold reverse {tone(r.mot_score)}")),
                     id="score-line")
        if r.peak_event is not None:  # a scene event, not a move, is what the customer remembers
            raw = f"{(r.peak + r.end) / 2:+g}"
            event = self.state.events[r.peak_event - 1]
            scene = level.scenes.get(event.scene)
            customer = level.character(level.customer)
            yield Prose(self.tr("debrief.remembers_event", name=customer.name.get(lang) if customer else "",
                                text=scene.event.text.get(lang) if scene and scene.event else event.scene,
                                peak=f"{r.peak:+d}"), id="remembers")
            yield Prose(self.tr("debrief.peak_end_event", peak=f"{r.peak:+d}", end=f"{r.end:+d}",
                                raw=raw, score=f"{r.mot_score:+d}"), classes="muted")
        elif r.peak_move is None:
            yield Prose(self.tr("debrief.peak_end_none", end=f"{r.end:+d}", score=f"{r.mot_score:+d}"),
                        classes="muted")
        else:
            raw = f"{(r.peak + r.end) / 2:+g}"
            moved = self.state.moves[r.peak_move - 1]
            peak_choice = level.scenes[moved.scene].choice(moved.choice)
            customer = level.character(level.customer)
            yield Prose(self.tr("debrief.remembers", name=customer.name.get(lang) if customer else "",
                                move=r.peak_move, text=peak_choice.text.get(lang) if peak_choice else moved.choice,
                                peak=f"{r.peak:+d}"), id="remembers")
            yield Prose(self.tr("debrief.peak_end", peak=f"{r.peak:+d}", move=r.peak_move, end=f"{r.end:+d}",
                                raw=raw, score=f"{r.mot_score:+d}"), classes="muted")
        yield Prose(self.tr("debrief.rules"), classes="muted")
        yield PerceptionChart(level.perception, r.trace, r.peak_index, lang=lang, events=r.events)
        yield Static(self.text("debrief.adherence", total=r.adherence.total), classes="h")
        for step in STEPS:
            ok = r.adherence.badges[step]
            yield Static(Content.assemble(badge(step, lang, ok, self._steps()), " ", ("✓ " if ok else "✗ ", "bold"),
                                          self.tr(ADHERENCE_KEYS[step])))
        if self.named:
            yield Static(self.text("debrief.knowledge", right=sum(self.named), total=len(self.named)),
                         classes="h", id="knowledge")
        yield Static(self.text("debrief.word_of_mouth"), classes="h")
        wom = r.word_of_mouth
        yield Prose(self.tr(f"wom.{wom.tone}", n=wom.people_max, lo=wom.people_min, hi=wom.people_max))
        if self.guided:
            yield Static(self.text("debrief.guided_note"), classes="muted")
        if self.practice_from is not None:
            yield Static(self.text("debrief.practice_note", n=self.practice_from), id="practice-note")

    def _events_at(self, at: int) -> ComposeResult:
        """The scene events met after `at` moves: shown between the moves, never numbered."""
        for event in self.state.events:
            if event.at != at:
                continue
            scene = self.level.scenes.get(event.scene)
            text = scene.event.text.get(self.lang) if scene is not None and scene.event else event.scene
            yield Static(Content.assemble((self.tr("debrief.event", text=text), "bold"), "  ",
                                          (meter_text(event.before, event.perception, event.delta, self.lang),
                                           f"bold {tone(event.perception - event.before)}")),
                         classes="sheet-event")

    def _moves_tab(self) -> ComposeResult:
        """The interaction analysis sheet (互动分析记录表): per move, what the customer said, the
        move and its step, the meter before → after, the coach's note and the customer's
        thought (in exam mode too: this is where they are revealed), the best move among those
        the learner was offered there, and a button to play again from just before it."""
        from ...advice import Coach

        lang, level = self.lang, self.level
        scores = self._scores()
        advice = self.advice = Coach(level, scores).advise(self.state)
        customer = level.character(level.customer)
        name = customer.name.get(lang) if customer else ""
        replay = Game(level, scores)
        seen = replay.start()
        yield Static(self.text("debrief.sheet"), classes="h")
        for n, move in enumerate(self.state.moves, 1):
            yield from self._events_at(n - 1)
            scene = level.scenes[move.scene]
            choice = scene.choice(move.choice)
            said = replay.scene_text(seen, scene).get(lang)
            speaker = level.character(scene.speaker)
            seen = replay.take(seen, choice)
            head = _move_head(n, move, lang, self._steps())
            with Horizontal(classes="sheet-head"):
                yield Static(head, classes="sheet-title")
                yield Button(self.tr("debrief.rewind", n=n), id=f"rewind-{n}", compact=True,
                             classes="rewind", tooltip=self.tr("debrief.rewind_tip", n=n))
            who = f"{speaker.name.get(lang)}: " if speaker else ""
            yield Prose(who + said, classes="muted")
            if move.said:  # free-answer mode: the learner's own words beside the move they matched
                yield Prose(self.tr("debrief.said", said=move.said), classes="said")
            yield Prose(self.tr("debrief.you", text=choice.text.get(lang)))
            if choice.feedback:
                yield Prose(self.tr("debrief.coach", note=choice.feedback.get(lang)))
            if choice.thought:
                yield Prose(self.tr("debrief.thinks", name=name, thought=choice.thought.get(lang)), classes="muted")
            tip = advice[n - 1] if n <= len(advice) else None
            if tip is not None and tip.was_best:
                yield Static(Content.styled("  ★ " + self.tr("debrief.was_best"), "$success"), classes="move")
            elif tip is not None and tip.best_best is not None:
                key = "debrief.best_now" if tip.taken_best == tip.best_best else "debrief.best_was"
                yield Static(Content.assemble(("  ★ ", "$success"), self.tr(key, score=f"{tip.best_best:+d}"),
                                              " ", badge(tip.best.step, lang, steps_names=self._steps())))
                yield Prose(tip.best.text.get(lang), classes="move-best muted")
                if tip.best.feedback:
                    yield Prose(self.tr("debrief.coach", note=tip.best.feedback.get(lang)), classes="move-best muted")
                if tip.door is not None:
                    yield Prose(self.tr("debrief.door", n=tip.door[0] + 1, text=tip.door[1].text.get(lang)),
                                classes="move muted")
            else:
                yield Static("", classes="move")
        game = Game(level, self._scores())
        state, steps = game.start(), []
        for choice_id in game.ideal_path():  # the moves in words, as the learner would make them
            choice = game.level.scenes[state.scene].choice(choice_id)
            state = game.take(state, choice)
            steps.append((choice, state.moves[-1]))
        if steps:
            yield Static(self.text("debrief.ideal_path"), classes="h")
            for n, (choice, move) in enumerate(steps, 1):
                yield Static(_move_head(n, move, lang, self._steps()))
                yield Prose(choice.text.get(lang), classes="move")

    def _discuss_tab(self) -> ComposeResult:
        """The questions, each with its model answer behind a button: think first, then compare."""
        answers = self.level.answers
        for n, prompt in enumerate(self.level.discuss, 1):
            yield Prose(f"{n}. {prompt.get(self.lang)}", classes="move")
            answer = answers[n - 1] if n - 1 < len(answers) else None
            if answer:
                opened = n in self._answers_shown
                button = Button(self.tr("debrief.show_answer"), id=f"answer-{n}", compact=True, classes="answer-button")
                text = Prose(self.tr("debrief.answer", text=answer.get(self.lang)), id=f"answer-text-{n}",
                             classes="answer move")
                button.display, text.display = not opened, opened
                yield button
                yield text

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        for scroll in event.pane.query(DynamicScroll):
            await scroll.load()

    def _found_tab(self) -> ComposeResult:
        r, lang, level = self.result, self.lang, self.level
        yield Static(self.text("debrief.found", found=len(r.found), total=len(r.found) + len(r.missed)), classes="h")
        for did in (*r.found, *r.missed):
            d = level.discoveries[did]
            mark = ("✓ ", "bold $success") if did in r.found else ("✗ ", "bold $error")
            kinds = getattr(self.app, "campaign_kinds", lambda _: None)(level)
            yield Static(Content.assemble(mark, (kind_name(d.kind, lang, kinds), "$text-secondary bold")))
            yield Prose(d.text.get(lang), classes="move")

    async def refresh_language(self) -> None:
        """F2: the same tab stays open (and the answers opened stay open), in the other language."""
        active = self.query_one("#tabs", TabbedContent).active
        await super().refresh_language()
        tabs = self.query_one("#tabs", TabbedContent)
        if active and active != tabs.active and tabs.query(f"#{active}"):
            tabs.active = active
            scroll = tabs.get_pane(active).query_one(DynamicScroll)
            await scroll.load()
            scroll.focus()

    def on_mount(self) -> None:
        """Focus the score's text, so ↓ and PgDn read on at once at 80×24; the buttons have
        their keys (n, r, i, m) and Tab reaches them."""
        self.query_one("#tab-score DynamicScroll").focus()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane)]
        if tabs.active in panes:
            tabs.active = panes[(panes.index(tabs.active) + step) % len(panes)]
            # (the tab's content loads on TabActivated; its text takes focus so ↓ reads on)
            tabs.get_pane(tabs.active).query_one(DynamicScroll).focus()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "next":  # no "Next level" in the Footer after a campaign's last level
            return self.app.library is not None and self.app.next_level(self.level) is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button.startswith("rewind-"):
            self.rewind(int(button.split("-", 1)[1]))
        elif button.startswith("answer-"):
            n = int(button.split("-", 1)[1])
            self._answers_shown.add(n)
            self.query_one(f"#answer-text-{n}").display = True
            event.button.display = False
        else:
            getattr(self, f"action_{button}")()

    def _scores(self) -> dict:
        """Earlier levels' scores, for `score.<level>` conditions (none without a library)."""
        return self.app.scores_for(self.level) if self.app.library is not None else {}

    def rewind(self, n: int) -> None:
        """Play again from just before move `n`: a practice attempt, with the same card order."""
        from .scene import SceneScreen

        screen = SceneScreen(self.level, practice_from=n)
        scores = self._scores()
        screen.game = Game(self.level, scores, seed=self.seed)
        screen.state = screen.game.play([m.choice for m in self.state.moves[: n - 1]])
        self.app.switch_screen(screen)

    def action_next(self) -> None:
        nxt = self.app.next_level(self.level) if self.app.library is not None else None
        if nxt is None:
            self.action_map()
            return
        from .briefing import BriefingScreen

        self.app.switch_screen(BriefingScreen(nxt))

    def action_retry(self) -> None:
        from .scene import SceneScreen

        self.app.switch_screen(SceneScreen(self.level))

    def action_ideal(self) -> None:
        from .scene import SceneScreen

        self.app.switch_screen(SceneScreen(self.level, guided=True))

    def action_map(self) -> None:
        self.app.pop_screen()
