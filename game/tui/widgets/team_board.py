"""Every team's meter and step badges at a glance, the team whose turn it is marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...i18n import STEP_LETTERS, t
from ...model import STEPS
from ...scoring import label
from .meter import tone
from .step_badges import STEP_COLOURS


def team_lines(teams, current: int | None, lang: str, hidden: bool, short: bool = False) -> Content:
    """Two lines a team: name and meter; then its step badges, moves and status. `short` (a
    narrow board) gives the meter as a number only, so no line wraps."""
    lines: list[Content] = [Content.styled(t("class.board", lang), "bold")]
    for i, team in enumerate(teams):
        state = team.state
        mark = "▶ " if i == current and not team.finished else "  "
        name_style = "bold reverse $accent" if i == current and not team.finished else "bold"
        if hidden:
            meter = Content.styled("  ?", "$foreground-muted")
        else:
            v = state.perception
            meter = Content.styled(f"  {v:+d}" if short else f"  {v:+d} {label(v, lang)}", f"bold {tone(v)}")
        lines.append(Content.assemble(mark, (f" {team.name} ", name_style)) + meter)
        used = set(state.steps)
        badges = [Content.styled(f" {STEP_LETTERS[s]} ", f"reverse {STEP_COLOURS[s]}" if s in used and not hidden else "dim")
                  for s in STEPS]
        moves = len(state.moves)
        status = (t("class.done", lang) if team.finished
                  else t("class.one_move", lang) if moves == 1 else t("class.moves", lang, n=moves))
        lines.append(Content("    ") + Content("").join(badges) + Content.styled(f"  {status}", "$foreground-muted"))
    return Content("\n").join(lines)


class TeamBoard(Static):
    DEFAULT_CSS = """
    TeamBoard { height: auto; width: 1fr; }
    """

    def show(self, teams, current: int | None, lang: str, hidden: bool, short: bool = False) -> None:
        self.update(team_lines(teams, current, lang, hidden, short))
