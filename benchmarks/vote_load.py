"""Vote mode under load, beside `mot serve`: what a class of N costs the trainer's machine.

Vote mode (`mot classroom --vote`): the vote server runs in a subprocess of its own — the real
`VoteRoom` and `VoteServer` with a store, plus a headless "projector" that opens each decision,
waits for every vote, locks, plays the majority and opens the next, to the level's ending. This
process plays N phones (aiohttp sessions): they join with the code (all at once), long-poll
`/state`, and vote at every decision, each within a 2-second window after it opens (people do
not all tap in the same millisecond). Measured, for N = 50, 200, 500:
- join: the wall time for all N to join, and each request's time (median, p95);
- vote → projector: from the moment a phone sends POST /vote to the moment the server-side
  room object has the vote (both sides read CLOCK_MONOTONIC, the same clock across processes);
- the server process's RSS (at the end, and its peak) and its CPU time over the run.

`mot serve` (unless `--no-serve`): one textual-serve process per browser tab. For 10, 20 and 30
tabs opened at once: each tab's time from its websocket to its first painted screen, then its
time from the key "1" (after typing a team name and passing the briefing) to the move in the
room's database (what `mot scoreboard` shows); the RSS summed over the server and every tab
process, and their CPU time.

Printed as tables and ratios; nothing is asserted.

    python benchmarks/vote_load.py [--sizes 50,200,500] [--tabs 10,20,30] [--no-serve]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import aiohttp

CODE = "2468"
VOTE_WINDOW = 2.0  # each phone votes within this many seconds after a decision opens
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB, from /proc."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in found:
                found[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found["VmRSS"], found["VmHWM"]


# -- the vote server, in its own process -----------------------------------------------------------

async def serve_votes(n: int, level_id: str, db: str) -> None:
    from game.engine import Game
    from game.library import load_library
    from game.scoring import score
    from game.store import Store
    from game.vote.room import VoteRoom, decision_for, ending_for, outcome_for
    from game.vote.server import VoteServer

    level = load_library().level(level_id)
    room = VoteRoom("bench", code=CODE)
    store = Store(db)
    server = VoteServer(room, store=store, store_room="bench")
    seen: dict[str, float] = {}  # "token/serial" → when the room had the vote
    counted = asyncio.Event()
    state = {"votes": 0}

    def on_change(public: bool) -> None:
        if not public and len(room.votes) > state["votes"]:
            state["votes"] = len(room.votes)
            token = next(reversed(room.votes))
            seen[f"{token}/{room.decision.serial}"] = time.monotonic()
            if state["votes"] >= n:
                counted.set()

    room.subscribe(on_change)
    port = await server.start(host="127.0.0.1", port=0)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"port": port}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # "go": the phones have joined
    game = Game(level, seed=None)
    game_state = game.start()
    decisions = 0
    waited = []
    while not game_state.finished:
        counted.clear()
        state["votes"] = 0
        room.open(decision_for(level, game, game_state, 1))
        opened = time.monotonic()
        try:
            await asyncio.wait_for(counted.wait(), 120)
        except asyncio.TimeoutError:
            pass
        waited.append(time.monotonic() - opened)
        room.lock()
        choice_id = (room.majority() or room.decision.options[0]).id
        choice = next(c for c in game.offered(game_state) if c.id == choice_id)
        game_state = game.take(game_state, choice)
        room.reveal(outcome_for(level, choice, game_state.moves[-1], True))
        decisions += 1
        await asyncio.sleep(0.2)  # the trainer reads the consequence out
    room.end(ending_for(level, game_state, score(level, game_state)))
    await server.flush()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    rss, peak = rss_mb()
    await loop.run_in_executor(None, sys.stdin.readline)  # "stop"
    await server.stop()
    stored = len(store.votes("bench"))
    store.close()
    print(json.dumps({"seen": seen, "rss": rss, "peak": peak, "decisions": decisions,
                      "cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
                      "stored": stored, "waited": waited}), flush=True)


# -- the phones -------------------------------------------------------------------------------------

async def phone_run(base: str, i: int, sent: dict, join_times: list, rng: random.Random) -> None:
    async with aiohttp.ClientSession(base_url=base) as http:
        start = time.monotonic()
        async with http.post("/join", json={"code": CODE, "nickname": f"p{i}", "lang": "en"}) as r:
            data = await r.json()
        join_times.append(time.monotonic() - start)
        headers = {"X-Mot-Token": data["token"]}
        version = -1
        voted: set[int] = set()
        while True:
            async with http.get("/state", params={"since": str(version)}, headers=headers,
                                timeout=aiohttp.ClientTimeout(total=120)) as r:
                state = await r.json()
            version = state["version"]
            if state["status"] == "ended" or state.get("closing"):
                return
            d = state["decision"]
            if state["status"] == "open" and d and d["id"] not in voted:
                voted.add(d["id"])
                await asyncio.sleep(rng.uniform(0, VOTE_WINDOW))
                choices = [c["id"] for c in d["choices"]]
                weights = [5] + [2] * (len(choices) - 1)
                choice = rng.choices(choices, weights)[0]
                sent[f"{data['token']}/{d['id']}"] = time.monotonic()
                async with http.post("/vote", json={"decision": d["id"], "choice": choice},
                                     headers=headers) as r:
                    await r.read()


async def vote_load(n: int, level_id: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--_server", str(n), level_id, str(Path(tmp) / "bench.sqlite3"),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=1 << 26)
        try:
            port = json.loads(await server.stdout.readline())["port"]
            base = f"http://127.0.0.1:{port}"
            sent: dict[str, float] = {}
            join_times: list[float] = []
            rng = random.Random(n)
            start = time.monotonic()
            tasks = [asyncio.create_task(phone_run(base, i, sent, join_times, rng)) for i in range(n)]
            while len(join_times) < n:
                failed = [t for t in tasks if t.done() and t.exception()]
                if failed:
                    raise failed[0].exception()
                await asyncio.sleep(0.01)
            join_all = time.monotonic() - start
            server.stdin.write(b"go\n")
            await server.stdin.drain()
            await asyncio.gather(*tasks)
            server.stdin.write(b"stop\n")
            await server.stdin.drain()
            report = json.loads(await server.stdout.readline())
        finally:
            if server.returncode is None:
                try:
                    await asyncio.wait_for(server.wait(), 30)
                except asyncio.TimeoutError:
                    server.kill()
                    await server.wait()
    latencies = [(report["seen"][k] - t) * 1000 for k, t in sent.items() if k in report["seen"]]
    return {"n": n, "join_all": join_all, "join50": pct(join_times, .5) * 1000,
            "join95": pct(join_times, .95) * 1000, "lat50": pct(latencies, .5),
            "lat95": pct(latencies, .95), "votes": len(latencies), "stored": report["stored"],
            "decisions": report["decisions"], "rss": report["rss"], "peak": report["peak"],
            "cpu": report["cpu"]}


# -- mot serve: one process per tab -----------------------------------------------------------------

def descendants(root: int) -> list[int]:
    """`root` and every process below it (tabs run in their own sessions, but stay children)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


