"""What every game screen shares: the current language, and a redraw when it changes."""

from __future__ import annotations

from textual.content import Content
from textual.screen import ModalScreen, Screen

from ...i18n import t
from ..localize import localize_bindings


class LanguageAware:
    """Mixin: `self.lang`, `self.tr(key)`, and `refresh_language()` which recomposes."""

    @property
    def lang(self) -> str:
        return self.app.lang

    def tr(self, key: str, **values) -> str:
        return t(key, self.app.lang, **values)

    def text(self, key: str, **values) -> Content:
        """A UI string as literal Content: values (titles, team names) are never read as markup."""
        return Content(t(key, self.app.lang, **values))

    def localize(self) -> None:
        localize_bindings(self, self.app.lang)
        self.refresh_bindings()

    async def refresh_language(self) -> None:
        """Redraw in the new language. Screens keep their state outside widgets, so this is safe."""
        self.localize()
        await self.recompose()
        self.refresh_bindings()
        self.after_language_change()

    def after_language_change(self) -> None:
        """Hook for screens that must restore focus or scroll after a recompose."""


class GameScreen(LanguageAware, Screen):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Before the first compose, so the Footer is built once, already in the right language.
        localize_bindings(self, self.app.lang)
        self._shown_once = False

    def _on_screen_resume(self, event) -> None:
        """The first time a screen is shown its widgets have just been styled as they mounted:
        Textual would restyle every one of them again (a third of the debrief's first frame).
        Coming back to it later (from a dialog, after a theme change) restyles as usual."""
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False
        super()._on_screen_resume(event)


class GameModal(LanguageAware, ModalScreen):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self, self.app.lang)
