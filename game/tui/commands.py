"""Command palette provider: jump to any unlocked level by typing part of its title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..i18n import t


class LevelCommands(Provider):
    def _levels(self):
        app = self.app
        if app.library is None:
            return []
        completed = app.completed()
        out = []
        for entry in app.library.campaigns:
            for level in entry.levels:
                if app.is_unlocked(level, completed):
                    name = f"{entry.campaign.title.get(app.lang)} › {level.title.get(app.lang)}"
                    out.append((t("palette.play", app.lang, title=name), level))
        return out

    async def discover(self) -> Hits:
        for text, level in self._levels():
            yield DiscoveryHit(text, partial(self.app.open_level, level), help=level.id)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, level in self._levels():
            for candidate in (text, level.id):
                match = matcher.match(candidate)
                if match > 0:
                    yield Hit(match, matcher.highlight(text), partial(self.app.open_level, level), help=level.id)
                    break
