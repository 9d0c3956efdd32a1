"""The podium: every team's MOT score, adherence, discoveries and points, and the formula.

In a campaign it ranks by the running total and shows each round's points; a team that had
fewer turns than the others when the trainer ended the round at once is marked so. Esc asks
before it finishes the class."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...classroom import Round
from ...i18n import STEP_LETTERS
from ...scoring import POINTS_FORMULA
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.meter import tone
from .base import GameScreen

MEDALS = {1: ("①", "$warning"), 2: ("②", "$foreground"), 3: ("③", "$secondary")}


class PodiumScreen(GameScreen):
    DEFAULT_CSS = """
    PodiumScreen VerticalScroll { padding: 1 2; }
    PodiumScreen #podium-title { text-style: bold; color: $accent; content-align: center middle;
                                 width: 100%; height: 3; border: heavy $accent; }
    PodiumScreen .row { height: auto; margin-top: 1; }
    PodiumScreen #formula { margin-top: 1; color: $foreground-muted; }
    """
    BINDINGS = [
        Binding("n", "next_round", "Next round", id="podium.next"),
        Binding("d", "discuss", "Discuss", id="podium.discuss"),
        Binding("c", "class_debrief", "Class debrief", id="podium.class_debrief"),
        Binding("escape,q", "finish", "Finish", id="podium.finish"),
    ]

    def __init__(self, round_: Round) -> None:
        super().__init__()
        self.round = round_

    def compose(self) -> ComposeResult:
        yield MotHeader()
        with VerticalScroll():
            yield Static(self.text("podium.title", level=self.round.level.title.get(self.lang)), id="podium-title")
            totals = self.app.classroom_totals() if hasattr(self.app, "classroom_totals") else {}
            campaign = bool(getattr(self.app, "is_campaign", lambda: False)())
            rounds = self.app.round_points() if campaign else []
            fewer = self.round.fewer_turns() if self.round.ended else {}
            for standing in self._ranked(totals) if campaign else self.round.standings():
                yield Static(self._row(standing, totals.get(standing.team), rounds,
                                       fewer.get(standing.team, 0)), classes="row")
            yield Static(Content(POINTS_FORMULA[self.lang]), id="formula")
        yield MotFooter()

    def _ranked(self, totals: dict[str, int]) -> list:
        """A campaign's standings by the running total, then this round's points, then name;
        the same total shares a rank."""
        rows = sorted(self.round.standings(),
                      key=lambda s: (-totals.get(s.team, 0), -s.points, s.team))
        for i, row in enumerate(rows):
            same = i and totals.get(rows[i - 1].team, 0) == totals.get(row.team, 0)
            row.rank = rows[i - 1].rank if same else i + 1
        return rows

    def _row(self, standing, total: int | None, rounds=(), fewer: int = 0) -> Content:
        r, lang = standing.result, self.lang
        medal, colour = MEDALS.get(standing.rank, (f"{standing.rank}.", "$foreground-muted"))
        badges = "".join(STEP_LETTERS[s] if ok else "·" for s, ok in r.adherence.badges.items())
        status = "" if standing.finished else "  " + self.tr("podium.unfinished")
        line1 = Content.assemble((f"{medal} ", f"bold {colour}"), (standing.team, "bold"),
                                 (f"   {standing.points} ", "bold $accent"), self.tr("podium.points"),
                                 (status, "$foreground-muted"))
        line2 = Content.assemble("    ", self.tr("podium.score"), " ",
                                 (f"{r.mot_score:+d} {r.label(lang)}", f"bold {tone(r.mot_score)}"),
                                 f" · {self.tr('podium.adherence')} {badges} {r.adherence.total}/4",
                                 f" · {self.tr('podium.found')} {len(r.found)}/{len(r.found) + len(r.missed)}")
        if fewer:
            line1 = line1 + Content.styled("  " + self.tr("podium.fewer_turns", n=fewer), "bold $warning")
        if rounds:  # a campaign: every round's points, and the total the ranking is by
            parts = [f"{self.tr('podium.round_n', n=i)} {points.get(standing.team, 0)}"
                     for i, (_, points) in enumerate(rounds, 1)]
            line3 = Content.assemble("    ", (" · ".join(parts), "$foreground-muted"), " · ",
                                     (self.tr("podium.total", total=total or 0), "bold $accent"))
            return Content("\n").join([line1, line2, line3])
        if total is not None and total != standing.points:
            line2 = line2 + Content.styled(f"  ·  {self.tr('podium.total', total=total)}", "$foreground-muted")
        return line1 + Content("\n") + line2

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "next_round":
            return bool(getattr(self.app, "has_next_round", lambda: False)())
        return True

    def action_discuss(self) -> None:
        """The level's discussion questions, each with its model answer: now they can be read."""
        from .note import discussion_note

        self.app.push_screen(discussion_note(self.round.level, self.lang))

    def action_class_debrief(self) -> None:
        """The round scene by scene (teams, votes, biggest drops, the questions); Esc comes back."""
        from .class_debrief import ClassDebriefScreen

        self.app.push_screen(ClassDebriefScreen.for_round(self.round, getattr(self.app, "store", None),
                                                         getattr(self.app, "room", None)))

    def action_next_round(self) -> None:
        self.app.next_round()

    def action_finish(self) -> None:
        """Finish the class, asking first (the results are in the room already)."""
        from .confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.exit()

        key = "podium.pause_question" if getattr(self.app, "has_next_round", lambda: False)() else "podium.finish_question"
        self.app.push_screen(ConfirmScreen(self.tr(key, room=getattr(self.app, "room", None) or "",
                                                  db=getattr(self.app, "db_arg", lambda: "")())), answer)
