"""Free-answer mode in the TUI (issue 15): press t in a scene, type a reply in zh or en, and the game
plays the nearest move (the words kept with it, in the save and the debrief), asks "Did you mean
«A» or «B»?", or says none fits. A stub encoder makes the UI logic fast and certain; the real
model (the `free` extra) plays the same Chinese reply when it is installed."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import pytest
from textual import events

from game.library import Library, load_folder
from game.store import Store
from game.tui.app import MotApp
from game.tui.free_model import FreeModel
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.widgets.meter import PerceptionMeter
from game.tui.widgets.say_box import SayBox, SayOption
from tests.tui_helpers import ROOT, choosing, go_on, wait_for, wait_for_scene, wait_for_screen

ENTRY, _ = load_folder(ROOT / "levels" / "who-killed-the-order")
LEVEL = ENTRY.levels[0]  # the-decision: Sam Ho in the corridor, the meter at −2
SCENE = LEVEL.scenes[LEVEL.start]
# A learner's own words, in Chinese, for "ask what happened" (explore, +1): not the card's text.
REPLY_ZH = "谢谢您帮我们说话。会上到底发生了什么？我想弄明白。"
ASK_TEXT = "价格的事"  # the stub puts it exactly between two choices: the game must ask
NONE_TEXT = "今天天气很好，去吃火锅吧"  # fits nothing


def _chars(text: str, dims: int = 97) -> list[float]:
    """Characters hashed into a small vector: enough for identical texts to match exactly."""
    vector = [0.0] * dims
    for ch in text:
        vector[zlib.crc32(ch.encode()) % dims] += 1.0
    return vector


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class StubEncoder:
    """Deterministic vectors: `REPLY_ZH` says what ask-what-happened's card says, `ASK_TEXT`
    sits halfway between the two price cards, `NONE_TEXT` is orthogonal to everything."""

    def __init__(self) -> None:
        choice = {c.id: c for c in SCENE.choices}
        self.same_as = {REPLY_ZH: choice["ask-what-happened"].text.get("zh")}
        a, b = (_unit(_chars(choice[i].text.get("zh"))) for i in ("ask-price", "match-price"))
        self.fixed = {ASK_TEXT: [x + y for x, y in zip(a, b)], NONE_TEXT: [0.0] * 97}
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        return [self.fixed.get(t) or _chars(self.same_as.get(t, t)) for t in texts]


def make_app(tmp_path: Path, lang: str = "zh", model: FreeModel | None = None, **kwargs) -> MotApp:
    library = Library(ROOT / "levels", campaigns=[ENTRY])
    app = MotApp(lang=lang, library=library, store=Store(tmp_path / "mot.sqlite3"), player="tester",
                 shuffle=False, free=True, **kwargs)
    app.free_model = model if model is not None else FreeModel(encoder=StubEncoder())
    return app


async def start_level(pilot, app) -> SceneScreen:
    await wait_for(pilot, app.library_ready.is_set, what="the levels loaded")
    app.push_screen(SceneScreen(LEVEL))
    return await wait_for_scene(pilot)


async def type_reply(pilot, text: str) -> SayBox:
    """t, then the words, then Enter. Latin text is typed key by key; Chinese arrives as a
    terminal delivers an input method's text, a paste (the Pilot cannot press 。or ？)."""
    await pilot.press("t")
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#say-input").has_focus, what="the input focused")
    field = pilot.app.screen.query_one("#say-input")
    if text.isascii():
        await pilot.press(*text)
    else:
        field.post_message(events.Paste(text))
    await wait_for(pilot, lambda: field.value == text, what="the words in the input")
    await pilot.press("enter")
    return pilot.app.screen.query_one(SayBox)


def phase(app) -> str:
    return app.screen.say_state.phase if app.screen.say_state.open else "closed"


async def test_a_chinese_reply_plays_its_move_and_the_debrief_keeps_the_words(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        meter = scene.query_one("#meter", PerceptionMeter)
        assert scene.state.perception == -2
        await type_reply(pilot, REPLY_ZH)
        await wait_for(pilot, lambda: len(scene.state.moves) == 1 and scene.query("#coach-said"),
                       what="the typed move played and its note shown")
        move = scene.state.moves[0]
        assert (move.choice, move.step, move.delta, move.perception, move.said) == (
            "ask-what-happened", "explore", 1, -1, REPLY_ZH)
        assert meter.value == -1
        assert scene.query_one("#coach-said").text == f"你说“{REPLY_ZH}”——最接近："
        assert phase(app) == "closed"
        # The rest of the level by the cards; the debrief shows the words beside the move.
        await go_on(pilot)
        while not scene.state.finished:
            ideal = next(i for i, c in enumerate(scene.game.offered(scene.state), 1) if c.ideal)
            await pilot.press(str(ideal))
            await wait_for(pilot, lambda: scene.last_choice is not None or scene.state.finished)
            screen = await go_on(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen, what="the debrief")
        await pilot.press("right")
        await wait_for(pilot, lambda: debrief.query(".said"), what="the moves tab with the words")
        said = [p.text for p in debrief.query(".said")]
        assert said == [f"你说：“{REPLY_ZH}”"]
    runs = app.store.runs(player="tester")
    assert [m.said for m in runs[0].moves][:2] == [REPLY_ZH, None]
