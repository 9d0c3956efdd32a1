"""Vote mode end to end: the projector app (Pilot) with its web server on the test's own loop,
and phones as aiohttp client sessions. Thirty phones join with the code and vote; a reload keeps
the participant and the vote; a second vote and a wrong code are refused; the trainer locks,
plays the majority (or another card) and the consequence reaches the phones; the votes are in
the store and in `mot results --format votes`. The server listens on port 0 (the OS picks)."""

from __future__ import annotations

import asyncio
import csv
import io
import socket

import aiohttp
import pytest
from textual.widgets import Static

from game.cli import main as mot
from game.store import Store
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.vote import VoteScreen
from game.tui.vote_app import CLASS_TEAM, VoteApp
from game.tui.widgets.qr import qr_lines
from game.tui.widgets.vote_bars import VoteBars
from game.vote.page import PAGE
from game.vote.room import ENDED, LOCKED, OPEN, REVEALED, VoteRoom
from game.vote.server import listen_socket
from tests.conftest import FIRST_CALL_IDEAL
from tests.tui_helpers import tutorial_library, wait_for, wait_for_screen

CODE = "2468"
ROOM = "投票室"
HTTP_WAIT = 30.0  # a deadline for one request on a busy machine, never a pause
OPENED: list = []  # every Phone's session, closed after each test (see the autouse fixture)