async def serve_tab(port: int, key: str, team: str, db: Path, result: dict) -> None:
    """One browser tab: open the websocket, wait for the first screen, type the team name, pass
    the briefing, press 1, and time the move's arrival in the room's database. Each key waits
    for the app to answer the one before (a frame after it, then quiet)."""
    import sqlite3

    frames: list[tuple[float, int]] = []
    try:
        async with aiohttp.ClientSession() as http:
            start = time.monotonic()
            async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?key={key}&width=100&height=30",
                                       max_msg_size=0, heartbeat=30) as ws:
                async def reader() -> None:
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.BINARY:
                            frames.append((time.monotonic(), len(message.data)))

                reading = asyncio.create_task(reader())

                async def settle(after: float, quiet: float = 1.0, limit: float = 180.0) -> None:
                    while time.monotonic() - after < limit:
                        if frames and frames[-1][0] > after and time.monotonic() - frames[-1][0] >= quiet:
                            return
                        await asyncio.sleep(0.05)

                while sum(size for _, size in frames) < 2000 and time.monotonic() - start < 180:
                    await asyncio.sleep(0.01)  # the first screen, painted
                result["join"] = frames[0][0] - start if frames else float("nan")
                await settle(start)
                for keys in (team + "\r", "\r"):
                    sent = time.monotonic()
                    await ws.send_str(json.dumps(["stdin", keys]))
                    await settle(sent)
                pressed = time.monotonic()
                await ws.send_str(json.dumps(["stdin", "1"]))
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
                try:
                    while time.monotonic() - pressed < 120:
                        try:
                            row = conn.execute("SELECT moves FROM live WHERE room = 'bench' AND team = ?",
                                               (team,)).fetchone()
                        except sqlite3.Error:
                            row = None
                        if row and row[0] >= 1:
                            result["move"] = time.monotonic() - pressed
                            break
                        await asyncio.sleep(0.01)
                finally:
                    conn.close()
                result["ready"].set()
                await result["release"].wait()
                reading.cancel()
    finally:
        result["ready"].set()


