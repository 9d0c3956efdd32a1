"""`mot scoreboard`: a small Textual app that shows one room of a shared database, live.

It only reads, through `Store.open_readonly`: it never creates, upgrades or moves the file.
Every `POLL_SECONDS` a worker thread reads the room's ranking and live rows (WAL readers never
wait for the writers), and the screen redraws when they changed, so a finished move shows within
about a second. A file that cannot be read (not there yet, another program's) is said in the
status line, in the screen's language, and tried again at the next poll. Ctrl+Q quits, F2
switches 中文/English.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from ..i18n import default_language, t
from .crash import CrashReport
from .localize import SwitchesLanguage, localize_bindings

POLL_SECONDS = 1.0


class ScoreboardApp(CrashReport, SwitchesLanguage, App):
    TITLE = "Moment of Truth · 关键时刻"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    BINDINGS = [
        Binding("f2", "toggle_language", "中文/EN", id="language", tooltip="Switch language"),
        Binding("j", "join_info", "Join info", id="join"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]
    join: dict | None = None  # how to join the room, when a server of it said so

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, room: str, db: str | Path | None = None, *, lang: str | None = None,
                 store=None, library=None, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.room = room
        self.db = db
        self.store = store
        self.library = library
        self.poll_seconds = poll_seconds
        self.set_reactive(ScoreboardApp.lang, lang or default_language())
        self._polling = False
        self._owns_store = store is None

    def get_default_screen(self):
        from .screens.scoreboard import ScoreboardScreen

        return ScoreboardScreen(self.room, self.level_title)

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        self.poll()
        self.set_interval(self.poll_seconds, self.poll)
        if self.library is None:
            self.call_after_refresh(self.load_levels)

    def on_unmount(self) -> None:
        if self._owns_store and self.store is not None:
            self.store.close()

    # -- data ------------------------------------------------------------------------------
    reads = 0
    clock = staticmethod(datetime.now)  # injectable: a snapshot shows a fixed time

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "join_info":  # offered only when a server of the room said how to join
            return self.join is not None
        return True

    def action_join_info(self) -> None:
        from .screens.join_info import JoinInfoScreen

        if self.join is not None and not isinstance(self.screen, JoinInfoScreen):
            self.push_screen(JoinInfoScreen(self.join["url"], self.join.get("code"), self.lang))

    def poll(self) -> None:
        if not self._polling:  # a slow read is never stacked under the next one
            self._polling = True
            self.read_room()

    @work(thread=True, group="poll")
    def read_room(self) -> None:
        from ..store import Store, StoreError, default_db_path

        try:
            if self.store is None:  # read-only: a file that is not there yet is not created
                self.store = Store.open_readonly(self.db or default_db_path())
            ranking, live = tuple(self.store.ranking(self.room)), tuple(self.store.live(self.room))
            self.join = self.store.join_info(self.room)
            left = frozenset(team for team, entry in self.store.team_progress(self.room).items()
                             if entry.get("left"))  # their screens quit mid-level
            error = None
        except StoreError as exc:  # said in both languages; the last picture stays
            ranking = live = left = None
            error = exc.messages
        except Exception as exc:  # a locked or vanished file: keep the last picture
            ranking = live = left = None
            error = f"{type(exc).__name__}: {exc}"
        try:
            self.call_from_thread(self._show, ranking, live, error, left)
        except RuntimeError:  # the app closed meanwhile
            self._polling = False

    def _show(self, ranking, live, error, left=None) -> None:
        self._polling = False
        self.reads += 1  # completed reads: tests count them instead of watching the clock
        if (self.join is not None) != getattr(self, "_join_offered", False):
            self._join_offered = self.join is not None
            self.refresh_bindings()  # the Footer offers `j` once there is something to show
        screen = self._board()
        if screen is None:
            return
        if error is None:
            if ranking != screen.ranking:
                screen.ranking = ranking
            if left is not None and left != screen.left:
                screen.left = left
            if live != screen.live:
                screen.live = live
            screen.status = t("board.updated", self.lang, time=self.clock().strftime("%H:%M:%S"))
        else:
            if isinstance(error, dict):  # a StoreError's messages, by language
                error = error.get(self.lang) or error["en"]
            screen.status = t("board.db_error", self.lang, error=error)

    def _board(self):
        from .screens.scoreboard import ScoreboardScreen

        for screen in self.screen_stack:
            if isinstance(screen, ScoreboardScreen):
                return screen
        return None

    @work(thread=True, group="levels")
    def load_levels(self) -> None:
        """Level titles for the live rows; ids are shown until (or if never) they load."""
        try:
            from ..library import load_library

            library = load_library()
        except Exception:
            return
        self.call_from_thread(self._levels_loaded, library)

    async def _levels_loaded(self, library) -> None:
        self.library = library
        screen = self._board()
        if screen is not None and screen.live:
            await screen.recompose()

    def level_title(self, level_id: str, lang: str) -> str:
        level = self.library.level(level_id) if self.library is not None else None
        return level.title.get(lang) if level is not None else level_id

