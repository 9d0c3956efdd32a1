"""A fork server ("zygote") for `mot serve`'s tabs: one long-lived child of the server that has
imported Textual and the game once, and forks a tab for each browser tab, instead of each tab
starting a Python and importing everything again (most of a tab's start, in CPU and time).

    python -m game.zygote FD MODULE...      (started by `ForkServer.start`, never by hand)

The zygote imports the MODULEs, then waits on the Unix socket FD (SOCK_SEQPACKET: one message
is one request). A request is JSON — `argv` (a Python command line, `[python, -m, module, …]`
or `[python, script, …]`), `env`, `memory` (an RLIMIT_AS in bytes, or null) — with the tab's
stdin, stdout and stderr as SCM_RIGHTS. The zygote forks; the child starts its own session,
takes the limit, the three fds as 0/1/2 (and no other), exactly `env`, fresh random state and
default signal handlers, runs the command as `python` would, and leaves with `os._exit`. The
zygote answers `{"pid": N}` (or `{"error": …}`), reaps its children and reports each exit
(`{"exited": N, "code": C}`). It exits when the server's end of the socket closes.

The zygote stays single-threaded and starts no event loop, no database and no thread: a fork
copies only the thread that forks. Modules read some environment variables when imported
(textual.constants), so the zygote refuses a request whose environment differs from its own in
anything but RUNTIME_ONLY; the server then starts that tab as a plain process.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import signal
import socket
import subprocess
import sys

log = logging.getLogger("textual-serve")

MAX_MESSAGE = 1 << 20
RUNTIME_ONLY = frozenset({"COLUMNS", "ROWS"})  # read when a tab runs, never at import
SPAWN_TIMEOUT = 30.0


# -- the zygote -------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[0]))
    import importlib

    for name in argv[1:]:
        importlib.import_module(name)
    import gc

    gc.freeze()  # the preloaded objects stay out of the children's collections (fewer copies)
    serve(sock)
    return 0


def serve(sock: socket.socket) -> None:
    """Answer spawn requests until the server closes its end."""
    base_env = dict(os.environ)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that the wakeup fd is written
    signal.set_wakeup_fd(wake_w)
    import select

    try:
        while True:
            readable, _, _ = select.select([sock, wake_r], [], [])
            if wake_r in readable:
                while _drained(wake_r):
                    pass
                _reap(sock)
            if sock in readable:
                try:
                    data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 3)
                except ConnectionError:
                    return
                if not data:
                    return  # the server is gone: so is the zygote
                reply = _spawn(data, fds, base_env, sock)
                _send(sock, reply)
    except BrokenPipeError:
        return


def _drained(fd: int) -> bool:
    try:
        return bool(os.read(fd, 512))
    except BlockingIOError:
        return False


def _reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


def _spawn(data: bytes, fds: list[int], base_env: dict, sock: socket.socket) -> dict:
    try:
        request = json.loads(data)
        argv, env, memory = request["argv"], request["env"], request.get("memory")
        if len(fds) != 3:
            return {"error": f"{len(fds)} file descriptors, not 3"}
        plain = len(argv) >= 2 and argv[0] == sys.executable and (
            argv[1] == "-m" and len(argv) >= 3 or not argv[1].startswith("-"))
        if not plain:
            return {"error": f"not a plain command of this Python: {argv[:2]}"}
        differs = sorted(k for k in env.keys() | base_env.keys()
                         if env.get(k) != base_env.get(k) and k not in RUNTIME_ONLY)
        if differs:
            return {"error": f"environment differs in {', '.join(differs)}"}
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(argv, env, memory, fds, sock)  # never returns
        return {"pid": pid}
    except Exception as exc:  # a bad request must not end the zygote
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        for fd in fds:
            os.close(fd)


def _child(argv: list[str], env: dict, memory: int | None, fds: list[int],
           sock: socket.socket) -> None:
    """The forked tab: its own session, limit, fds, environment; the command; `os._exit`."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session and group: the server signals the whole group
        if memory:
            import resource

            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        sock.detach()  # its fd is closed below; the object must not close a reused number later
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        os.environ.clear()
        os.environ.update(env)
        import random

        random.seed()  # not the zygote's (and every sibling's) state
        import atexit

        atexit._clear()  # the zygote's handlers are not this tab's
        _fresh_stdio()
        code = _run_as_python(argv[1:])
        _finish()
    except SystemExit as leaving:
        code = _exit_code(leaving.code)
        _finish()
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fresh_stdio() -> None:
    """stdin/stdout/stderr as a new interpreter makes them over fds 0, 1 and 2."""
    encoding = sys.stdout.encoding
    sys.stdin = sys.__stdin__ = open(0, "r", encoding=encoding, closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding=encoding, closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", encoding=encoding, errors="backslashreplace", buffering=1,
                                       closefd=False)


def _run_as_python(args: list[str]) -> int:
    """What `python ARGS` does: `-m MODULE …` or `SCRIPT …`, as `__main__`."""
    import runpy

    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]  # runpy puts the module's file in sys.argv[0]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        script = os.path.abspath(args[0])
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(script)
        runpy.run_path(script, run_name="__main__")
    return 0


def _finish() -> None:
    """What an interpreter does on its way out: wait for its threads, run atexit."""
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


# -- the server's side --------------------------------------------------------------------------

class ZygoteUnavailable(Exception):
    """The zygote cannot start this tab (it is gone, or refused): start a plain process."""


