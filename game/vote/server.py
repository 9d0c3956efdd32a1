"""The phones' side of vote mode: a small aiohttp app on the projector's own event loop.

    GET  /          the page (`page.PAGE`: inline CSS and JavaScript, nothing external)
    POST /join      {code, nickname, lang}           → {token, nickname, lang}
    GET  /state     ?since=VERSION&lang=zh|en        → the room as this participant sees it
    POST /vote      {decision, choice}               → {result, state}

`/state` is a long-poll: with `since` equal to the room's public version it waits (up to
`poll_timeout` seconds) for the next change a phone must see — a decision opened, locked,
revealed, the level ended — and answers at once otherwise. Votes do not wake the phones (the
voter gets its own answer from `/vote`), so a room of 500 is not woken 500 times per decision.

The participant is known by its token, sent as the `X-Mot-Token` header (the page keeps it in
localStorage) or the HttpOnly, SameSite=Strict cookie set at join — a reload, or a new tab on
the same phone, is the same participant with the same vote. The join code is the credential:
wrong codes are counted per client address (`FailureLimiter`) and refused with 429 past the
limit. Every text is data: the page puts it in with `textContent`, never as HTML.

Writes to the store (participants, votes) go to one worker thread, in order, off the loop, so
a busy disk never stalls the projector; the room in memory has the vote at once.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from ..i18n import meter_text, step_name
from ..model import Text
from .page import PAGE
from .room import (
    ACCEPTED,
    ENDED,
    LANGS,
    LOCKED,
    REVEALED,
    FailureLimiter,
    JoinRefused,
    VoteRoom,
    percentages,
)

log = logging.getLogger("mot.vote")

TOKEN_HEADER = "X-Mot-Token"
COOKIE = "mot_vote"
COOKIE_AGE = 12 * 3600
POLL_TIMEOUT = 25.0
MAX_BODY = 16 * 1024
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")
STATUS = {ACCEPTED: 200, "already": 409, "closed": 409, "stale": 409, "unknown_choice": 400,
          "unknown_participant": 401}


def lan_ip() -> str:
    """This machine's address on the LAN, found without sending anything (a UDP socket's
    `connect` only picks a route); 127.0.0.1 when there is no network."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    return address or "127.0.0.1"


def _text(value: Text | None, lang: str) -> str:
    return value.get(lang) if value else ""


