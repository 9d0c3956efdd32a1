"""The Textual app: screens, language, progress. Levels load after the first frame.

The title screen appears before any level file is read or the save file opened; both happen
in a worker thread, and screens that need them wait for `library_ready`.
"""

from __future__ import annotations

import asyncio
import gc
import getpass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

if TYPE_CHECKING:  # the engine is imported when a level is played, not at start-up
    from ..engine import State
    from ..model import Level
    from ..scoring import Result

from ..i18n import default_language, t
from .collector import IdleCollector
from .commands import LevelCommands
from .crash import CrashReport
from .localize import SwitchesLanguage, localize_bindings


# Textual's built-in palette commands by their English title: (title, help) per language.
PALETTE_COMMANDS = {
    "Theme": {"zh": ("主题", "更换界面配色")},
    "Quit": {"zh": ("退出", "立即退出游戏")},
    "Keys": {"zh": ("按键", "显示或隐藏当前控件的帮助和可用按键")},
    "Minimize": {"zh": ("还原", "把最大化的控件还原")},
    "Maximize": {"zh": ("最大化", "把当前控件放大到整个屏幕")},
    "Screenshot": {"zh": ("截图", "把当前屏幕保存为 SVG 图片")},
    "Bell": {"zh": ("响铃", "响一下终端的铃")},
}


_heap_frozen = False


