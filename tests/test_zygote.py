"""The zygote (game.zygote) that `mot serve` forks its tabs from: what a forked tab gets (its own
session, the memory limit, exactly the environment and command sent, the pipes as 0/1/2 and no
other fd, fresh random state), that its children are reaped, that it does not outlive the
server, and that without it the server still starts tabs, as plain processes. Real processes,
real forks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from game.zygote import ForkedTab, ForkServer, ZygoteUnavailable

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self").exists(),
                                reason="the zygote forks (POSIX), and these tests read /proc")

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "ZYGOTE_TEST": "1"}

REPORT = r'''
import json, os, random, resource, stat, sys
fds = sorted(int(n) for n in os.listdir("/proc/self/fd"))
line = sys.stdin.readline()
sys.stderr.write("err:" + line)
print(json.dumps({
    "argv": sys.argv, "env": dict(os.environ), "pid": os.getpid(), "ppid": os.getppid(),
    "pgid": os.getpgid(0), "sid": os.getsid(0), "as": resource.getrlimit(resource.RLIMIT_AS)[0],
    "pipes": [stat.S_ISFIFO(os.fstat(fd).st_mode) for fd in (0, 1, 2)], "fds": fds,
    "line": line, "random": random.random()}))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
'''


@contextlib.asynccontextmanager
async def zygote(modules=("json", "random")):
    server = ForkServer(list(modules), ENV)
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def run_report(server: ForkServer, script: Path, *args: str, env=None, memory=None):
    tab = await ForkedTab.open(server, [sys.executable, str(script), *args], env or ENV, memory)
    tab.stdin.write(b"hello\n")
    await tab.stdin.drain()
    out = await asyncio.wait_for(tab.stdout.read(), 30)
    err = await asyncio.wait_for(tab.stderr.read(), 30)
    code = await asyncio.wait_for(tab.wait(), 30)
    return tab, json.loads(out), err.decode(), code


def gone(pid: int) -> bool:
    """Not there, or a zombie nobody reaps yet (its parent's business, checked apart)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def until(condition, seconds: float = 20, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "report.py"
    path.write_text(REPORT, encoding="utf-8")
    return path


async def test_a_forked_tab_gets_its_own_session_limit_environment_command_and_pipes(script):
    env = {**ENV, "COLUMNS": "123", "ROWS": "45"}
    async with zygote() as server:
        tab, seen, err, code = await run_report(server, script, "3", "--x", env=env,
                                                memory=512 * 1024 * 1024)
        assert code == 3 and tab.returncode == 3
        assert seen["pid"] == tab.pid and seen["ppid"] == server.pid
        assert seen["sid"] == seen["pgid"] == tab.pid != os.getpgid(0)
        assert seen["as"] == 512 * 1024 * 1024
        assert seen["env"] == env  # exactly what was sent
        assert seen["argv"] == [str(script), "3", "--x"]
        assert seen["pipes"] == [True, True, True] and seen["fds"][:3] == [0, 1, 2]
        assert len(seen["fds"]) == 4  # and the one listing /proc/self/fd: nothing inherited
        assert seen["line"] == "hello\n" and err == "err:hello\n"
        await until(lambda: gone(tab.pid) and not Path(f"/proc/{tab.pid}").exists(),
                    what="the zygote left a zombie")


async def test_forked_tabs_draw_different_random_numbers(script):
    async with zygote() as server:
        draws = [(await run_report(server, script))[1]["random"] for _ in range(2)]
    assert draws[0] != draws[1]


async def test_an_environment_that_differs_at_import_is_refused(script):
    async with zygote() as server:
        with pytest.raises(ZygoteUnavailable, match="TEXTUAL_FPS"):
            await ForkedTab.open(server, [sys.executable, str(script)],
                                 {**ENV, "TEXTUAL_FPS": "5"}, None)
        with pytest.raises(ZygoteUnavailable, match="plain command"):
            await ForkedTab.open(server, ["/bin/sh", "-c", "true"], ENV, None)
        assert (await run_report(server, script))[3] == 0  # it goes on


async def test_the_zygote_exits_when_the_server_closes_or_dies(tmp_path):
    async with zygote() as server:
        pid = server.pid
        server._forget()  # the server's end closes
        await until(lambda: server.process.poll() is not None, what="the zygote stayed")
        assert server.process.returncode == 0
    # A server killed outright: the kernel closes its end, and the zygote leaves too.
    parent = subprocess.Popen(
        [sys.executable, "-c", "import os, sys, time\nfrom game.zygote import ForkServer\n"
         "z = ForkServer(['json'], dict(os.environ)); z.start(); print(z.pid, flush=True)\n"
         "time.sleep(300)"], env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        assert not gone(pid)
        parent.kill()
        parent.wait()
        await until(lambda: gone(pid), what="the zygote outlived its server")
    finally:
        parent.kill()
        parent.wait()


async def test_without_the_zygote_tabs_are_plain_processes(tmp_path):
    from tests.test_serve import KEY, report, running, url

    async with running(tmp_path) as server, aiohttp.ClientSession() as session:
        async def parent_of_a_tab() -> int:
            async with session.ws_connect(url(server, "/ws", key=KEY)) as ws:
                first = await report(ws)
                assert first["sid"] == first["pgid"] != os.getpgid(0)  # its own group, either way
                leader = Path(f"/proc/{first['pgid']}/stat").read_text()
                return int(leader.rsplit(")", 1)[1].split()[1])  # who started the group

        first = server.zygote.server.pid
        assert await parent_of_a_tab() == first
        os.kill(first, signal.SIGKILL)  # a dead zygote is started again, once
        await until(lambda: not server.zygote.server.alive)
        second = await parent_of_a_tab()
        assert second == server.zygote.server.pid != first and server.zygote.restarted
        os.kill(second, signal.SIGKILL)
        await until(lambda: not server.zygote.server.alive)
        assert await parent_of_a_tab() == os.getpid()  # then: plain processes, and the tab plays
        assert server.zygote.said
