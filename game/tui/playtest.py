"""`mot play FILE.toml`: play-test one level file while writing it (as Inky does for Ink).

`ctrl+r` reloads the file and replays the choices made so far, stopping where an edit removed
one, so the author lands back on the same scene with the same meter. A file that no longer
loads shows its errors (file:line:col) in the app until it is fixed. Runs are kept in a
throwaway save file, never in the player's progress.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

from .app import MotApp


class PlaytestApp(MotApp):
    BINDINGS = [Binding("ctrl+r", "reload", "Reload", id="playtest.reload", priority=True)]

    def __init__(self, path: Path, **kwargs) -> None:
        from ..store import Store

        kwargs.pop("data_dir", None)
        self._scratch = tempfile.TemporaryDirectory(prefix="mot-playtest-")
        super().__init__(store=Store(Path(self._scratch.name) / "playtest.sqlite3"), unlock_all=True, **kwargs)
        self.path = Path(path)
        self.level = None
        if self.seed is None:  # one order for the whole session, so a reload keeps the cards put
            from ..engine import new_seed

            self.seed = new_seed()
        self.sub_title = str(self.path)

    def get_default_screen(self) -> Screen:
        return Screen()  # a base to push on: every reload replaces the screen above it

    def load_everything(self) -> None:
        """Play-testing reads one file, on demand (see `reload`), not the whole levels folder."""

    def on_mount(self) -> None:
        super().on_mount()
        self.action_reload()

    def _load(self):
        from ..balance import flag_warnings
        from ..library import load_folder_for

        entry, results = load_folder_for(self.path)
        result = results[0]
        diagnostics = list(result.diagnostics)
        if result.ok:  # a flag set that no `when` reads (a typo in `sets`) needs no analysis
            diagnostics += flag_warnings(result.level, result.positions)
        return (result.level if result.ok else None), diagnostics, entry

    def choices_so_far(self) -> list[str]:
        from .screens.debrief import DebriefScreen
        from .screens.scene import SceneScreen

        screen = self.screen
        if isinstance(screen, (SceneScreen, DebriefScreen)):
            return [m.choice for m in screen.state.moves]
        return list(getattr(self, "_remembered", []))

    def action_reload(self) -> None:
        from ..library import Library
        from .screens.errors import ErrorsScreen
        from .screens.scene import SceneScreen

        remembered = self.choices_so_far()
        self._remembered = remembered
        level, diagnostics, entry = self._load()
        if level is None:
            self._show(ErrorsScreen(self.path, diagnostics))
            return
        self.level = level
        self.library = Library(self.path.parent, campaigns=[entry])
        self.library_ready.set()
        game, state = self._replay(level, remembered)
        if state.finished:
            from ..scoring import score
            from .screens.debrief import DebriefScreen

            self._show(DebriefScreen(level, state, score(level, state)))
        else:
            screen = SceneScreen(level, scores={})
            screen.game, screen.state = game, state
            self._show(screen)
        if diagnostics:
            # The first few in the author's language, by line:col, so a typo is seen while playing.
            shown = [f"{d.line}:{d.col} {d.code} {d.text(self.lang)}" for d in diagnostics[:3]]
            self.notify("\n".join([self.tr("playtest.warnings", n=len(diagnostics)), *shown]),
                        severity="warning", markup=False, timeout=15)

    def _replay(self, level, choices: list[str]):
        """Take the remembered choices while they are still there; stop at the first one that is not."""
        from ..engine import Game

        game = Game(level, {}, seed=self.seed if self.shuffle else None)
        state = game.start()
        for choice_id in choices:
            choice = next((c for c in game.choices(state) if c.id == choice_id), None)
            if choice is None or state.finished:
                break
            state = game.take(state, choice)
        return game, state

    def _show(self, screen) -> None:
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def finish_level(self, level, state, started_at, guided, seed=None):
        from ..scoring import score

        return score(level, state)
