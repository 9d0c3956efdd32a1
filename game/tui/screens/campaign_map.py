"""The campaign map: every campaign's levels in order, with locks, best scores and broken files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from ...model import clean_name
from ...scoring import label, word_of_mouth
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from ..widgets.meter import tone
from ..widgets.prose import Prose
from .base import GameScreen


class CampaignMapScreen(GameScreen):
    DEFAULT_CSS = """
    CampaignMapScreen #map-body { height: 1fr; }
    CampaignMapScreen #levels { width: 1fr; min-width: 38; height: 1fr; border: round $primary; }
    CampaignMapScreen #detail { width: 1fr; height: 1fr; border: round $secondary; padding: 0 1; }
    CampaignMapScreen #detail-title { text-style: bold; color: $accent; }
    CampaignMapScreen .muted { color: $foreground-muted; }
    CampaignMapScreen .error-text { color: $error; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="map.back"),
        Binding("enter", "open", "Play", id="map.open", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._entries: dict[str, object] = {}
        self._highlight: int | None = None
        self._shown = False  # the first resume is the first show: nothing to refresh yet

    def compose(self) -> ComposeResult:
        yield MotHeader()
        if self.app.library is None:
            yield LoadingIndicator()
        else:
            with Horizontal(id="map-body"):
                yield OptionList(*self._options(), id="levels")
                with VerticalScroll(id="detail"):
                    yield Static("", id="detail-title")
                    yield Prose("", id="detail-text")
                    yield Static("", id="detail-status")
        yield MotFooter()

    def on_mount(self) -> None:
        if self.app.library is None:
            self.run_worker(self._when_loaded(), exclusive=True, group="map")
        self._focus_list()

    async def _when_loaded(self) -> None:
        await self.app.wait_for_library()
        await self._refresh()

    def after_language_change(self) -> None:
        self._focus_list()

    def on_screen_resume(self) -> None:
        """Scores and locks may have changed while a level was played. Not on the first show:
        a recompose racing the first mount left the map empty and unfocused."""
        if not self._shown:
            self._shown = True
            return
        if self.app.library is not None and self.is_mounted:
            self.run_worker(self._refresh(), exclusive=True, group="map")

    async def _refresh(self) -> None:
        await self.recompose()
        self._focus_list()

    def _focus_list(self) -> None:
        lists = self.query("#levels")
        if lists:
            menu = lists.first(OptionList)
            menu.focus()
            if self._highlight is not None:
                menu.highlighted = self._highlight

    def _options(self) -> list:
        app = self.app
        best = app.best_scores()
        completed = app.completed()
        saved = app.store.progress(app.player) if app.store is not None else None
        in_progress = saved.level_id if saved else None
        options: list = []
        self._entries = {}
        for entry in app.library.campaigns:
            header = Content.styled(f"▌{entry.campaign.title.get(self.lang)}", "bold $accent")
            options.append(Option(header, disabled=True))
            reputation = self._reputation(entry, best)
            if reputation:
                options.append(Option(reputation, disabled=True))
            for n, level in enumerate(entry.levels, 1):
                unlocked = app.is_unlocked(level, completed)
                key = f"level:{level.id}"
                self._entries[key] = level
                mark = "✓" if level.id in completed else ("▶" if unlocked else "○")
                line = Content.assemble(f" {mark} {n}. ", (level.title.get(self.lang), "" if unlocked else "dim"))
                if level.id in best:
                    v = best[level.id]
                    line = line + Content.styled(f"  {v:+d}", f"bold {tone(v)}")
                if level.id == in_progress:
                    line = line + Content.styled("  " + self.tr("map.in_progress", n=len(saved.choices)),
                                                 "italic $warning")
                options.append(Option(line, id=key))
            for broken in entry.broken:
                key = f"broken:{broken.path}"
                self._entries[key] = broken
                options.append(Option(Content.styled(f" ✗ {clean_name(broken.path.name)}", "$error"), id=key))
            options.append(None)
        if not options:
            options.append(Option(self.tr("map.empty", root=str(app.library.root)), disabled=True))
        return options[:-1] if options and options[-1] is None else options

    def _reputation(self, entry, best: dict[str, int]) -> Content:
        """The campaign's running word of mouth, from the best score of each level played."""
        bad = good_lo = good_hi = 0
        for level in entry.levels:
            if level.id in best:
                wom = word_of_mouth(best[level.id])
                if wom.tone == "negative":
                    bad += wom.people_max
                elif wom.tone == "positive":
                    good_lo += wom.people_min
                    good_hi += wom.people_max
        if not (bad or good_hi):
            return Content("")
        key = "map.reputation" if bad and good_hi else ("map.reputation_bad" if bad else "map.reputation_good")
        return Content.styled("   " + self.tr(key, bad=bad, lo=good_lo, hi=good_hi), "italic $foreground-muted")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._highlight = event.option_index
        item = self._entries.get(event.option_id or "")
        title = self.query_one("#detail-title", Static)
        text = self.query_one("#detail-text", Prose)
        status = self.query_one("#detail-status", Static)
        status.remove_class("error-text")
        if item is None:
            title.update("")
            text.text = ""
            status.update("")
            return
        if event.option_id.startswith("broken:"):
            title.update(Content(item.path.name))
            text.text = item.first_error.render(self.lang)
            status.update(self.text("map.broken_hint"))
            status.add_class("error-text")
            return
        level = item
        title.update(Content(level.title.get(self.lang)))
        text.text = level.brief.get(self.lang)
        best = self.app.best_scores()
        lines = []
        if level.id in best:
            v = best[level.id]
            lines.append(self.tr("map.best", score=f"{v:+d}", label=label(v, self.lang)))
        if not self.app.is_unlocked(level):
            lines.append(self.tr("map.locked"))
        else:
            lines.append(self.tr("map.enter"))
        status.update(Content("\n" + "\n".join(lines)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_id)

    def action_open(self) -> None:
        menu = self.query("#levels")
        if menu:
            option = menu.first(OptionList).highlighted_option
            if option is not None:
                self._open(option.id)

    def _open(self, option_id: str | None) -> None:
        item = self._entries.get(option_id or "")
        if item is None or (option_id or "").startswith("broken:"):
            if item is not None:
                self.notify(item.first_error.render(self.lang), severity="error", timeout=10, markup=False)
            return
        if not self.app.is_unlocked(item):
            self.notify(self.tr("map.locked"), severity="warning", markup=False)
            return
        self.app.open_level(item)

    def action_back(self) -> None:
        self.app.pop_screen()
