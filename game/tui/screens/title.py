"""Title: the game's name, then continue, the campaign map, language, mode, help, quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...paths import default_assets_dir
from ..widgets.footer import MotFooter
from ..widgets.header import MotHeader
from .base import GameScreen


def title_art() -> str:
    try:
        return (default_assets_dir() / "title.txt").read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        return "MOMENT OF TRUTH · 关键时刻"


class TitleScreen(GameScreen):
    DEFAULT_CSS = """
    TitleScreen { align: center middle; }
    TitleScreen #art { width: 100%; content-align: center top; color: $accent; text-style: bold; }
    TitleScreen #tagline { width: 100%; content-align: center top; color: $foreground-muted; margin-bottom: 1; }
    TitleScreen #menu { width: 52; height: auto; max-height: 12; border: round $primary; }
    """

    BINDINGS = [
        Binding("c", "menu('continue')", "Continue", id="title.continue"),
        Binding("m", "menu('map')", "Map", id="title.map"),
        Binding("l", "menu('language')", "中文/EN", show=False),
        Binding("e", "menu('mode')", "Mode", show=False),
        Binding("s", "menu('steps')", "Steps", show=False),
        Binding("k", "menu('name_step')", "Name steps", show=False),
        Binding("f", "menu('free')", "Free answer", show=False),
        Binding("q", "menu('quit')", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield MotHeader()
        yield Static(Content(title_art()), id="art")
        yield Static(self.text("title.tagline"), id="tagline")
        yield Center(OptionList(*self._options(), id="menu"))
        yield MotFooter()

    def _options(self) -> list[Option]:
        mode = self.tr("title.mode_exam" if self.app.exam else "title.mode_coach")
        return [
            Option(self.tr("title.continue"), id="continue"),
            Option(self.tr("title.map"), id="map"),
            Option(self.tr("title.language"), id="language"),
            Option(self.tr("title.mode", mode=mode), id="mode"),
            Option(self.tr("title.steps_on" if self.app.show_steps else "title.steps_off"), id="steps"),
            Option(self.tr("title.name_on" if self.app.name_step else "title.name_off"), id="name_step"),
            Option(self.tr("title.free_on" if getattr(self.app, "free", False) else "title.free_off"), id="free"),
            Option(self.tr("title.help"), id="help"),
            Option(self.tr("title.quit"), id="quit"),
        ]

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()

    def after_language_change(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.focus()
        menu.highlighted = 2

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.run_worker(self.action_menu(event.option_id), exclusive=True, group="title")

    async def action_menu(self, choice: str) -> None:
        app = self.app
        if choice == "language":
            app.action_toggle_language()
        elif choice in ("mode", "steps", "name_step", "free"):
            if choice == "mode":
                app.exam = not app.exam
            elif choice == "steps":
                app.set_show_steps(not app.show_steps)
            elif choice == "free":
                app.set_free(not app.free)
                from .saying import free_model

                if app.free and not free_model(app).installed():  # offered, and says how to install it
                    app.notify(free_model(app).message(app.lang), severity="warning", timeout=20, markup=False)
            else:
                app.set_name_step(not app.name_step)
            await self.recompose()
            self.query_one("#menu", OptionList).highlighted = {"mode": 3, "steps": 4, "name_step": 5, "free": 6}[choice]
            self.query_one("#menu", OptionList).focus()
        elif choice == "help":
            app.action_help()
        elif choice == "quit":
            app.exit()
        elif choice == "map":
            from .campaign_map import CampaignMapScreen

            app.push_screen(CampaignMapScreen())
        elif choice == "continue":
            library = await app.wait_for_library()
            resume = app.resume_screen()
            if resume is not None:  # the level in progress, at the scene the player left
                app.push_screen(resume)
                return
            level = _next_to_play(app, library)
            if level is None:
                from .campaign_map import CampaignMapScreen

                app.push_screen(CampaignMapScreen())
            else:
                app.open_level(level)


def _next_to_play(app, library):
    """The first unlocked level not yet completed: in the campaign played last, then in
    campaign order."""
    completed = app.completed()
    last = app.store.last_played(app.player) if app.store is not None else None
    entries = list(library.campaigns)
    current = library.campaign_of(last) if last else None
    if current is not None:
        entries.remove(current)
        entries.insert(0, current)
    for entry in entries:
        for level in entry.levels:
            if level.id not in completed and app.is_unlocked(level, completed):
                return level
    return None