class ForkServer:
    """The server's handle on its zygote: starts it, asks it for tabs, learns of their exits.
    The zygote ends when `stop` closes the socket, or when the server process ends."""

    def __init__(self, modules: list[str] | tuple[str, ...], env: dict[str, str]) -> None:
        self.modules = list(modules)
        self.env = env
        self.process: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self._replies: collections.deque[asyncio.Future] = collections.deque()
        self._tabs: dict[int, ForkedTab] = {}
        self._early_exits: dict[int, int] = {}  # exits reported before their tab was watched
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def alive(self) -> bool:
        return self.sock is not None and self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the zygote (it imports in the background; the first request waits for it).
        Raises OSError when it cannot be started."""
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            raise OSError("no fork here")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "game.zygote", str(theirs.fileno()), *self.modules],
                pass_fds=[theirs.fileno()], env=self.env, stdin=subprocess.DEVNULL,
                start_new_session=True)  # Ctrl+C in the terminal is the server's to handle
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours

    def stop(self, timeout: float = 5.0) -> None:
        """Close the socket (the zygote exits on that) and reap it. Its tabs are the server's to
        end, by their process groups."""
        self._forget()
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _forget(self) -> None:
        """The zygote is gone (or going): no more replies or exit reports will come."""
        if self.sock is not None:
            if self._loop is not None:
                self._loop.remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        self._loop = None
        while self._replies:
            future = self._replies.popleft()
            if not future.done():
                future.set_exception(ZygoteUnavailable("the zygote is gone"))
        for tab in list(self._tabs.values()):
            tab._orphaned()
        self._tabs.clear()

    async def spawn(self, argv: list[str], env: dict[str, str], memory: int | None,
                    fds: tuple[int, int, int]) -> int:
        """Ask for a tab with `fds` as its stdin, stdout, stderr; its pid. The caller closes
        `fds` after. Raises ZygoteUnavailable."""
        if not self.alive:
            raise ZygoteUnavailable("the zygote is not running")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            loop.add_reader(self.sock.fileno(), self._readable)
        message = json.dumps({"argv": argv, "env": env, "memory": memory}).encode()
        if len(message) > MAX_MESSAGE:
            raise ZygoteUnavailable("the request is too long")
        future = loop.create_future()
        try:
            socket.send_fds(self.sock, [message], list(fds))
        except OSError as exc:
            self._forget()
            raise ZygoteUnavailable(f"the zygote is gone ({exc})") from exc
        self._replies.append(future)
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), SPAWN_TIMEOUT)
        except asyncio.TimeoutError:
            raise ZygoteUnavailable("the zygote did not answer") from None
        if "pid" not in reply:
            raise ZygoteUnavailable(reply.get("error", "no pid"))
        return reply["pid"]

    def watch(self, tab: ForkedTab) -> None:
        if tab.pid in self._early_exits:
            tab._exited(self._early_exits.pop(tab.pid))
        else:
            self._tabs[tab.pid] = tab

    def _readable(self) -> None:
        try:
            data = self.sock.recv(MAX_MESSAGE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            log.warning("the zygote (pid %s) ended", self.pid)
            self._forget()
            return
        message = json.loads(data)
        if "exited" in message:
            tab = self._tabs.pop(message["exited"], None)
            if tab is not None:
                tab._exited(message["code"])
            else:
                self._early_exits[message["exited"]] = message["code"]
        elif self._replies:
            future = self._replies.popleft()
            if not future.done():
                future.set_result(message)


class ForkedTab:
    """A tab the zygote forked, as AppService uses an `asyncio.subprocess.Process`: `pid`,
    `stdin` (StreamWriter), `stdout`/`stderr` (StreamReader), `returncode`, `wait()`, signals."""

    UNKNOWN_EXIT = 255  # the zygote that could tell went first

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader) -> None:
        self.pid = pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None
        self._done = asyncio.Event()
        self._poller: asyncio.Task | None = None

    @classmethod
    async def open(cls, zygote: ForkServer, argv: list[str], env: dict[str, str],
                   memory: int | None) -> ForkedTab:
        """Pipes, a fork by the zygote, and asyncio streams over the pipes' server ends."""
        loop = asyncio.get_running_loop()
        (in_r, in_w), (out_r, out_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
        try:
            pid = await zygote.spawn(argv, env, memory, (in_r, out_w, err_w))
        except BaseException:
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            raise
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        readers = []
        for fd in (out_r, err_r):
            reader = asyncio.StreamReader(loop=loop)
            await loop.connect_read_pipe(lambda r=reader: asyncio.StreamReaderProtocol(r),
                                         open(fd, "rb", buffering=0))
            readers.append(reader)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.streams.FlowControlMixin(loop=loop), open(in_w, "wb", buffering=0))
        tab = cls(pid, asyncio.StreamWriter(transport, protocol, None, loop), *readers)
        if zygote.alive:
            zygote.watch(tab)
        else:
            tab._orphaned()
        return tab

    def _exited(self, code: int) -> None:
        if self.returncode is None:
            self.returncode = code
            self.stdin.close()
            self._done.set()

    def _orphaned(self) -> None:
        """No exit report will come: watch the process itself."""
        if self.returncode is None and self._poller is None:
            self._poller = asyncio.ensure_future(self._poll())

    async def _poll(self) -> None:
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return self._exited(self.UNKNOWN_EXIT)
            except PermissionError:
                pass
            await asyncio.sleep(0.1)

    async def wait(self) -> int:
        await self._done.wait()
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