async def _output(*command: str) -> str:
    proc = await asyncio.create_subprocess_exec(*command, cwd=str(ROOT), stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return out.decode("utf-8", "replace")


async def serve_load(tabs: int, level_id: str) -> dict:
    import socket

    from served_terminal import page_answers

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "serve.sqlite3"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        key = secrets.token_urlsafe(16)
        command = [sys.executable, "-m", "game", "serve", "--room", "bench", "--db", str(db), "--port",
                   str(port), "--host", "127.0.0.1", "--key", key, "--max-tabs", str(tabs + 5),
                   "--timer", "0", "--level", level_id, "--lang", "en"]
        if "--create" in await _output(sys.executable, "-m", "game", "serve", "--help"):
            command.append("--create")  # a new room in a new database
        log = Path(tmp) / "serve.log"
        server = await asyncio.create_subprocess_exec(*command, cwd=str(ROOT), stdout=asyncio.subprocess.DEVNULL,
                                                      stderr=log.open("wb"))
        try:
            async with aiohttp.ClientSession() as http:
                if not await page_answers(http, f"http://127.0.0.1:{port}/?key={key}",
                                          lambda: server.returncode is not None):
                    raise SystemExit(f"mot serve stopped: {log.read_text()[-2000:]}")
            cpu_before = sum(cpu_seconds(p) for p in descendants(server.pid))
            release = asyncio.Event()
            results = [{"ready": asyncio.Event(), "release": release} for _ in range(tabs)]
            tasks = [asyncio.create_task(serve_tab(port, key, f"team{i}", db, results[i]))
                     for i in range(tabs)]
            await asyncio.wait_for(asyncio.gather(*(r["ready"].wait() for r in results)), 900)
            pids = descendants(server.pid)
            rss = sum(rss_mb(p)[0] for p in pids)
            cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
            release.set()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            if server.returncode is None:
                server.send_signal(signal.SIGINT)  # RoomServer ends every tab's process group
                try:
                    await asyncio.wait_for(server.wait(), 60)
                except asyncio.TimeoutError:
                    server.kill()
                    await server.wait()
    joins = [r["join"] for r in results if "join" in r]
    moves = [r["move"] * 1000 for r in results if "move" in r]
    return {"n": tabs, "join50": pct(joins, .5), "join95": pct(joins, .95), "lat50": pct(moves, .5),
            "lat95": pct(moves, .95), "moved": len(moves), "rss": rss, "processes": len(pids), "cpu": cpu}


# -- the report -------------------------------------------------------------------------------------

async def main(args) -> None:
    sizes = [int(x) for x in args.sizes.split(",") if x]
    tabs = [int(x) for x in args.tabs.split(",") if x]
    print(f"vote mode: one server process; N phones join at once and vote at every decision of "
          f"{args.level} (each within {VOTE_WINDOW:.0f} s of its opening)")
    print(f"{'N':>5} {'join all':>9} {'join p50/p95 ms':>16} {'vote→room p50/p95 ms':>21} "
          f"{'votes':>6} {'RSS MB':>7} {'peak MB':>8} {'CPU s':>6}")
    votes = []
    for n in sizes:
        r = await vote_load(n, args.level)
        votes.append(r)
        print(f"{n:>5} {r['join_all']:>8.2f}s {r['join50']:>7.1f}/{r['join95']:<8.1f} "
              f"{r['lat50']:>10.1f}/{r['lat95']:<10.1f} {r['votes']:>6} {r['rss']:>7.1f} "
              f"{r['peak']:>8.1f} {r['cpu']:>6.2f}", flush=True)
        if r["stored"] != r["votes"]:
            print(f"      (stored {r['stored']} of {r['votes']} votes)")
    serves = []
    if not args.no_serve:
        print("\nmot serve: one textual-serve process per tab; N tabs open at once, each types a team "
              "name, passes the briefing and presses 1")
        print(f"{'tabs':>5} {'first paint p50/p95 s':>22} {'key→room p50/p95 ms':>20} {'procs':>6} "
              f"{'RSS sum MB':>11} {'CPU s':>7}")
        for n in tabs:
            r = await serve_load(n, args.level)
            serves.append(r)
            print(f"{n:>5} {r['join50']:>10.2f}/{r['join95']:<11.2f} {r['lat50']:>9.1f}/{r['lat95']:<10.1f} "
                  f"{r['processes']:>6} {r['rss']:>11.1f} {r['cpu']:>7.1f}", flush=True)
    print("\nratios")
    for r in votes:
        print(f"  vote, N={r['n']}: {r['rss'] / r['n']:.2f} MB and {1000 * r['cpu'] / max(1, r['n']):.1f} ms CPU "
              f"per participant")
    for r in serves:
        print(f"  serve, {r['n']} tabs: {r['rss'] / r['n']:.1f} MB and {1000 * r['cpu'] / r['n']:.0f} ms CPU per tab")
    if votes and serves:
        v, s = votes[0], serves[-1]
        print(f"  memory per participant, serve ({s['n']} tabs) ÷ vote (N={v['n']}): "
              f"{(s['rss'] / s['n']) / (v['rss'] / v['n']):.0f}×; whole machine, serve {s['n']} tabs ÷ "
              f"vote {votes[-1]['n']} phones: {s['rss'] / votes[-1]['rss']:.1f}×")
        print(f"  choice → projector median, serve ÷ vote: {s['lat50'] / max(0.01, v['lat50']):.0f}×")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_server":
        asyncio.run(serve_votes(int(sys.argv[2]), sys.argv[3], sys.argv[4]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500", help="participants per vote run")
    parser.add_argument("--tabs", default="10,20,30", help="mot serve tabs per run")
    parser.add_argument("--no-serve", action="store_true", help="skip the mot serve part")
    parser.add_argument("--level", default="first-call")
    asyncio.run(main(parser.parse_args()))
