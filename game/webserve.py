"""The classroom in the browser, hardened: textual-serve's server (aiohttp, one subprocess per
browser tab) with

- a room key: the page and the websocket answer only a request that carries it (`?key=` on the
  page; the page sets it as an HttpOnly, SameSite=Strict cookie, which the browser sends with
  the websocket the page opens — textual-serve's JavaScript appends `?width=…&height=…` to the
  websocket URL, so the key cannot ride in that URL's query). A non-browser client may give
  `?key=` on `/ws` directly. Keys are compared with `hmac.compare_digest`;
- an Origin check on the websocket: a browser's `Origin` must be the public URL's or the
  listening address's (a missing one — not a browser — passes with the key);
- a cap on live tabs: past it the page says the room is full (HTTP 503) and the websocket is
  refused;
- terminal sizes clamped to 10…400 columns × 5…200 rows, at the start and on every resize;
- one process group (session) per tab, with an address-space limit; when the websocket closes
  the tab is asked to quit, then its whole group gets SIGTERM and, after a grace, SIGKILL;
- with `preload`, tabs forked by a zygote (game.zygote) that has imported those modules once,
  so a tab's start costs a fork, not a Python start; a plain process when it cannot.

The page itself is ours (`index_page`), not textual-serve's template, which loads a font from
the internet: it uses only the server's own files (textual-serve's script, style sheet and the
Roboto Mono it ships, under /static), so a classroom without internet access, or a browser
that blocks third parties, sees the same page; its few words are in both languages.

It knows nothing of the TUI: it runs whatever command it is given (`mot serve` gives it
`mot classroom … --ask-team`).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import time
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .i18n import t
from .zygote import ForkedTab, ForkServer, ZygoteUnavailable

log = logging.getLogger("textual-serve")

MIN_COLUMNS, MAX_COLUMNS = 10, 400
MIN_ROWS, MAX_ROWS = 5, 200
DEFAULT_MAX_TABS = 60
MAX_TABS_LIMIT = 1000
DEFAULT_TAB_MEMORY_MB = 1024
KILL_GRACE = 2.0
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,128}")
MAX_MESSAGE = 1 << 20  # a websocket message from the browser: keystrokes, a paste, a resize


def new_key() -> str:
    """A fresh room key: 16 random bytes, URL-safe."""
    return secrets.token_urlsafe(16)


def valid_key(key: str) -> bool:
    return bool(KEY_RE.fullmatch(key))


class PortBusy(OSError):
    """The address to listen on is taken (another program, or another `mot serve`)."""


def check_listen(host: str, port: int) -> None:
    """Bind `host`:`port` once and let it go, as the server will (SO_REUSEADDR): raises
    PortBusy when another socket listens there, OSError for an address that cannot be used."""
    import errno
    import socket

    try:
        addresses = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise OSError(errno.EADDRNOTAVAIL, exc.strerror or str(exc)) from exc
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            if hasattr(socket, "SO_REUSEADDR") and os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise PortBusy(exc.errno, exc.strerror) from exc
                raise


def index_page(*, title: str, websocket_url: str, static_url: str, font_size: int = 16) -> str:
    """The page every tab opens: textual-serve's terminal, with nothing from another site."""
    e = html.escape
    start = " / ".join(e(t("serve.page_start", lang)) for lang in ("zh", "en"))
    ended = " / ".join(e(t("serve.page_ended", lang)) for lang in ("zh", "en"))
    restart = " / ".join(e(t("serve.page_restart", lang)) for lang in ("zh", "en"))
    static = e(static_url)
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<script src="{static}js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }}
body {{ background: #0c181f; margin: 0; }}
.dialog-container {{ position: absolute; width: 100vw; height: 100vh; display: flex;
  align-items: center; justify-content: center; z-index: 10; }}
.shade {{ position: absolute; width: 100%; height: 100%; background: #0c181f; }}
.intro {{ width: 640px; max-width: 90vw; min-height: 200px; font-size: 16px; z-index: 20;
  font-family: "Roboto Mono", menlo, monospace; text-align: center; color: rgba(255, 255, 255, 0.95);
  background-color: #12232d; display: flex; flex-direction: column; align-items: center;
  justify-content: center; margin: 32px; padding: 16px; }}
body.-first-byte .intro-dialog, body.-first-byte .intro-dialog .shade {{ opacity: 0; display: none; }}
body .textual-terminal {{ opacity: 0; transition: opacity 0.3s ease-out; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
button {{ padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95); border: none;
  font-family: "Roboto Mono", menlo, monospace; margin: 16px; display: block; cursor: pointer; }}
button:hover {{ background: #ac5af4; }}
.closed-dialog {{ opacity: 0; display: none; }}
body.-closed .closed-dialog {{ opacity: 1; display: flex; }}
#start {{ display: none; }}
#start.-delay {{ display: flex; }}
</style>
<script>
function getStartUrl() {{
  const url = new URL(window.location.href);
  const params = new URLSearchParams(url.search);
  params.delete("delay");
  return url.pathname + "?" + params.toString();
}}
function refresh() {{ window.location.href = getStartUrl(); }}
</script>
</head>
<body>
<div class="dialog-container intro-dialog"><div class="shade"></div>
  <div class="intro"><div>{e(title)}</div>
  <button type="button" onclick="refresh()" id="start">{start}</button></div></div>
<div class="dialog-container closed-dialog"><div class="shade"></div>
  <div class="intro"><div class="message">{ended}</div>
  <button type="button" onclick="refresh()">{restart}</button></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{e(websocket_url)}"
     data-font-size="{int(font_size)}"></div>
</body>
</html>
"""


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_unspecified(host: str) -> bool:
    """0.0.0.0 or :: — a place to listen, never an address a browser can reach."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _bounded(value: Any, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        number = default
    else:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            number = default
    return max(low, min(high, number))


def clamp_size(width: Any, height: Any) -> tuple[int, int]:
    """A terminal size a client asked for, as whole cells within 10…400 × 5…200 (80×24 for
    what is not a number)."""
    return (_bounded(width, 80, MIN_COLUMNS, MAX_COLUMNS),
            _bounded(height, 24, MIN_ROWS, MAX_ROWS))


def origin_of(url: str) -> str | None:
    """`scheme://host:port` of a URL, lower-cased and with the default port spelled out, or
    None for what is not an http(s) origin (such as the `null` origin)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    port = port or (443 if scheme == "https" else 80)
    return f"{scheme}://{url_host(parts.hostname.lower())}:{port}"


def _memory_limit(megabytes: int) -> tuple[int, int] | None:
    """The RLIMIT_AS (soft, hard) that caps a tab at `megabytes`, or None where there is none."""
    if not megabytes:
        return None
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return None
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ValueError, OSError):
        return None
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    return limit, hard


def _memory_limiter(megabytes: int) -> Callable[[], None] | None:
    """A `preexec_fn` that caps the child's address space, or None where that is not possible."""
    limits = _memory_limit(megabytes)
    if limits is None:
        return None
    import resource

    limit, hard = limits

    def apply() -> None:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            pass

    return apply


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def tab_environment(debug: bool = False) -> dict[str, str]:
    """The environment textual-serve gives a tab (COLUMNS and ROWS aside)."""
    return AppService._build_environment(SimpleNamespace(debug=debug))  # it reads only .debug


class Zygote:
    """The room's fork server: restarted once if it dies; when it cannot start a tab, the tab
    is a plain process, and the log says so once."""

    def __init__(self, modules: Sequence[str], env: dict[str, str]) -> None:
        self.server = ForkServer(modules, env)
        self.restarted = False
        self.said = False

    def start(self) -> None:
        try:
            self.server.start()
        except OSError as error:
            self.fell_back(f"the zygote did not start ({error})")

    def ready(self) -> ForkServer | None:
        if not self.server.alive and self.server.process is not None and not self.restarted:
            self.restarted = True
            self.server.stop(0.5)
            self.start()
        if self.server.alive:
            return self.server
        self.fell_back("the zygote is gone")
        return None

    def fell_back(self, reason: str) -> None:
        if not self.said:
            self.said = True
            log.warning("tabs start as plain processes: %s", reason)

    def stop(self) -> None:
        self.server.stop()


class TabService(AppService):
    """One tab's process: its own session and process group, a memory limit, a clamped size,
    and a stop that does not leave the group behind."""

    def __init__(self, command: str, *, memory_mb: int = DEFAULT_TAB_MEMORY_MB,
                 grace: float = KILL_GRACE, zygote: Zygote | None = None, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.memory_mb = memory_mb
        self.grace = grace
        self.zygote = zygote
        self.pgid: int | None = None
        self._stopped = False

    async def _open_app_process(self, width: int = 80, height: int = 24):
        width, height = clamp_size(width, height)
        environment = self._build_environment(width=width, height=height)
        forks = self.zygote.ready() if self.zygote is not None else None
        if forks is not None:
            limit = _memory_limit(self.memory_mb)
            try:
                self._process = process = await ForkedTab.open(
                    forks, shlex.split(self.command), environment, limit and limit[0])
            except ZygoteUnavailable as reason:
                self.zygote.fell_back(str(reason))
            else:
                self.pgid = process.pid  # the zygote's child leads its own session and group
                self._stdin = process.stdin
                return process
        options: dict[str, Any] = {}
        limiter = _memory_limiter(self.memory_mb)
        if limiter is not None:
            options["preexec_fn"] = limiter
        if hasattr(os, "killpg"):
            options["start_new_session"] = True
        self._process = process = await asyncio.create_subprocess_shell(
            self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=environment, **options)
        if options.get("start_new_session"):
            self.pgid = process.pid  # a session leader leads its own group
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        width, height = clamp_size(width, height)
        await self.send_meta({"type": "resize", "width": width, "height": height})

    async def _wait_exit(self, timeout: float) -> bool:
        process = self._process
        if process is None or process.returncode is not None:
            return True
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def _wait_group_gone(self, timeout: float) -> bool:
        assert self.pgid is not None
        deadline = time.monotonic() + timeout
        while _group_exists(self.pgid):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def stop(self) -> None:
        """Ask the app to quit; then SIGTERM its whole group, and SIGKILL what is left after
        the grace. Safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is not None and process.returncode is None and self._stdin is not None:
            await self.send_meta({"type": "quit"})
            await self._wait_exit(self.grace)
        if self.pgid is not None:
            _signal_group(self.pgid, signal.SIGTERM)
            if not await self._wait_group_gone(self.grace):
                _signal_group(self.pgid, signal.SIGKILL)
        elif process is not None and process.returncode is None:
            process.kill()
        await self._wait_exit(self.grace)
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, self.grace)
            except asyncio.TimeoutError:
                pass  # wait_for cancelled the reader
            self._task = None

    def kill_now(self) -> None:
        """SIGKILL the whole group at once (the server is going away)."""
        if self.pgid is not None:
            _signal_group(self.pgid, signal.SIGKILL)
        elif self._process is not None and self._process.returncode is None:
            self._process.kill()


class RoomServer(Server):
    """textual-serve's `Server` for one classroom room; see the module's docstring."""

    def __init__(self, command: str, *, room: str, key: str, host: str = "127.0.0.1",
                 port: int = 8000, public_url: str | None = None, title: str | None = None,
                 max_tabs: int = DEFAULT_MAX_TABS, tab_memory_mb: int = DEFAULT_TAB_MEMORY_MB,
                 kill_grace: float = KILL_GRACE, preload: Sequence[str] | None = None) -> None:
        """`preload`: the modules a zygote imports once to fork tabs from (None: no zygote,
        every tab a new process)."""
        if not valid_key(key):
            raise ValueError("the room key must be 8 to 128 URL-safe characters")
        listening = None if is_unspecified(host) else f"http://{url_host(host)}:{port}"
        public_url = (public_url or listening or "").rstrip("/")
        if origin_of(public_url) is None or is_unspecified(urlsplit(public_url).hostname or ""):
            raise ValueError(f"no public URL browsers can reach (host {host!r})")
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.room = room
        self.key = key
        self.max_tabs = max_tabs
        self.tab_memory_mb = tab_memory_mb
        self.kill_grace = kill_grace
        self.cookie_name = f"mot_key_{port}"
        self.origins = {o for o in (origin_of(public_url), listening and origin_of(listening)) if o}
        self.live = 0  # websockets admitted and not yet finished
        self.tabs: dict[web.WebSocketResponse, TabService | None] = {}
        self.preload = preload
        self.zygote: Zygote | None = None

    @property
    def join_url(self) -> str:
        return f"{self.public_url}/?key={self.key}"

    # -- the checks ---------------------------------------------------------------------------

    def key_ok(self, request: web.Request) -> bool:
        given = request.query.get("key") or request.cookies.get(self.cookie_name) or ""
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.key.encode("utf-8"))

    def origin_ok(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser; the key still has to be right
        normal = origin_of(origin)
        if normal is None:
            return False
        if normal in self.origins:
            return True
        # Listening on loopback: localhost and 127.0.0.1 on the same port are the same page.
        parts = urlsplit(normal)
        return (is_loopback(self.host) and parts.scheme == "http"
                and is_loopback(parts.hostname or "") and parts.port == self.port)

    @property
    def full(self) -> bool:
        return self.live >= self.max_tabs

    def _page(self, status: int, what: str) -> web.Response:
        """The plain bilingual page for a refused request (403 no key, 503 room full)."""
        room = html.escape(self.room)
        paragraphs = "".join(
            f'<h1 lang="{lang}">{html.escape(t(f"serve.{what}_title", lang))}</h1>'
            f'<p lang="{lang}">{html.escape(t(f"serve.{what}", lang, room=self.room, n=self.max_tabs))}</p>'
            for lang in ("zh", "en"))
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8">'
                f"<title>Moment of Truth · 关键时刻 · {room}</title></head>"
                f'<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">'
                f"{paragraphs}</body></html>")
        response = web.Response(status=status, text=body, content_type="text/html",
                                charset="utf-8")
        response.headers["Cache-Control"] = "no-store"
        if status == 503:
            response.headers["Retry-After"] = "30"
        return response

    def _refusal(self, status: int, what: str) -> web.Response:
        text = " / ".join(t(f"serve.{what}", lang, room=self.room, n=self.max_tabs)
                          for lang in ("zh", "en"))
        return web.Response(status=status, text=text + "\n", charset="utf-8")

    # -- the routes ---------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.on_cleanup.append(self._on_cleanup)
        if self.preload is not None and self.zygote is None:
            self.zygote = Zygote(self.preload, tab_environment(self.debug))
            self.zygote.start()
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: `mot serve` prints its own start line, with the join URL."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.key_ok(request):
            return self._page(403, "forbidden")
        if self.full:
            return self._page(503, "full")
        try:
            font_size = max(6, min(64, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        public = urlsplit(self.public_url)
        socket_scheme = "wss" if public.scheme == "https" else "ws"
        prefix = public.path.rstrip("/")
        page = index_page(title=self.title, font_size=font_size,
                          websocket_url=f"{socket_scheme}://{public.netloc}{prefix}/ws",
                          static_url=f"{prefix}/static/")
        response = web.Response(text=page, content_type="text/html", charset="utf-8")
        response.set_cookie(self.cookie_name, self.key, httponly=True, samesite="Strict",
                            secure=self.public_url.startswith("https:"), path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the key is in the page's URL
        response.headers["X-Frame-Options"] = "DENY"
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.key_ok(request):
            return self._refusal(403, "forbidden")
        return await super().handle_download(request)

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        """The browser's messages, as textual-serve's protocol has them (`["stdin", text]`,
        `["resize", {width, height}]`, `["ping", x]`, `["blur"]`, `["focus"]`); malformed
        ones are dropped, sizes clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*clamp_size(data.get("width"),
                                                                data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.key_ok(request) or not self.origin_ok(request):
            return self._refusal(403, "forbidden")
        if self.full:
            return self._refusal(503, "full")
        self.live += 1  # no await since the check: two tabs cannot both take the last place
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        self.tabs[websocket] = None
        service: TabService | None = None
        try:
            width, height = clamp_size(request.query.get("width", 80),
                                       request.query.get("height", 24))
            await websocket.prepare(request)
            service = TabService(self.command, write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=websocket.close,
                                 download_manager=self.download_manager, debug=self.debug,
                                 memory_mb=self.tab_memory_mb, grace=self.kill_grace,
                                 zygote=self.zygote)
            self.tabs[websocket] = service
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            if service is not None:
                service.kill_now()
            raise
        except Exception:  # one tab's trouble must not stop the room
            log.exception("a tab failed")
        finally:
            try:
                if service is not None:
                    await service.stop()
                if not websocket.closed:
                    await websocket.close()
            finally:
                self.live -= 1
                self.tabs.pop(websocket, None)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops: close every tab's websocket (its handler then ends its process)."""
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY) for ws in list(self.tabs)),
                             return_exceptions=True)

    async def _on_cleanup(self, app: web.Application) -> None:
        for service in list(self.tabs.values()):
            if service is not None:
                service.kill_now()
        if self.zygote is not None:
            self.zygote.stop()

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C, as textual-serve does, without the access log (its lines would
        print every tab's key)."""
        self.debug = debug
        self.initialize_logging()
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        except NotImplementedError:
            pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                    loop=loop, print=lambda *args: None, access_log=None, shutdown_timeout=10)
