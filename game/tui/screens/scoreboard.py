"""The room's scoreboard, for a projector: the ranking and where every team stands right now.

Numbers are drawn with `Digits` (three rows tall) and names in bold on their own line, so the
back of the room can read them. The screen holds the last data it was given (`ranking`,
`live`) and recomposes only when it changes; the app polls the database and sets them.
Each team's points are those of its first run of each level (the formula under the columns holds
for each of them); later runs of a level are practice, shown as a count on the team's card.
A team whose screen quit mid-level shows as "left" until it joins again (it resumes there).
Below 100 columns the perception's words go under the team's details, so no card is squeezed
to a letter a line.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from ...scoring import POINTS_FORMULA, label
from ...store import LiveRow, RankRow
from ..widgets.footer import MotFooter
from ..widgets.meter import tone
from ..widgets.step_badges import badge
from .base import GameScreen

LETTER_STEPS = {"E": "explore", "O": "offer", "A": "act", "C": "confirm"}


def latest_per_team(rows: tuple[LiveRow, ...]) -> list[LiveRow]:
    """One row per team: the level it touched last (the store orders each team's rows so)."""
    seen: dict[str, LiveRow] = {}
    for row in rows:
        best = seen.get(row.team)
        if best is None or row.updated_at > best.updated_at:
            seen[row.team] = row
    return sorted(seen.values(), key=lambda r: (r.finished, r.team))


def step_badges(steps: str, lang: str) -> Content:
    """E·O·A·C, each lit when the team has used that step, then the sequence itself."""
    used = {LETTER_STEPS[c] for c in steps if c in LETTER_STEPS}
    parts = [badge(step, lang, step in used, with_name=False) for step in LETTER_STEPS.values()]
    joined = Content(" ").join(parts)
    return Content.assemble(joined, ("  " + " ".join(steps), "$foreground-muted")) if steps else joined


class RankCard(Horizontal):
    """One team of the ranking: place, name, details, and its points in large digits."""

    def __init__(self, place: int, row: RankRow, tr) -> None:
        super().__init__(classes="card")
        self.row = row
        self.place = place
        self._tr = tr

    def compose(self) -> ComposeResult:
        tr = self._tr
        yield Digits(str(self.place), classes="place")
        with Vertical(classes="who"):
            yield Static(Content.styled(self.row.team, "bold"), classes="team")
            details = (f"{tr('board.runs')} {self.row.runs} · {tr('board.score')} "
                       f"{self.row.mot_score:+d} · {tr('board.adherence')} {self.row.adherence}/4")
            if self.row.practice_runs:  # retries of a level: shown, never added to the points
                details += f" · {tr('board.practice', n=self.row.practice_runs)}"
            yield Static(Content(details), classes="details")
        yield Digits(str(self.row.points), classes="points")


class LiveCard(Horizontal):
    """One team now: name, level and moves, perception in large digits with its label, steps."""

    def __init__(self, row: LiveRow, level_title: str, tr, lang: str, left: bool = False) -> None:
        self.left = left and not row.finished
        super().__init__(classes="card finished" if row.finished else "card left" if self.left else "card")
        self.row = row
        self._title = level_title
        self._tr = tr
        self._lang = lang

    def compose(self) -> ComposeResult:
        tr, row = self._tr, self.row
        status = tr("board.finished") if row.finished else tr("board.left") if self.left else tr("board.playing")
        with Vertical(classes="who"):
            yield Static(Content.assemble((row.team, "bold"), ("  " + status, "$foreground-muted")),
                         classes="team")
            yield Static(Content(f"{self._title} · {tr('board.moves')} {row.moves}"), classes="details")
            yield Static(step_badges(row.steps, self._lang), classes="steps")
            yield Static(Content.styled(label(row.perception, self._lang), f"bold {tone(row.perception)}"),
                         classes="label-inline")
        mood = "up" if row.perception > 0 else "down" if row.perception < 0 else "flat"
        yield Digits(f"{row.perception:+d}" if row.perception else "0",
                     classes=f"perception {mood}")
        yield Static(Content.styled(label(row.perception, self._lang), f"bold {tone(row.perception)}"),
                     classes="label")


class ScoreboardScreen(GameScreen):
    DEFAULT_CSS = """
    ScoreboardScreen { layout: vertical; }
    ScoreboardScreen #banner { width: 100%; height: 3; content-align: center middle;
                               text-style: bold; background: $primary; color: $text; }
    ScoreboardScreen #columns { height: 1fr; }
    ScoreboardScreen .column { width: 1fr; height: 100%; padding: 0 1; }
    ScoreboardScreen .heading { text-style: bold underline; color: $accent; margin: 1 0 0 0; }
    ScoreboardScreen .empty { color: $foreground-muted; margin: 1 0; }
    ScoreboardScreen .card { height: auto; border: round $primary; margin: 0 0 0 0; padding: 0 1; }
    ScoreboardScreen .card.finished { border: round $success; }
    ScoreboardScreen .card.left { border: round $warning; }
    ScoreboardScreen .label-inline { display: none; }
    ScoreboardScreen.-narrow .label-inline { display: block; }
    ScoreboardScreen.-narrow .label { display: none; }
    ScoreboardScreen.-narrow .column { padding: 0 0 0 1; }
    ScoreboardScreen.-narrow .card { padding: 0 0 0 1; }
    ScoreboardScreen.-narrow .place { width: 4; }
    ScoreboardScreen .place { width: 5; color: $accent; }
    ScoreboardScreen .who { width: 1fr; height: auto; }
    ScoreboardScreen .team { text-style: bold; }
    ScoreboardScreen .details { color: $foreground-muted; }
    ScoreboardScreen .points { width: auto; min-width: 8; color: $warning; text-align: right; }
    ScoreboardScreen .perception { width: auto; min-width: 7; text-align: right; }
    ScoreboardScreen .perception.up { color: $success; }
    ScoreboardScreen .perception.down { color: $error; }
    ScoreboardScreen .perception.flat { color: $foreground-muted; }
    ScoreboardScreen .label { width: auto; max-width: 26; height: 3; content-align: left middle; padding-left: 1; }
    ScoreboardScreen #formula { width: 100%; height: auto; content-align: center middle;
                                text-style: bold; color: $warning; padding: 0 1; }
    ScoreboardScreen #status { width: 100%; height: 1; color: $foreground-muted; padding: 0 1; }
    """

    ranking: reactive[tuple[RankRow, ...]] = reactive((), recompose=True)
    live: reactive[tuple[LiveRow, ...]] = reactive((), recompose=True)
    left: reactive[frozenset] = reactive(frozenset(), recompose=True)  # teams whose screen quit
    status: reactive[str] = reactive("")

    def __init__(self, room: str, level_titles=None) -> None:
        super().__init__()
        self.room = room
        self.level_titles = level_titles or (lambda level_id, lang: level_id)

    def compose(self) -> ComposeResult:
        yield Static(Content(self.tr("board.title", room=self.room)), id="banner")
        with Horizontal(id="columns"):
            with VerticalScroll(classes="column", id="ranking"):
                yield Static(self.tr("board.ranking"), classes="heading")
                if not self.ranking:
                    yield Static(self.tr("board.no_runs"), classes="empty")
                for place, row in enumerate(self.ranking, 1):
                    yield RankCard(place, row, self.tr)
            with VerticalScroll(classes="column", id="live"):
                yield Static(self.tr("board.live"), classes="heading")
                rows = latest_per_team(self.live)
                if not rows:
                    yield Static(self.tr("board.no_live"), classes="empty")
                for row in rows:
                    yield LiveCard(row, self.level_titles(row.level_id, self.lang), self.tr, self.lang,
                                   left=row.team in self.left)
        yield Static(POINTS_FORMULA[self.lang], id="formula")
        yield Static(Content(self.status), id="status")
        yield MotFooter()

    NARROW = 100

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")

    def watch_status(self, status: str) -> None:
        for widget in self.query("#status"):
            widget.update(Content(status))  # an error message may hold anything: never markup