class VoteServer:
    def __init__(self, room: VoteRoom, *, store=None, store_room: str | None = None,
                 poll_timeout: float = POLL_TIMEOUT, limiter: FailureLimiter | None = None,
                 secure_cookie: bool = False,
                 on_store_error: Callable[[Exception], None] | None = None) -> None:
        self.room = room
        self.store = store
        self.store_room = store_room or room.name
        self.poll_timeout = poll_timeout
        self.limiter = limiter or FailureLimiter()
        self.secure_cookie = secure_cookie
        self.on_store_error = on_store_error
        self.runner: web.AppRunner | None = None
        self.port: int | None = None
        self.closing = False
        self._wake = asyncio.Event()
        self._writer: ThreadPoolExecutor | None = None
        self._writes: set[asyncio.Future] = set()
        self.stored_votes = 0  # votes the store accepted (for tests and the benchmark)
        room.subscribe(self._on_change)

    # -- the app ------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get("/", self.handle_page)
        app.router.add_post("/join", self.handle_join)
        app.router.add_get("/state", self.handle_state)
        app.router.add_post("/vote", self.handle_vote)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def start(self, sock: socket.socket | None = None, host: str = "127.0.0.1",
                    port: int = 0) -> int:
        """Serve on `sock` (already bound: the command line checked the port) or on host:port;
        returns the port (the real one when asked for port 0)."""
        self.runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=2.0)
        await self.runner.setup()
        if sock is not None:
            site: web.BaseSite = web.SockSite(self.runner, sock)
        else:
            site = web.TCPSite(self.runner, host, port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or ([sock] if sock is not None else [])
        self.port = sockets[0].getsockname()[1] if sockets else port
        return self.port

    async def stop(self) -> None:
        """Answer the waiting phones, stop listening, and finish the store writes."""
        self.closing = True
        self._wake_all()
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()
        await self.flush()
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.shutdown(wait=False)

    async def _on_shutdown(self, app: web.Application) -> None:
        self.closing = True
        self._wake_all()

    # -- room changes -------------------------------------------------------------------------
    def _on_change(self, public: bool) -> None:
        if public:
            self._wake_all()

    def _wake_all(self) -> None:
        event, self._wake = self._wake, asyncio.Event()
        event.set()

    # -- the store, off the loop --------------------------------------------------------------
    def _store_write(self, action, *args) -> None:
        if self.store is None:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mot-vote-store")
        future = asyncio.get_running_loop().run_in_executor(self._writer, action, *args)
        self._writes.add(future)
        future.add_done_callback(self._written)

    def _written(self, future: asyncio.Future) -> None:
        self._writes.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.warning("a vote-mode write failed: %s", error)
            if self.on_store_error is not None:
                self.on_store_error(error)
        elif future.result() is True:
            self.stored_votes += 1

    async def flush(self) -> None:
        """Wait for every store write started so far."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _json(data: dict, status: int = 200) -> web.Response:
        response = web.json_response(data, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _error(self, status: int, error: str, **extra) -> web.Response:
        return self._json({"error": error, **extra}, status)

    @staticmethod
    def _token(request: web.Request) -> str | None:
        token = request.headers.get(TOKEN_HEADER) or request.cookies.get(COOKIE) or ""
        return token if 0 < len(token) <= 64 else None

    @staticmethod
    async def _body(request: web.Request) -> dict | None:
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError, web.HTTPException):
            return None
        return data if isinstance(data, dict) else None

    # -- routes -------------------------------------------------------------------------------
    async def handle_page(self, request: web.Request) -> web.Response:
        response = web.Response(text=PAGE, content_type="text/html", charset="utf-8")
        response.headers.update({
            "Cache-Control": "no-store", "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"})
        return response

    async def handle_join(self, request: web.Request) -> web.Response:
        client = request.remote or "?"
        wait = self.limiter.blocked(client)
        if wait > 0:
            response = self._error(429, "rate_limited", retry_after=int(wait) + 1)
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        body = await self._body(request)
        if body is None:
            return self._error(400, "bad_request")
        if not self.room.check_code(body.get("code")):
            self.limiter.fail(client)
            return self._error(403, "bad_code")
        lang = body.get("lang") if body.get("lang") in LANGS else "zh"
        known = self.room.participant(self._token(request))
        try:
            person = self.room.join(body.get("nickname"), lang,
                                    token=known.token if known else None)
        except JoinRefused as refused:
            return self._error(503 if refused.reason == "full" else 400, refused.reason)
        self._store_write(self.store and self.store.join_participant, self.store_room,
                          person.token, person.nickname, person.lang)
        response = self._json({"token": person.token, "nickname": person.nickname,
                               "lang": person.lang})
        response.set_cookie(COOKIE, person.token, max_age=COOKIE_AGE, path="/", httponly=True,
                            samesite="Strict", secure=self.secure_cookie)
        return response

    async def handle_state(self, request: web.Request) -> web.Response:
        person = self.room.participant(self._token(request))
        if person is None:
            return self._error(401, "unknown_participant")
        lang = request.query.get("lang")
        if lang in LANGS and lang != person.lang:
            person.lang = lang
            self._store_write(self.store and self.store.join_participant, self.store_room,
                              person.token, person.nickname, lang)
        try:
            since = int(request.query.get("since", "-1"))
        except ValueError:
            since = -1
        if since == self.room.public_version and not self.closing:
            wake = self._wake
            try:
                await asyncio.wait_for(wake.wait(), self.poll_timeout)
            except asyncio.TimeoutError:
                pass
        return self._json(self.state_for(person.token))

    async def handle_vote(self, request: web.Request) -> web.Response:
        token = self._token(request)
        person = self.room.participant(token)
        if person is None:
            return self._error(401, "unknown_participant")
        body = await self._body(request)
        if body is None:
            return self._error(400, "bad_request")
        result = self.room.vote(token, body.get("decision"), body.get("choice"))
        if result == ACCEPTED:
            d = self.room.decision
            self._store_write(self.store and self.store.record_vote, self.store_room, d.round,
                              d.level_id, d.number, d.scene, token, body["choice"])
        payload = {"result": result, "state": self.state_for(token)}
        if result != ACCEPTED:
            payload["error"] = result
        return self._json(payload, STATUS.get(result, 400))

    # -- what a phone sees --------------------------------------------------------------------
    def state_for(self, token: str) -> dict[str, Any]:
        room = self.room
        person = room.participant(token)
        lang = person.lang if person else "zh"
        state: dict[str, Any] = {
            "version": room.public_version, "status": room.status, "closing": self.closing,
            "joined": room.joined,
            "me": {"nickname": person.nickname, "lang": lang, "token": person.token} if person else None,
            "decision": None, "split": None, "outcome": None, "ending": None,
        }
        d = room.decision
        if d is not None:
            state["decision"] = {
                "id": d.serial, "number": d.number, "round": d.round,
                "title": _text(d.title, lang), "speaker": _text(d.speaker, lang),
                "role": _text(d.role, lang), "text": _text(d.text, lang),
                "event": _text(d.event, lang),  # what happened on entering the scene ("" if none)
                "choices": [{"n": n, "id": o.id, "text": _text(o.text, lang)}
                            for n, o in enumerate(d.options, 1)],
                "mine": room.vote_of(token),
            }
            if room.status in (LOCKED, REVEALED):
                split = room.split()
                shares = percentages([n for _, n in split])
                state["split"] = [{"n": i, "id": o.id, "count": n, "percent": p}
                                  for i, ((o, n), p) in enumerate(zip(split, shares), 1)]
        o = room.outcome
        if o is not None and room.status == REVEALED:
            state["outcome"] = {
                "choice": o.choice, "n": d.index(o.choice) if d else 0, "text": _text(o.text, lang),
                "step": step_name(o.step, lang) if o.step else "", "majority": o.by_majority,
                "meter": meter_text(o.before, o.after, o.delta, lang), "before": o.before,
                "after": o.after, "coach": _text(o.feedback, lang),
                "customer": _text(o.customer, lang), "thought": _text(o.thought, lang),
            }
        e = room.ending
        if e is not None and room.status == ENDED:
            state["ending"] = {"title": _text(e.title, lang), "text": _text(e.text, lang),
                               "score": e.mot_score, "label": e.labels.get(lang, "")}
        return state


class CannotListen(Exception):
    """The vote port cannot be used: `busy` when another socket holds it."""

    def __init__(self, host: str, port: int, error: OSError | str, busy: bool = False) -> None:
        super().__init__(str(error))
        self.host, self.port, self.error, self.busy = host, port, error, busy


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: one the system picks), bound here so that a
    busy port is known before the projector's screen takes over the terminal."""
    import errno

    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise CannotListen(host, port, getattr(error, "strerror", None) or str(error)) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if hasattr(socket, "SO_REUSEADDR") and hasattr(socket, "fork"):  # POSIX: TIME_WAIT only
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
            try:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except OSError:
                pass
        sock.bind(address)
        sock.listen(512)
        sock.setblocking(False)
    except OSError as error:
        sock.close()
        raise CannotListen(host, port, error.strerror or str(error),
                           busy=error.errno == errno.EADDRINUSE) from None
    return sock
