"""The class debrief: after a classroom round (or `mot debrief --room R`), the level scene by
scene — what the customer said, what each team that got there chose and what it did to the
meter, the coach's note (in exam mode too: this is where notes are revealed), each team's
biggest drop highlighted, the best move offered there, the scene's event as the teams met it
(» Event: …, with the meter; not a move: the teams' paths show it as a » column between their
moves), the vote split in vote mode — then the endings, and last the discussion questions
with their model answers.

←/→ (and PageUp/PageDown) turn the pages, Home/End jump to the first and last; ↑/↓ scroll a
long page. The pages come from `game.class_debrief.build` and do not depend on the language,
so F2 only redraws.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ...class_debrief import (
    DiscussPage,
    EndingsPage,
    ScenePage,
    TeamEvent,
    TeamMove,
    TeamRun,
    VoteSplit,
    build,
    customer_name,
)
from ...i18n import STEP_LETTERS, meter_text
from ...model import Level
from ...scoring import label
from ..widgets.dynamic import DynamicScroll
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.meter import tone
from ..widgets.prose import Prose
from ..widgets.step_badges import badge
from .base import GameScreen

BAR_WIDTH = 20  # a vote bar at 100 % of the votes
TONES = {"good": "$success", "mixed": "$warning", "bad": "$error"}


def _teams(names: Iterable[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


class ClassDebriefScreen(GameScreen):
    # CSS, not DEFAULT_CSS: the app's `Prose { color: … }` would otherwise win over the colours
    # given here to paragraphs (every rule is scoped to this screen).
    CSS = """
    ClassDebriefScreen #cd-head { height: 1; padding: 0 1; background: $boost; }
    ClassDebriefScreen #cd-where { width: 1fr; text-style: bold; color: $accent; }
    ClassDebriefScreen #cd-pos { width: auto; color: $foreground-muted; }
    ClassDebriefScreen #cd-main { height: 1fr; }
    ClassDebriefScreen #cd-body { height: 1fr; width: 1fr; padding: 0 1; }
    ClassDebriefScreen #cd-side { width: 38; height: 1fr; padding: 0 1; display: none;
                                  border-left: outer $foreground 20%; }
    ClassDebriefScreen.-wide #cd-side { display: block; }
    ClassDebriefScreen .trail { margin-top: 1; }
    ClassDebriefScreen #cd-side > .h { margin-top: 0; }
    ClassDebriefScreen .good { color: $success; }
    ClassDebriefScreen .mixed { color: $warning; }
    ClassDebriefScreen .bad { color: $error; }
    ClassDebriefScreen .muted { color: $foreground-muted; }
    ClassDebriefScreen .said { margin-top: 1; }
    ClassDebriefScreen #cd-body > .said:first-child { margin-top: 0; }
    ClassDebriefScreen .words { padding-left: 2; text-style: italic; }
    ClassDebriefScreen .h { text-style: bold; color: $accent; margin-top: 1; }
    ClassDebriefScreen .team { height: auto; margin-top: 1; padding-left: 1;
                               border-left: outer $foreground 20%; }
    ClassDebriefScreen .team.lost { border-left: thick $error; background: $error 10%; }
    ClassDebriefScreen .lost-line { color: $error; text-style: bold; }
    ClassDebriefScreen .indent { padding-left: 2; }
    ClassDebriefScreen .best { height: auto; margin-top: 1; padding-left: 1; border-left: outer $success; }
    ClassDebriefScreen .answer { color: $success; padding-left: 3; margin-bottom: 1; }
    ClassDebriefScreen .event { color: $warning; text-style: bold; }
    """

    # From 110 columns the teams' paths stand beside the page (at 80×24 the page needs the room).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        # (priority: the page's scroll would otherwise take ← → PgUp PgDn Home End for itself)
        Binding("right,pagedown", "page(1)", "Scenes", key_display="←→", priority=True, id="cdebrief.next"),
        Binding("left,pageup", "page(-1)", "Scenes", show=False, priority=True, id="cdebrief.previous"),
        Binding("home", "first_page", "First", priority=True, id="cdebrief.first"),
        Binding("end", "last_page", "Last", priority=True, id="cdebrief.last"),
        Binding("escape,q", "close", "Close", id="cdebrief.close"),
    ]

    def __init__(self, level: Level, runs: Iterable = (), votes: Iterable = (), *,
                 scores: Mapping[str, int] | None = None, room: str | None = None) -> None:
        super().__init__()
        self.level = level
        self.room = room
        self.pages = build(level, runs, votes, scores=scores)
        self.page = 0
        self.teams = len(next((p.teams for p in self.pages if isinstance(p, EndingsPage)), ()))
        self.scene_pages = sum(isinstance(p, ScenePage) for p in self.pages)

    @classmethod
    def for_round(cls, round_, store=None, room: str | None = None) -> ClassDebriefScreen:
        """The debrief of a hot-seat round as it stands (unfinished teams too), with the
        room's votes of the level when there is a room."""
        from ...scoring import score

        level = round_.level
        runs = [TeamRun.from_state(team.name, team.state,
                                   score(level, team.state).mot_score if team.state.moves else None,
                                   dict(team.game.scores)) for team in round_.teams]
        votes = store.votes(room, level.id) if store is not None and room else ()
        return cls(level, runs, votes, room=room)

    # -- drawing ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.sub_title = self.tr("cdebrief.title", level=self.level.title.get(self.lang))
        yield MotHeader()
        with Horizontal(id="cd-head"):
            yield Static(id="cd-where")
            yield Static(id="cd-pos")
        with Horizontal(id="cd-main"):
            yield DynamicScroll(self._body, id="cd-body")
            yield DynamicScroll(self._side, id="cd-side", can_focus=False)
        yield MotFooter()

    def on_mount(self) -> None:
        self._show_head()
        self.query_one("#cd-body").focus()

    def after_language_change(self) -> None:
        self._show_head()
        self.query_one("#cd-body").focus()

    def _show_head(self) -> None:
        page = self.pages[self.page] if self.pages else None
        if isinstance(page, ScenePage):
            where = self.tr("cdebrief.scene", n=page.number, total=self.scene_pages)
        elif isinstance(page, EndingsPage):
            where = self.tr("cdebrief.endings")
        elif isinstance(page, DiscussPage):
            where = self.tr("cdebrief.discuss")
        else:
            where = ""
        self.query_one("#cd-where", Static).update(Content(where))
        arrows = ("◀ " if self.page > 0 else "  ", " ▶" if self.page + 1 < len(self.pages) else "  ")
        pos = self.tr("cdebrief.page", n=self.page + 1, total=max(1, len(self.pages)))
        self.query_one("#cd-pos", Static).update(Content(arrows[0] + pos + arrows[1]))

    def _body(self) -> ComposeResult:
        if not self.pages:
            return
        page = self.pages[self.page]
        if isinstance(page, ScenePage):
            yield from self._scene(page)
        elif isinstance(page, EndingsPage):
            yield from self._endings(page)
        else:
            yield from self._discuss(page)

    def _side(self) -> ComposeResult:
        """Every team's path: a column per move (its step, the meter after it), the moves at
        this page's scene lit, the biggest drop in red; then the ending and the MOT score."""
        endings = next((p for p in self.pages if isinstance(p, EndingsPage)), None)
        if endings is None:
            return
        page = self.pages[self.page]
        here = {(m.team, m.decision) for m in page.moves} if isinstance(page, ScenePage) else set()
        yield Static(self.text("cdebrief.teams"), classes="h")
        for team in endings.teams:
            head = Content.styled(team.team, "bold")
            if team.mot_score is not None:
                head = head + Content.styled(f"  {team.mot_score:+d}", f"bold {tone(team.mot_score)}")
            yield Static(head, classes="trail")
            timeline = team.timeline  # a scene event is a column of its own: », not a step
            for start in range(0, len(timeline), 10):  # ten moments a line
                steps, values = [], []
                for move in timeline[start:start + 10]:
                    if isinstance(move, TeamEvent):
                        steps.append(Content.styled(f"{'»':>3}", "bold $warning"))
                        values.append(Content.styled(f"{move.after:>+3d}", tone(move.after)))
                        continue
                    style = "bold $error" if move.biggest_drop else ""
                    if (team.team, move.decision) in here:
                        style = (style + " reverse").strip()
                    steps.append(Content.styled(f"{STEP_LETTERS[move.step]:>3}", style or "bold"))
                    values.append(Content.styled(f"{move.after:>+3d}", style or tone(move.after)))
                yield Static(Content("").join(steps) + Content("\n") + Content("").join(values))
            if team.ending is not None:
                yield Prose(team.ending.title.get(self.lang), classes=team.ending.tone or "")
            else:
                yield Prose(self.tr("cdebrief.no_ending", n=team.moves), classes="muted")

    def _scene(self, page: ScenePage) -> ComposeResult:
        lang = self.lang
        who = page.speaker.name.get(lang) if page.speaker is not None else None
        for n, heard in enumerate(page.heard):
            head = Content.styled(who, "bold") if who else Content("")
            if len(page.heard) > 1:
                head = Content.assemble(head, " · " if who else "",
                                        (self.tr("cdebrief.heard_by", teams=_teams(heard.teams, lang)), "$foreground-muted"))
            if head:
                yield Static(head, classes="said")
            yield Prose(heard.text.get(lang), classes="words" + ("" if head else " said"))
        if self.teams > 1:
            yield Static(self.text("cdebrief.reached", n=len(page.teams), total=self.teams), classes="muted said")
        for teams, event in page.alike_events():  # it moved the meter on entering: not a move
            yield Static(Content.assemble((_teams(teams, lang), "bold"), "  ",
                                          (meter_text(event.before, event.after, event.delta, lang),
                                           f"bold {tone(event.change)}")), classes="said")
            yield Prose(self.tr("debrief.event", text=event.text.get(lang) or event.scene),
                        classes="indent event")
        for split in page.votes:
            yield from self._votes(split, len(page.votes) > 1)
        name = customer_name(self.level, lang)
        for teams, move in page.alike():
            with Vertical(classes="team lost" if move.biggest_drop else "team"):
                yield from self._move(teams, move, name)
        if page.waiting:
            yield Static(self.text("cdebrief.waiting", teams=_teams(page.waiting, lang)), classes="muted said")
        for best in page.best:
            if all(m.was_best for m in page.moves if m.team in best.teams):
                continue  # every team it was offered to chose it: the ★ on each says so
            with Vertical(classes="best"):
                key = "cdebrief.best_for" if len(page.best) > 1 else "cdebrief.best"
                head = Content.assemble((self.tr(key, teams=_teams(best.teams, lang)), "bold $success"), " ",
                                        badge(best.choice.step, lang))
                keeps = set(best.keeps)
                if len(keeps) == 1 and None not in keeps:
                    head = head + Content.styled(" " + self.tr("cdebrief.keeps", score=f"{keeps.pop():+d}"),
                                                 "$foreground-muted")
                yield Static(head)
                yield Prose(best.choice.text.get(lang), classes="indent")
                if best.choice.feedback:
                    yield Prose(self.tr("cdebrief.coach", note=best.choice.feedback.get(lang)),
                                classes="indent muted")

    def _move(self, teams: tuple[str, ...], move: TeamMove, name: str) -> ComposeResult:
        """What one team (or several alike) chose here."""
        lang = self.lang
        meter = meter_text(move.before, move.after, move.delta, lang)
        yield Static(Content.assemble((_teams(teams, lang), "bold"), "  ", badge(move.step, lang), " ",
                                      (meter, f"bold {tone(move.change)}")))
        if move.biggest_drop:
            yield Static(self.text("cdebrief.lost", name=name), classes="lost-line")
        choice = move.choice
        yield Prose(choice.text.get(lang) if choice is not None else self.tr("cdebrief.gone", id=move.choice_id),
                    classes="indent")
        if choice is not None and choice.feedback:
            yield Prose(self.tr("cdebrief.coach", note=choice.feedback.get(lang)), classes="indent muted")
        if move.was_best:
            yield Static(Content.styled(self.tr("cdebrief.was_best"), "$success"), classes="indent")
        if move.ending is not None:
            ending = self.level.endings.get(move.ending)
            title = ending.title.get(lang) if ending is not None else move.ending
            style = TONES.get(ending.tone if ending is not None else "", "$accent")
            yield Static(Content.styled(self.tr("cdebrief.ending", title=title), f"bold {style}"), classes="indent")

    def _votes(self, split: VoteSplit, with_round: bool) -> ComposeResult:
        lang = self.lang
        key = "cdebrief.votes_round" if with_round else "cdebrief.votes"
        yield Static(self.text(key, round=split.round, n=split.total), classes="h")
        for count in split.counts:
            filled = round(BAR_WIDTH * count.count / split.total) if split.total else 0
            share = round(100 * count.count / split.total) if split.total else 0
            step = count.choice.step if count.choice is not None else None
            yield Static(Content.assemble(("█" * filled, "$accent"), ("░" * (BAR_WIDTH - filled), "$foreground 20%"),
                                          (f" {count.count:>2} · {share:>3}% ", "bold"),
                                          badge(step, lang) if step else ""))
            text = count.choice.text.get(lang) if count.choice is not None else count.choice_id
            yield Prose(text, classes="indent muted")

    def _endings(self, page: EndingsPage) -> ComposeResult:
        lang = self.lang
        name = customer_name(self.level, lang)
        for team in page.teams:
            with Vertical(classes="team"):
                if team.ending is not None:
                    title = Content.styled(team.ending.title.get(lang), f"bold {TONES.get(team.ending.tone or '', '$accent')}")
                else:
                    title = Content.styled(self.tr("cdebrief.no_ending", n=team.moves), "$foreground-muted")
                yield Static(Content.assemble((team.team, "bold"), "  ", title))
                if team.mot_score is not None:
                    score = f"{team.mot_score:+d} {label(team.mot_score, lang)}"
                    yield Static(Content.assemble(self.tr("cdebrief.score"), " ",
                                                  (score, f"bold {tone(team.mot_score)}")), classes="indent")
                if team.drop is None:
                    yield Static(self.text("cdebrief.no_drop"), classes="indent muted")
                else:
                    drop = team.drop
                    n = next((p.number for p in self.pages if isinstance(p, ScenePage) and p.scene.id == drop.scene), 0)
                    meter = meter_text(drop.before, drop.after, drop.delta, lang)
                    yield Prose("▼ " + self.tr("cdebrief.drop", name=name, n=n, meter=meter), classes="indent lost-line")

    def _discuss(self, page: DiscussPage) -> ComposeResult:
        for n, (question, answer) in enumerate(page.questions, 1):
            yield Prose(f"{n}. {question.get(self.lang)}", classes="said")
            if answer:
                yield Prose(self.tr("cdebrief.answer", text=answer.get(self.lang)), classes="answer")

    # -- keys ------------------------------------------------------------------------------
    async def _go(self, index: int) -> None:
        index = max(0, min(len(self.pages) - 1, index))
        if index == self.page:
            return
        self.page = index
        body = self.query_one("#cd-body", DynamicScroll)
        await body.recompose()
        body.scroll_home(animate=False)
        await self.query_one("#cd-side", DynamicScroll).recompose()
        self._show_head()

    async def action_page(self, step: int) -> None:
        await self._go(self.page + step)

    async def action_first_page(self) -> None:
        await self._go(0)

    async def action_last_page(self) -> None:
        await self._go(len(self.pages) - 1)

    def action_close(self) -> None:
        """Back to the podium (`mot debrief` quits when its debrief closes)."""
        self.dismiss(None)
