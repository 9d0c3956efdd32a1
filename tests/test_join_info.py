"""The scoreboard on the projector shows how to join the room (`j`): the address with its key
from `mot serve`, or a vote's page and join code, with a QR code; nothing when no server said."""

from __future__ import annotations

from game.store import Store
from game.tui.scoreboard import ScoreboardApp
from game.tui.screens.join_info import JoinInfoScreen
from game.tui.screens.scoreboard import ScoreboardScreen
from game.tui.widgets.qr import QrCode
from tests.tui_helpers import tutorial_library, wait_for


def room(tmp_path, join: tuple | None):
    db = tmp_path / "room.sqlite3"
    with Store(db) as store:
        store.ensure_room("R1")
        if join:
            store.set_join_info("R1", *join)
    return db


async def test_j_shows_the_address_code_and_qr(tmp_path):
    url = "http://192.168.1.20:8766/?code=4821"
    app = ScoreboardApp("R1", room(tmp_path, (url, "4821")), lang="zh", library=tutorial_library())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreboardScreen) and app.reads >= 1
                       and app.join is not None, what="the first read")
        assert app.check_action("join_info", ()) is True
        await pilot.press("j")
        await wait_for(pilot, lambda: isinstance(app.screen, JoinInfoScreen), what="the join screen")
        screen = app.screen
        assert screen.query_one("#join-url").content.plain == url
        assert screen.query_one("#join-code").value == "4821"
        assert screen.query_one(QrCode).data == url
        assert "加入这个房间" in str(screen.query_one("#join-title").content)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreboardScreen), what="the board again")


async def test_no_join_info_no_key(tmp_path):
    app = ScoreboardApp("R1", room(tmp_path, None), lang="en", library=tutorial_library())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreboardScreen) and app.reads >= 1,
                       what="the first read")
        assert app.check_action("join_info", ()) is False
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, ScoreboardScreen)


def test_a_damaged_entry_is_no_join_info(tmp_path):
    with Store(tmp_path / "x.sqlite3") as store:
        store.set_setting("join:R1", "{not json")
        assert store.join_info("R1") is None
        store.set_join_info("R1", "http://h:1/?key=k")
        assert store.join_info("R1") == {"url": "http://h:1/?key=k", "code": None}