class Phone:
    """One participant's browser: a cookie jar, and the token the page keeps in localStorage."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.session = aiohttp.ClientSession(base_url=base, cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.token = token
        OPENED.append(self)

    def _headers(self) -> dict:
        return {"X-Mot-Token": self.token} if self.token else {}

    async def _call(self, method: str, path: str, **kwargs) -> tuple[int, dict]:
        async with self.session.request(method, path, headers=self._headers(),
                                        timeout=aiohttp.ClientTimeout(total=HTTP_WAIT), **kwargs) as r:
            return r.status, await r.json()

    async def join(self, nickname: str, code: str = CODE, lang: str = "en") -> tuple[int, dict]:
        status, data = await self._call("POST", "/join", json={"code": code, "nickname": nickname, "lang": lang})
        if status == 200:
            self.token = data["token"]
        return status, data

    async def state(self, since: int = -1, lang: str | None = None) -> tuple[int, dict]:
        params = {"since": str(since)} | ({"lang": lang} if lang else {})
        return await self._call("GET", "/state", params=params)

    async def vote(self, decision: int, choice: str) -> tuple[int, dict]:
        return await self._call("POST", "/vote", json={"decision": decision, "choice": choice})

    async def close(self) -> None:
        await self.session.close()


@pytest.fixture(autouse=True)
async def _close_phones():
    yield
    while OPENED:
        await OPENED.pop().close()


def make_vote_app(tmp_path, levels=None, lang: str = "en") -> VoteApp:
    library = tutorial_library()
    sock = listen_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    return VoteApp(levels=levels or [library.level("first-call")], vote_room=VoteRoom(ROOM, code=CODE),
                   public_url=f"http://127.0.0.1:{port}", sock=sock, host="127.0.0.1", port=port,
                   library=library, store=Store(tmp_path / "room.sqlite3"), lang=lang, room=ROOM,
                   shuffle=False, poll_timeout=HTTP_WAIT)


def screen_open(app, number: int):
    def ready(screen) -> bool:
        room = app.vote_room
        return (isinstance(screen, VoteScreen) and room.status == OPEN and room.decision is not None
                and room.decision.number == number)
    return ready


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_thirty_phones_vote_and_the_trainer_plays_the_majority(tmp_path):
    app = make_vote_app(tmp_path)
    phones: list[Phone] = []
    async with app.run_test(size=(130, 44)) as pilot:
        screen = await wait_for_screen(pilot, VoteScreen, screen_open(app, 1), what="decision 1 open")
        room, base = app.vote_room, f"http://127.0.0.1:{app.port}"
        assert app.port and app.join_url == f"{base}/?code={CODE}"
        assert app.store.join_info(ROOM) == {"url": app.join_url, "code": CODE}  # for the scoreboard's `j`
        assert room.decision.round == 1

        # Thirty phones join with the code, concurrently.
        phones = [Phone(base) for _ in range(30)]
        joined = await asyncio.gather(*(p.join(f"phone {i}", lang="zh" if i % 2 else "en")
                                        for i, p in enumerate(phones)))
        assert all(status == 200 for status, _ in joined)
        assert len({d["token"] for _, d in joined}) == 30 and room.joined == 30

        # Each sees the open decision in its own language and votes: 17 · 9 · 4 (and none for 4).
        status, seen = await phones[0].state()
        assert status == 200 and seen["status"] == "open" and seen["me"]["nickname"] == "phone 0"
        decision = seen["decision"]
        assert [c["id"] for c in decision["choices"]] == ["ask-impact", "offer-refund", "blame-courier",
                                                         "ask-order-details"]
        assert decision["speaker"] == "Grace Wang" and decision["mine"] is None
        _, seen_zh = await phones[1].state()
        assert seen_zh["decision"]["text"] != decision["text"] and seen_zh["me"]["lang"] == "zh"
        plan = ["ask-impact"] * 17 + ["offer-refund"] * 9 + ["blame-courier"] * 4
        votes = await asyncio.gather(*(p.vote(decision["id"], c) for p, c in zip(phones, plan)))
        assert all(status == 200 and data["result"] == "ok" for status, data in votes)
        assert votes[20][1]["state"]["decision"]["mine"] == "offer-refund"

        # The projector counts them (it is never shown the split before the lock).
        await wait_for(pilot, lambda: "30 joined · 30 voted" in static_text(screen, "#counts"),
                       what="the projector to count 30 votes")
        assert not screen.query(VoteBars)

        # A second vote at the same decision is refused, whatever the card.
        status, data = await phones[0].vote(decision["id"], "offer-refund")
        assert status == 409 and data["error"] == "already" and data["state"]["decision"]["mine"] == "ask-impact"
        assert room.votes[phones[0].token] == "ask-impact" and room.voted == 30

        # A reload: a new session with the same token (localStorage) — or only the cookie.
        reloaded = Phone(base, token=phones[5].token)
        phones.append(reloaded)
        status, seen = await reloaded.state()
        assert status == 200 and seen["me"]["nickname"] == "phone 5" and seen["decision"]["mine"] == "ask-impact"
        status, data = await reloaded.vote(decision["id"], "blame-courier")
        assert status == 409 and data["error"] == "already"
        by_cookie = Phone(base)
        phones.append(by_cookie)
        by_cookie.session.cookie_jar.update_cookies({"mot_vote": phones[25].token})
        status, seen = await by_cookie.state()
        assert seen["me"]["token"] == phones[25].token and seen["decision"]["mine"] == "offer-refund"
        stranger = Phone(base, token="not-a-token-anyone-has")
        phones.append(stranger)
        assert (await stranger.state())[0] == 401
        assert (await stranger.vote(decision["id"], "ask-impact"))[0] == 401

        # Wrong codes are refused, and past five a client waits — even with the right code.
        intruder = Phone(base)
        phones.append(intruder)
        for wrong in ("1357", "0000", "", "24680", "9999"):
            status, data = await intruder.join("intruder", code=wrong)
            assert status == 403 and data["error"] == "bad_code"
        status, data = await intruder.join("intruder", code=CODE)
        assert status == 429 and data["error"] == "rate_limited" and data["retry_after"] > 0
        assert room.joined == 30

        # A phone waiting on the long-poll hears the lock at once.
        version = seen["version"]
        waiting = asyncio.create_task(phones[2].state(since=version))
        await pilot.press("l")
        status, seen = await asyncio.wait_for(waiting, HTTP_WAIT)
        assert status == 200 and seen["status"] == "locked" and seen["version"] > version
        assert [(s["count"], s["percent"]) for s in seen["split"]] == [(17, 57), (9, 30), (4, 13), (0, 0)]
        status, data = await phones[29].vote(decision["id"], "ask-impact")
        assert status == 409 and data["error"] == "already"  # the 30th had voted before the lock
        late = Phone(base)
        phones.append(late)
        assert (await late.join("late"))[0] == 429  # the same address as the intruder: still waiting
        room.join("late one")  # (a participant who joined without a vote yet)
        late.token = next(p.token for p in room.participants.values() if p.nickname == "late one")
        status, data = await late.vote(decision["id"], "ask-impact")
        assert status == 409 and data["error"] == "closed"

        # The projector shows the split as bars, with the majority.
        await wait_for(pilot, lambda: bool(screen.query(VoteBars)), what="the bars after the lock")
        bars = screen.query_one(VoteBars).rows
        assert [(r.number, r.count, r.percent, r.leader) for r in bars] == [
            (1, 17, 57, True), (2, 9, 30, False), (3, 4, 13, False), (4, 0, 0, False)]
        assert "Majority: card 1 (17 of 30)" in static_text(screen, "#hint")

        # Enter plays the majority; the consequence is revealed, on the projector and the phones.
        waiting = asyncio.create_task(phones[3].state(since=seen["version"]))
        await pilot.press("enter")
        await wait_for(pilot, lambda: room.status == REVEALED and bool(screen.query("#coach")),
                       what="the consequence on the projector")
        assert [m.choice for m in screen.state.moves] == ["ask-impact"] and screen.state.perception == 0
        assert "The class played card 1 (17 of 30 votes)." in static_text(screen, "#played")
        status, seen = await asyncio.wait_for(waiting, HTTP_WAIT)
        outcome = seen["outcome"]
        assert seen["status"] == "revealed" and outcome["choice"] == "ask-impact" and outcome["majority"]
        assert (outcome["before"], outcome["after"], outcome["n"]) == (-1, 0, 1)
        assert outcome["coach"] and outcome["thought"] and outcome["customer"]

        # r opens the next decision; three phones vote, and the trainer plays another card.
        await pilot.press("r")
        await wait_for_screen(pilot, VoteScreen, screen_open(app, 2), focus=False, what="decision 2 open")
        _, seen = await phones[0].state()
        second = seen["decision"]
        assert second["number"] == 2 and second["mine"] is None and second["id"] != decision["id"]
        for phone, choice in zip(phones, ["promise-thursday", "promise-thursday", "ask-what-success"]):
            assert (await phone.vote(second["id"], choice))[0] == 200
        assert (await phones[3].vote(decision["id"], "ask-impact"))[1]["error"] == "stale"
        await wait_for(pilot, lambda: room.voted == 3, what="three votes at decision 2")
        await pilot.press("l")
        await wait_for(pilot, lambda: room.status == LOCKED and bool(screen.query(VoteBars)),
                       what="the lock at decision 2")
        await pilot.press("1")  # the trainer overrules the majority
        await wait_for(pilot, lambda: room.status == REVEALED, what="the trainer's card revealed")
        assert room.outcome.choice == "ask-what-success" and not room.outcome.by_majority
        await wait_for(pilot, lambda: bool(screen.query("#played")), what="the played line")
        assert "The trainer played card 1 (the class gave it 1 of 3 votes)." in static_text(screen, "#played")

        # Every vote is in the store (written off the UI thread), one per participant and decision.
        await app.vote_server.flush()
        store = app.store
        rows = store.votes(ROOM)
        assert len(rows) == 33 and app.vote_server.stored_votes == 33
        first = [r for r in rows if r.decision == 1]
        assert len(first) == 30 and {r.round for r in rows} == {1} and {r.level_id for r in rows} == {"first-call"}
        assert sorted(r.choice for r in first) == sorted(plan)
        assert {r.nickname for r in first} == {f"phone {i}" for i in range(30)}
        assert [r.choice for r in rows if r.decision == 2].count("promise-thursday") == 2
        assert not store.record_vote(ROOM, 1, "first-call", 1, "call", phones[0].token, "offer-refund")
        assert len(store.participants(ROOM)) == 30 + 0  # "late one" joined on the projector side only

        # Quitting asks first; the phones then hear that the vote has ended.
        waiting = asyncio.create_task(phones[4].state(since=room.public_version))
        await pilot.press("q")
        await wait_for_screen(pilot, ConfirmScreen, what="the quit question")
        await pilot.press("y")
    status, seen = await asyncio.wait_for(waiting, HTTP_WAIT)
    assert status == 200 and seen["closing"] is True
    with pytest.raises(aiohttp.ClientConnectionError):
        await phones[0].state()  # the server stopped with the app

    # The export: one row per vote, with the nickname and the card's step.
    out = tmp_path / "votes.csv"
    assert mot(["results", "--db", str(tmp_path / "room.sqlite3"), "--room", ROOM, "--format", "votes",
                "-o", str(out)]) == 0
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert table[0] == ["room", "round", "level", "decision", "scene", "participant", "choice", "step",
                        "voted_at"]
    assert len(table) == 1 + 33
    row = next(r for r in table[1:] if r[5] == "phone 0" and r[3] == "1")
    assert row[:8] == [ROOM, "1", "first-call", "1", "call", "phone 0", "ask-impact", "explore"]
    assert sum(1 for r in table[1:] if r[3] == "1" and r[6] == "offer-refund") == 9


async def test_a_level_to_its_ending_and_the_run_in_the_room(tmp_path):
    app = make_vote_app(tmp_path, lang="zh")
    async with app.run_test(size=(130, 44)) as pilot:
        screen = await wait_for_screen(pilot, VoteScreen, screen_open(app, 1), focus=False)
        base = f"http://127.0.0.1:{app.port}"
        phones = [Phone(base) for _ in range(3)]
        for i, phone in enumerate(phones):
            assert (await phone.join(["[b]老板[/b] $accent", "Ann", "Bob"][i], lang="en"))[0] == 200
        # The projector refreshes as each join arrives: wait for all three, not the first one.
        await wait_for(pilot, lambda: "已加入 3 人 · 已投票 0 人" in static_text(screen, "#counts"),
                       what="the three phones counted")
        assert "[b]老板[/b] $accent" in static_text(screen, "#names")  # literally, not as markup
        await pilot.press("f2")  # the projector switches language; the open decision stays open
        await wait_for(pilot, lambda: bool(screen.query("#counts"))
                       and "3 joined · 0 voted" in static_text(screen, "#counts"), what="English")
        assert app.vote_room.status == OPEN and app.vote_room.decision.number == 1
        for n, choice in enumerate(FIRST_CALL_IDEAL, 1):
            await wait_for_screen(pilot, VoteScreen, screen_open(app, n), focus=False, what=f"decision {n}")
            serial = app.vote_room.decision.serial
            for phone in phones[:2]:
                assert (await phone.vote(serial, choice))[0] == 200
            await pilot.press("l")
            await wait_for(pilot, lambda: app.vote_room.status == LOCKED, what="the lock")
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.vote_room.status == REVEALED and bool(screen.query("#continue")),
                           what="the consequence")
            await pilot.press("r" if n % 2 else "enter")  # r, or Enter on the focused Continue
        await wait_for(pilot, lambda: app.vote_room.status == ENDED and bool(screen.query("#ending-score")),
                       what="the ending")
        _, seen = await phones[2].state()
        assert seen["status"] == "ended" and seen["ending"]["score"] == 3 and seen["decision"]["mine"] is None
        assert "+3" in static_text(screen, "#ending-score")
        runs = app.store.runs(room=ROOM)
        assert [(r.team, r.mode, r.mot_score) for r in runs] == [(CLASS_TEAM, "classroom", 3)]
        assert [m.choice for m in runs[0].moves] == FIRST_CALL_IDEAL
        await app.vote_server.flush()
        assert len(app.store.votes(ROOM)) == 10


async def test_the_page_is_one_self_contained_document(tmp_path):
    app = make_vote_app(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await wait_for_screen(pilot, VoteScreen, screen_open(app, 1), focus=False)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{app.port}/") as r:
                body = await r.text()
                assert r.status == 200 and r.content_type == "text/html"
                assert "default-src 'none'" in r.headers["Content-Security-Policy"]
                assert r.headers["Referrer-Policy"] == "no-referrer"
            async with http.post(f"http://127.0.0.1:{app.port}/join", data="not json") as r:
                assert r.status == 400
            async with http.post(f"http://127.0.0.1:{app.port}/join",
                                 json={"code": CODE, "nickname": "\x1b \u200b\x07", "lang": "en"}) as r:
                assert r.status == 400 and (await r.json())["error"] == "bad_name"
    assert body == PAGE
    assert 'name="viewport" content="width=device-width' in PAGE
    for external in ("src=", "href=", "@import", "url(", "//cdn", "@font-face"):
        assert external not in PAGE
    assert "innerHTML" not in PAGE and "textContent" in PAGE  # data never becomes HTML
    assert "加入课堂投票" in PAGE and "Join the class vote" in PAGE
    assert "localStorage" in PAGE and "X-Mot-Token" in PAGE


def test_the_qr_code_is_the_segno_matrix_in_half_blocks():
    import segno

    url = "http://192.168.1.20:8766/?code=2468"
    lines = qr_lines(url)
    matrix = [list(map(bool, row)) for row in segno.make(url, error="m", micro=False).matrix_iter(border=2)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    drawn = []
    for line in lines:
        drawn.append([top[ch] for ch in line])
        drawn.append([bottom[ch] for ch in line])
    assert drawn == matrix and len(lines) == (len(matrix) + 1) // 2 and len(lines[0]) == len(matrix[0])


def test_a_busy_port_is_a_plain_message_in_both_languages(tmp_path, capsys):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    try:
        code = mot(["classroom", "--vote", "--level", "first-call", "--db", str(tmp_path / "v.sqlite3"),
                    "--vote-host", "127.0.0.1", "--vote-port", str(port)])
    finally:
        holder.close()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"port {port} is already in use" in err and "--vote-port" in err
    assert f"端口 {port} 已被占用" in err


def test_an_address_that_cannot_be_used_is_named(tmp_path, capsys):
    code = mot(["classroom", "--vote", "--level", "first-call", "--db", str(tmp_path / "v.sqlite3"),
                "--vote-host", "256.1.1.1", "--vote-port", "8766"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "cannot listen on 256.1.1.1 port 8766" in err and "无法在 256.1.1.1 的端口 8766 上监听" in err


@pytest.mark.parametrize("argv, words", [
    (["--vote-port", "0"], "not a port"),
    (["--vote-port", "70000"], "not a port"),
    (["--public-url", "http://0.0.0.0:1"], "not a public URL"),
])
def test_vote_options_are_checked(argv, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        mot(["classroom", "--vote", "--level", "first-call", *argv])
    assert stopped.value.code == 2 and words in capsys.readouterr().err


def test_vote_mode_needs_a_level_and_no_teams(tmp_path, capsys):
    assert mot(["classroom", "--vote", "--db", str(tmp_path / "v.sqlite3")]) == 2
    assert "--level ID or --campaign ID" in capsys.readouterr().err
    assert mot(["classroom", "--vote", "--teams", "a,b", "--level", "first-call"]) == 2
    assert "--teams" in capsys.readouterr().err
    assert mot(["results", "--format", "votes", "--db", str(tmp_path / "v.sqlite3")]) == 2
    assert "--room" in capsys.readouterr().err
