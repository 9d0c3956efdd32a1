"""The live customer-perception meter: seven rows, the current one lit, changes flashed.

`value` changes at once (what the player sees first, and what tests read); the lit row then
walks to it one step at a time so the eye follows the move, and a flash line names the
change and its new label (`+1 符合期望`). In exam mode the meter is hidden.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...i18n import meter_text, t
from ...scoring import label

STEP_SECONDS = 0.06
FLASH_SECONDS = 2.5


def tone(value: int) -> str:
    """The theme variable that colours a perception value (so every theme is respected)."""
    return "$success" if value > 0 else "$error" if value < 0 else "$foreground-muted"


class PerceptionMeter(Widget):
    DEFAULT_CSS = """
    PerceptionMeter { height: auto; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    value: reactive[int] = reactive(0)
    shown: reactive[int] = reactive(0)  # the lit row, which walks towards `value`
    flash: reactive[str] = reactive("")
    hidden: reactive[bool] = reactive(False)
    lang: reactive[str] = reactive("en")
    compact: reactive[bool] = reactive(False)  # narrow screens: numbers only, the lit label below

    def __init__(self, value: int = 0, *, lang: str = "en", hidden: bool = False, id: str | None = None,
                 customer: str = "") -> None:
        super().__init__(id=id)
        self.customer = customer  # whose perception this is (not always who speaks)
        self.set_reactive(PerceptionMeter.value, value)
        self.set_reactive(PerceptionMeter.shown, value)
        self.set_reactive(PerceptionMeter.lang, lang)
        self.set_reactive(PerceptionMeter.hidden, hidden)
        self._walker = None
        self._flash_timer = None
        self._flash_delta = 0
        self._flash_short = ""

    def move_to(self, value: int, delta: int) -> None:
        """Show a change: set the value, walk the lit row there, flash what happened (`0 → +1`,
        or "already at −3" when the move was clamped and changed nothing)."""
        before = self.value
        self.value = value
        if self.hidden:
            return
        self._flash_delta = value - before
        self._flash_short = meter_text(before, value, delta, self.lang, with_label=False)
        self.flash = meter_text(before, value, delta, self.lang)
        self.refresh()  # the same change twice running is still news
        if self._walker is not None:
            self._walker.stop()
            self._walker = None
        if self.app.animation_level == "none":  # the user (or a test) turned animations off
            self.shown = value
        else:
            self._walker = self.set_interval(STEP_SECONDS, self._step)
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._clear_flash)

    def _step(self) -> None:
        if self.shown == self.value:
            if self._walker is not None:
                self._walker.stop()
                self._walker = None
            return
        self.shown += 1 if self.value > self.shown else -1

    def _clear_flash(self) -> None:
        self.flash = ""

    def render(self) -> Content:
        if self.customer and self.compact:  # two short lines fit a narrow side panel
            title = f"{t('meter.title', self.lang)}\n{self.customer}"
        elif self.customer:
            title = t("meter.title_of", self.lang, name=self.customer)
        else:
            title = t("meter.title", self.lang)
        parts: list = [(title + "\n", "bold")]
        for v in range(3, -4, -1):
            text = f"{v:+d}" if v else " 0"
            name = "" if self.compact else label(v, self.lang)  # compact: the label goes below
            if self.hidden:
                parts.append((f"  {text} {name}\n", "$foreground-muted"))
            elif v == self.shown:
                parts.append((f"▶ {text} {name}\n", f"bold reverse {tone(v)}"))
            else:
                parts.append((f"  {text} {name}\n", tone(v) if v else ""))
        if self.compact and not self.hidden:  # a narrow side panel: the lit row's label, whole
            parts.append((label(self.shown, self.lang) + "\n", f"bold {tone(self.shown)}"))
        if self.hidden:
            parts.append((t("meter.hidden", self.lang), "italic $foreground-muted"))
        elif self.flash:
            delta = self._flash_delta
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "■"
            shown = self._flash_short if self.compact else self.flash
            parts.append((f"{arrow} {shown}", f"bold {tone(delta)}"))
        else:
            parts.append(" ")
        return Content.assemble(*parts)