def freeze_heap() -> None:
    """Once per process, when the levels have been read: what exists then (Textual, the game,
    the levels, the stylesheet) lives as long as the process. The collector's full passes
    walked all of it, about 80 ms each, a few times a level and each on some key (a sixth of
    a played level's CPU); `gc.freeze` takes it out of their way. Once only, so a process
    that starts many apps (the tests) never keeps a later app's garbage. A young collection
    every 10,000 allocations rather than 700: a frame allocates tens of thousands of short-lived
    objects, and the collector's time in a played level halves (about 95 → 45 ms)."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()
        gc.set_threshold(10_000, 20, 20)


class MotApp(CrashReport, SwitchesLanguage, App):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses may live elsewhere
    TITLE = "Moment of Truth · 关键时刻"
    COMMANDS = App.COMMANDS | {LevelCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="The four steps and the scoring"),
        Binding("f2", "toggle_language", "中文/EN", id="language", tooltip="Switch language"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, *, levels_dir: Path | None = None, data_dir: Path | None = None,
                 lang: str | None = None, exam: bool = False, player: str | None = None,
                 unlock_all: bool = False, library=None, store=None, room: str | None = None,
                 team: str | None = None, seed: int | None = None, shuffle: bool = True,
                 free: bool = False) -> None:
        super().__init__()
        # Free-answer mode (issue 15): `t` in a scene types a reply (--free, or the title's
        # setting); the sentence encoder loads on first use (tui/free_model.py).
        self.free, self._free_forced = free, free
        self.free_model = None
        self.seed = seed  # a fixed card order (--seed, or a room's); None: a fresh one each play
        self.shuffle = shuffle  # False only for tests that press keys by the file's order
        self.show_steps = False  # the title screen's "show steps" setting, remembered
        self.name_step = False  # the title screen's "name the step" practice, remembered
        self.room = room  # a classroom room: moves go live to its scoreboard, runs into the room
        self.team = team
        self.levels_dir = levels_dir
        self.data_dir = data_dir
        self.exam = exam
        self.unlock_all = unlock_all
        self.player = team or player or _user_name()
        self.set_reactive(MotApp.lang, lang or default_language())
        self._lang_forced = lang is not None
        self.library = library
        self.store = store
        self.library_ready = asyncio.Event()
        # The collector's older passes wait for a pause in the input (tui/collector.py).
        self.collector = IdleCollector(self.set_timer)

    # -- start-up --------------------------------------------------------------------------
    def get_default_screen(self):
        """The first screen itself (the title), so no empty screen is painted before it."""
        return self.first_screen()

    async def on_event(self, event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):  # the learner acts
            self.collector.touched()
        await super().on_event(event)

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        # After the first frame: parsing every level holds the GIL and would delay it.
        self.call_after_refresh(self.load_everything)

    @work(thread=True, exclusive=True, group="load")
    def load_everything(self) -> None:
        """Read the levels and open the save file, off the path to the first frame."""
        if self.library is None:
            from ..library import load_library

            self.library = load_library(extra=[self.levels_dir] if self.levels_dir else ())
        if self.store is None:
            from ..store import Store, default_db_path

            self.store = Store(default_db_path(self.data_dir))
        self.call_from_thread(self._loaded)

    def _loaded(self) -> None:
        notice = getattr(self.store, "notice", None)
        if notice:
            self.notify(notice.get(self.lang, notice.get("en", "")), severity="warning", timeout=15, markup=False)
        saved = self.store.get_setting("theme")
        if saved and saved in self.available_themes:
            self.theme = saved
        self.show_steps = self.store.get_setting("show_steps") == "1"
        self.name_step = self.store.get_setting("name_step") == "1"
        if not self._free_forced:
            self.free = self.store.get_setting("free") == "1"
        saved_lang = self.store.get_setting("lang")
        if saved_lang in ("zh", "en") and not self._lang_forced and saved_lang != self.lang:
            self.lang = saved_lang
        self.theme_changed_signal.subscribe(self, lambda theme: self.write(self.store.set_setting, "theme", theme.name))
        self.library_ready.set()
        freeze_heap()

    async def wait_for_library(self):
        await self.library_ready.wait()
        return self.library

    # -- language --------------------------------------------------------------------------
    async def watch_lang(self, lang: str) -> None:
        if self.store is not None:
            self.write(self.store.set_setting, "lang", lang)
        await super().watch_lang(lang)

    def get_system_commands(self, screen):
        """Textual's own palette commands, in the player's language."""
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            names = PALETTE_COMMANDS.get(command.title)
            if names is None or self.lang not in names:
                yield command
            else:
                title, help_text = names[self.lang]
                yield SystemCommand(title, help_text, command.callback, command.discover)

    def action_command_palette(self) -> None:
        """The palette with a prompt in the player's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=self.tr("palette.prompt")))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- progress --------------------------------------------------------------------------
    def best_scores(self) -> dict[str, int]:
        return self.store.best_scores(self.player) if self.store else {}

    def completed(self) -> set[str]:
        return self.store.completed_levels(self.player) if self.store else set()

    def is_unlocked(self, level: Level, completed: set[str] | None = None) -> bool:
        """The first level of a campaign is open; each next one opens when the one before is done."""
        if self.unlock_all or self.library is None:
            return True
        entry = self.library.campaign_of(level.id)
        if entry is None:
            return True
        index = entry.levels.index(level)
        done = self.completed() if completed is None else completed
        return index == 0 or entry.levels[index - 1].id in done

    def next_level(self, level: Level) -> Level | None:
        entry = self.library.campaign_of(level.id) if self.library else None
        if entry is None:
            return None
        index = entry.levels.index(level)
        return entry.levels[index + 1] if index + 1 < len(entry.levels) else None

    def campaign_steps(self, level: Level):
        entry = self.library.campaign_of(level.id) if self.library else None
        return entry.campaign.steps if entry else None

    def campaign_kinds(self, level: Level):
        """The campaign's own words for discovery kinds (`[campaign.kinds]`), or None."""
        entry = self.library.campaign_of(level.id) if self.library else None
        return entry.campaign.kinds if entry else None

    def play_seed(self) -> int | None:
        """The seed for the next play's card order: the fixed one, else a fresh one (None: the
        file's order, for tests that press keys by it)."""
        from ..engine import new_seed

        if not self.shuffle:
            return None
        return self.seed if self.seed is not None else new_seed()

    def set_show_steps(self, on: bool) -> None:
        self.show_steps = on
        if self.store is not None:
            self.write(self.store.set_setting, "show_steps", "1" if on else "0")

    def set_name_step(self, on: bool) -> None:
        self.name_step = on
        if self.store is not None:
            self.write(self.store.set_setting, "name_step", "1" if on else "0")

    def set_free(self, on: bool) -> None:
        self.free = on
        if self.store is not None:
            self.write(self.store.set_setting, "free", "1" if on else "0")

    def steps_before_choice(self, level: Level) -> bool:
        """Whether cards show their step before the choice. Never in exam mode or a classroom
        (the badge would give the answer away); always in a campaign that teaches the steps
        (`show_steps = true`, the tutorial); elsewhere as the player set it on the title screen."""
        if self.exam or self.room:
            return False
        entry = self.library.campaign_of(level.id) if self.library else None
        if entry is not None and entry.campaign.show_steps:
            return True
        return self.show_steps

    def scores_for(self, level: Level) -> dict[str, int]:
        """Earlier levels' scores for `score.<level>`: the player's best in this campaign."""
        return self.best_scores()

    def open_level(self, level: Level) -> None:
        """Go to a level's briefing (from the map, the palette or the debrief)."""
        from .screens.briefing import BriefingScreen

        self.push_screen(BriefingScreen(level))

    def write(self, action, *args, **kwargs):
        """A write to the save that may fail (disk full, folder gone read-only): the game goes
        on, and the player is told once, in their language, what was not saved and why."""
        from ..store import StoreError

        try:
            return action(*args, **kwargs)
        except StoreError as error:
            if error.code != getattr(self, "_write_failed", None):
                self._write_failed = error.code
                self.notify(error.message(self.lang), title=t("store.not_saved", self.lang),
                            severity="error", timeout=20, markup=False)
            return None

    def write_later(self, action, *args, **kwargs) -> None:
        """A write the screen need not wait for (a room's live row, a team's level in
        progress): queued on the store's writer thread (`Store.later`), so a database locked by
        the other screens of the room never holds up a key; a failure is told as `write` tells it."""
        if self.store is None:
            return

        def failed(error) -> None:
            try:
                self.call_from_thread(self.write, _raise, error)
            except RuntimeError:  # the app has stopped: nobody to tell
                pass

        self.store.later(action, *args, on_error=failed, **kwargs)

    def record_move(self, level: Level, team: str, state: State) -> None:
        """In a room, every move goes live to the scoreboard (other screens read it within 2 s).
        Every move's time is kept for the run's record (`record_run`); a step back drops it."""
        if not hasattr(self, "_move_times"):
            self._move_times: dict[tuple[str, str], list] = {}
        times = self._move_times.setdefault((team, level.id), [])
        del times[max(0, len(state.moves) - 1):]
        times.append(datetime.now(timezone.utc))
        if self.room and self.store is not None:
            from ..i18n import STEP_LETTERS

            steps = "".join(STEP_LETTERS[s] for s in state.steps)
            self.write_later(self.store.update_live, self.room, team, level.id, len(state.moves),
                             state.perception, steps, finished=state.finished)

    def record_run(self, player: str, level: Level, state: State, started_at: datetime | None = None,
                   team: str | None = None, seed: int | None = None) -> Result:
        from ..scoring import score

        result = score(level, state)
        if self.store is not None:
            from ..played import played

            entry = self.library.campaign_of(level.id) if self.library else None
            mode = "classroom" if self.room else ("exam" if self.exam else "learn")
            # What the player saw, its moves' times, a hot-seat team's own scores and lost turns.
            times = getattr(self, "_move_times", {}).pop((player, level.id), [])[-len(state.moves):]
            hotseat = next((t for t in getattr(getattr(self, "round", None), "teams", ())
                            if t.name == player), None)
            scores = dict(hotseat.game.scores) if hotseat is not None else self.scores_for(level)
            self.write(
                self.store.record_run, player, level.id, entry.campaign.id if entry else None, state, result, mode=mode,
                room=self.room, team=team or self.team or (player if self.room else None),
                started_at=started_at, finished_at=datetime.now(timezone.utc), seed=seed,
                lang=self.lang, played=played(level, state, scores, entry.campaign if entry else None),
                move_times=[None] * (len(state.moves) - len(times)) + times if state.moves else None,
                lost_turns=hotseat.passes if hotseat is not None else None,
            )
        return result

    def finish_level(self, level: Level, state: State, started_at: datetime, guided: bool,
                     seed: int | None = None) -> Result:
        if guided:  # an ideal-path replay or a practice run teaches; it is not the player's score
            from ..scoring import score

            saved = self.store.progress(self.player) if self.store is not None and not self.room else None
            if saved is not None and saved.level_id == level.id:  # left from before a step back: done now
                self.write(self.store.clear_progress, self.player)
            return score(level, state)
        result = self.record_run(self.player, level, state, started_at, seed=seed)
        if self.store is not None and not self.room:
            self.write(self.store.clear_progress, self.player)
        return result

    def save_progress(self, level: Level, seed: int | None, state: State, started_at: datetime) -> None:
        """After every move: the level in progress, so Continue resumes it after Ctrl+Q or a crash."""
        if self.store is not None and not self.room and not state.finished:
            self.write(self.store.save_progress, self.player, level.id, seed, [m.choice for m in state.moves],
                       started_at, said=[m.said for m in state.moves])

    def resume_screen(self):
        """The scene the player left, replayed from the saved choices; None when there is none
        (or the level changed so that the saved choices no longer play)."""
        if self.store is None or self.library is None:
            return None
        saved = self.store.progress(self.player)
        level = self.library.level(saved.level_id) if saved else None
        if level is None:
            return None
        screen = self.replay_scene(level, saved.seed, list(saved.choices), saved.started_at, saved.said)
        if screen is False:  # the level changed under the saved choices: start it afresh
            self.store.clear_progress(self.player)
            return None
        return screen

    def replay_scene(self, level: Level, seed, choices: list, started_at, said=()):
        """A scene screen where saved choices left a level: None when they already finished
        it, False when they no longer play (the level was edited since). `said`: the words
        typed for each choice (free-answer mode), which come back with their moves."""
        from ..engine import ChoiceUnavailable, Game
        from .screens.scene import SceneScreen

        game = Game(level, self.scores_for(level), seed=seed)
        try:
            words = [str(w or "") for w in (said if isinstance(said, (list, tuple)) else ())]
            state = game.start()
            for choice_id, words_said in zip(choices, words + [""] * len(choices)):
                state = game.apply(state, str(choice_id), words_said)
        except (ChoiceUnavailable, KeyError, TypeError, ValueError):  # a save from another version
            return False
        if state.finished:
            return None
        screen = SceneScreen(level)
        screen.game, screen.state = game, state
        try:
            screen.started_at = datetime.fromisoformat(str(started_at).replace("Z", "+00:00"))
        except ValueError:
            pass
        return screen

    def join_as(self, team: str) -> None:
        """A tab or terminal joined a room under this team name (see TeamNameScreen)."""
        self.player = self.team = team
        self.switch_screen(self.first_screen())

    def first_screen(self):
        from .screens.title import TitleScreen

        return TitleScreen()

    def tr(self, key: str, **values) -> str:
        return t(key, self.lang, **values)


def _user_name() -> str:
    try:
        return getpass.getuser() or "player"
    except Exception:  # no user name in some containers
        return "player"


def _raise(error: BaseException) -> None:
    """For `MotApp.write_later`: a failure from the writer thread, told through `write`."""
    raise error
