"""`mot serve` under a classroom's load, beside a minimal Textual app served the same way.

For each N (tabs), `mot serve` is started on a fresh room and N headless tabs open its
websocket at once (scripts/served_terminal.py: textual-serve's protocol, no browser). Each tab
types its team's name, passes the briefing, and plays the level to its debrief pressing "1"
then Enter, at a person's pace (a key every `--pace` seconds, tabs out of step) or in a burst
(each key as soon as the screen before it is drawn). Measured:
- key → screen: from sending a key to the piece of output that draws the settled screen (the
  coach note's Continue after a choice; the next scene's "move n", or the debrief, after
  Enter): median and p95 over every key of every tab, then by kind of key (a choice, Enter to
  the next scene, Enter to the debrief);
- tab start: from opening the websocket to the team-name screen drawn (median), and the CPU
  time of the tab processes by then, per tab;
- memory: the PSS of every tab process (`/proc/PID/smaps_rollup`), per tab, once all are in
  their first scene;
- the zygote (game.zygote, where the tabs are forked from, when the checkout has one): its CPU
  and PSS once all tabs are in their first scene, on a line of its own — it is not a tab;
- CPU: server and tabs, over the whole run, per tab (one level each).
The minimal app (a Static and a Footer that answer the same keys with the same words) is
served by the same server class with the same client in the same run: its row is the floor.
With `--shape`, the scene screen's shape (benchmarks/move_cpu.py: the scene's layout in plain
Statics, the level's own words; the same words appear where the cards or the note go) is served
the same way too: what Textual costs a served move on a screen of this shape.

Then the CPU of a move in-process (benchmarks/move_cpu.py: `App.run_test`, one level, beside a
minimal app).

    python benchmarks/serve_load.py [--tabs 1,5,10] [--runs 1] [--burst] [--pace 2] [--shape]
                                    [--root DIR]   # another checkout (before/after)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))

LEVEL = "innocent-messenger"
SIZE = (100, 30)
TICKS = os.sysconf("SC_CLK_TCK")
MARKS = {"start": "team's name", "briefing": "Start ▸", "note": "Continue ▸",
         "debrief": "Moment-of-truth score"}


# -- processes ------------------------------------------------------------------------------
def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def cpu_seconds(pid: int, children: bool = True) -> float:
    """utime + stime (and the reaped children's, so tabs that ended still count)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / TICKS


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def zygote_pid(server: int) -> int | None:
    """The server's zygote (its child running game.zygote), if it has one."""
    for pid in descendants(server):
        try:
            words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if b"game.zygote" in words and parent == server:
            return pid
    return None


def tab_pids(server: int) -> list[int]:
    """The tabs' Python processes (a shell in between, if any, and the zygote are left out)."""
    pids, zygote = [], zygote_pid(server)
    for pid in descendants(server):
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if "python" in Path(exe).name and pid != zygote:
            pids.append(pid)
    return pids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the minimal app, and its server ----------------------------------------------------------
def minimal_app(moves: int, shape: bool = False) -> None:
    """A Static and a Footer answering the keys a tab sends with the words the client waits for;
    with `shape`, that Static sits in the scene screen's shape (see the module's docstring)."""
    from textual.app import App
    from textual.widgets import Footer, Static

    if shape:
        from game.library import load_library
        from move_cpu import SHAPE_CSS, shape_compose, shape_texts

        level = load_library(HERE.parent / "levels").level(LEVEL)
        cards, note = shape_texts(level, "en")

    where = "#play" if shape else "#screen"  # the Static the marks are written in

    class Stage(Static):
        def update(self, text: str = "") -> None:  # the shape: the level's words below the mark
            super().update(text if not shape else f"{text}\n\n{note if MARKS['note'] in text else cards}")

    class Minimal(App):
        CSS = SHAPE_CSS if shape else ""
        BINDINGS = [("1", "hit('1')", "Choose"), ("enter", "hit('enter')", "Continue")]

        def compose(self):
            if shape:
                for widget in shape_compose(level, "", "en"):
                    yield Stage(MARKS["start"], id="play") if widget.id == "play" else widget
                return
            yield Static(MARKS["start"], id="screen")
            yield Footer()

        def on_mount(self) -> None:
            self.phase, self.n = "team", 0

        def on_key(self, event) -> None:
            if self.phase == "team" and event.key == "enter":
                self.phase = "briefing"
                self.query_one(where, Static).update(MARKS["briefing"])
            elif self.phase == "briefing" and event.key == "enter":
                self.phase, self.n = "scene", 1
                self.query_one(where, Static).update(f"move {self.n}")

        def action_hit(self, key: str) -> None:
            screen = self.query_one(where, Static)
            if self.phase == "scene" and key == "1":
                self.phase = "note"
                screen.update(f"move {self.n} · {MARKS['note']}")
            elif self.phase == "note" and key == "enter":
                self.n += 1
                self.phase = "scene" if self.n <= moves else "debrief"
                screen.update(f"move {self.n}" if self.n <= moves else MARKS["debrief"])

    Minimal().run()


def serve_minimal(port: int, key: str, moves: int, shape: bool = False) -> None:
    from game.webserve import RoomServer

    command = " ".join(shlex.quote(p) for p in (sys.executable, str(Path(__file__).resolve()),
                                                "--minimal-app", str(moves), *(["--shape-app"] if shape else [])))
    RoomServer(command, room="bench", key=key, port=port, max_tabs=1000, title="minimal").serve()


# -- one tab --------------------------------------------------------------------------------
async def play_tab(http, port: int, key: str, team: str, pace: float, burst: bool, out: dict,
                   started: asyncio.Event, go: asyncio.Event) -> None:
    from served_terminal import ServedTab

    times = out.setdefault("keys", [])
    by_kind = out.setdefault("by_kind", {})  # "choice", "scene", "debrief": what the key drew
    opened = time.monotonic()
    async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?key={key}&width={SIZE[0]}&height={SIZE[1]}",
                               max_msg_size=0, heartbeat=60) as ws:
        tab = ServedTab(ws)
        shown = await tab.drawn(MARKS["start"], 0, limit=300)
        if shown is None:
            out["failed"] = "no first screen"
            started.set()
            return
        out["start"] = shown - opened
        started.set()
        await go.wait()
        await asyncio.sleep(random.uniform(0, pace) if not burst else 0)

        async def press(text: str, mark: str, alt: str | None = None) -> str | None:
            sent_at = time.monotonic()
            since = await tab.send(text)
            waits = [asyncio.create_task(tab.drawn(m, since, limit=120)) for m in (mark, alt) if m]
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in waits:
                task.cancel()
            results = [(t.result(), m) for t, m in zip(waits, (mark, alt)) if t in done and t.result()]
            if not results:
                return None
            at, which = min(results)
            times.append(at - sent_at)
            kind = ("choice" if which == MARKS["note"] else "debrief" if which == MARKS["debrief"]
                    else "scene" if which.startswith("move ") else None)
            if kind:
                by_kind.setdefault(kind, []).append(at - sent_at)
            if not burst:
                await asyncio.sleep(max(0.0, pace - (time.monotonic() - sent_at)))
            return which

        if await press(team + "\r", MARKS["briefing"]) is None:
            out["failed"] = "no briefing"
            return
        times.clear()  # typing a name is not a move
        if await press("\r", "move 1") is None:
            out["failed"] = "no scene"
            return
        out["in_scene"] = True
        for n in range(1, 60):
            if await press("1", MARKS["note"]) is None:
                out["failed"] = f"no note at move {n}"
                return
            which = await press("\r", f"move {n + 1}", MARKS["debrief"])
            if which is None:
                out["failed"] = f"nothing after the note of move {n}"
                return
            if which == MARKS["debrief"]:
                out["moves"] = n
                return


# -- one row ----------------------------------------------------------------------------------
async def run_row(kind: str, tabs: int, pace: float, burst: bool, root: Path) -> dict:
    import aiohttp
    from served_terminal import page_answers

    port, key = free_port(), "k" + secrets.token_urlsafe(12)  # never "-…": it goes on a command line
    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    env = {**os.environ, "PYTHONPATH": str(root), "MOT_DATA_DIR": str(work),
           "XDG_DATA_HOME": str(work), "TEXTUAL_ANIMATIONS": os.environ.get("TEXTUAL_ANIMATIONS", "full")}
    if kind == "mot":
        command = [sys.executable, "-m", "game", "serve", "--room", "bench", "--db", str(work / "mot.sqlite3"),
                   "--create", "--level", LEVEL, "--seed", "7", "--lang", "en", "--port", str(port),
                   "--key", key, "--max-tabs", "1000"]
    else:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve-minimal", str(port), key,
                   *(["--shape-app"] if kind == "shape" else [])]
    server = subprocess.Popen(command, cwd=str(root), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    results = [dict() for _ in range(tabs)]
    try:
        async with aiohttp.ClientSession() as http:
            # the server is up when its page answers
            if not await page_answers(http, f"http://127.0.0.1:{port}/?key={key}",
                                      lambda: server.poll() is not None, limit=60):
                raise SystemExit(f"serve_load: the {kind} server did not start: "
                                 f"{server.stderr.read().decode(errors='replace')[-2000:]}")
            cpu0 = cpu_seconds(server.pid, children=False)
            seen: dict[int, float] = {}  # tab pid → its CPU when last seen (a killed tab is not
            # reaped by the server, so its CPU never reaches the server's children's times)

            async def sample() -> None:
                while True:
                    for pid in tab_pids(server.pid):
                        seen[pid] = max(seen.get(pid, 0.0), cpu_seconds(pid, children=False))
                    await asyncio.sleep(0.25)

            sampler = asyncio.create_task(sample())
            starts = [asyncio.Event() for _ in range(tabs)]
            go = asyncio.Event()
            t0 = time.monotonic()
            players = [asyncio.create_task(play_tab(http, port, key, f"team{i}", pace, burst, results[i],
                                                    starts[i], go)) for i in range(tabs)]
            await asyncio.gather(*(s.wait() for s in starts))
            all_started = time.monotonic() - t0
            pids = tab_pids(server.pid)
            start_cpu = sum(cpu_seconds(p, children=False) for p in pids)
            go.set()
            # Memory once every tab is in its first scene (or done, or failed).
            deadline = time.monotonic() + 120
            while (time.monotonic() < deadline and not all(r.get("in_scene") or r.get("failed") for r in results)):
                await asyncio.sleep(0.2)
            pids = tab_pids(server.pid)
            memory = sum(pss_mb(p) for p in pids)
            zygote = zygote_pid(server.pid)
            zygote_use = (cpu_seconds(zygote, children=False), pss_mb(zygote)) if zygote else None
            await asyncio.gather(*players, return_exceptions=True)
            for pid in tab_pids(server.pid):
                seen[pid] = max(seen.get(pid, 0.0), cpu_seconds(pid, children=False))
            sampler.cancel()
            cpu = cpu_seconds(server.pid, children=False) - cpu0 + sum(seen.values())
            wall = time.monotonic() - t0
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    keys = [k for r in results for k in r.get("keys", [])]
    by_kind: dict[str, list[float]] = {}
    for r in results:
        for kind, values in r.get("by_kind", {}).items():
            by_kind.setdefault(kind, []).extend(values)
    failed = [r["failed"] for r in results if r.get("failed")]
    return {"keys": keys, "start": [r["start"] for r in results if "start" in r], "all_started": all_started,
            "start_cpu": start_cpu / max(1, len(pids)), "memory": memory, "tabs_seen": len(pids),
            "cpu": cpu, "wall": wall, "failed": failed, "moves": [r.get("moves") for r in results],
            "zygote": zygote_use, "by_kind": by_kind}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", default="1,5,10")
    parser.add_argument("--runs", type=int, default=1, help="runs per row (the median run is shown)")
    parser.add_argument("--pace", type=float, default=2.0, help="seconds between a tab's keys")
    parser.add_argument("--burst", action="store_true", help="each key as soon as the screen is drawn")
    parser.add_argument("--root", default=str(HERE.parent), help="the checkout to serve (default this one)")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--shape", action="store_true", help="also serve the scene screen's shape (see above)")
    parser.add_argument("--shape-app", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--minimal-app", type=int, metavar="MOVES", help=argparse.SUPPRESS)
    parser.add_argument("--serve-minimal", nargs=2, metavar=("PORT", "KEY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.minimal_app is not None:
        return minimal_app(args.minimal_app, args.shape_app)
    root = Path(args.root).resolve()
    sys.path.insert(0, str(root))
    if args.serve_minimal:
        return serve_minimal(int(args.serve_minimal[0]), args.serve_minimal[1], MOVES, args.shape_app)
    mode = "burst" if args.burst else f"a key every {args.pace:g} s"
    load = os.getloadavg()
    print(f"serve_load: {root} · {LEVEL} · {SIZE[0]}×{SIZE[1]} · {mode} · load average before "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} · {os.cpu_count()} cores")
    head = (f"{'tabs':>4} | {'mot key→screen med/p95':>23} | {'minimal med/p95':>16} | {'mot start med':>13} | "
            f"{'start CPU/tab':>13} | {'mot PSS all / per tab':>21} | {'CPU/tab':>8} | {'minimal CPU/tab':>15} | failed")
    print(head)
    print("-" * len(head))
    said_zygote = False
    for tabs in [int(n) for n in args.tabs.split(",") if n.strip()]:
        rows = {}
        for kind in ("mot", "minimal", *(["shape"] if args.shape else [])):
            runs = [asyncio.run(run_row(kind, tabs, args.pace, args.burst, root)) for _ in range(args.runs)]
            runs.sort(key=lambda r: statistics.median(r["keys"]) if r["keys"] else float("inf"))
            rows[kind] = runs[len(runs) // 2]
        m, b = rows["mot"], rows["minimal"]
        ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
        print(f"{tabs:>4} | {ms(statistics.median(m['keys'])) if m['keys'] else '-':>10} / {ms(pct(m['keys'], .95)):>6} ms | "
              f"{ms(statistics.median(b['keys'])) if b['keys'] else '-':>5} / {ms(pct(b['keys'], .95)):>4} ms | "
              f"{statistics.median(m['start']) if m['start'] else float('nan'):>11.2f} s | "
              f"{m['start_cpu']:>11.2f} s | {m['memory']:>9.0f} / {m['memory'] / max(1, m['tabs_seen']):>5.1f} MB | "
              f"{m['cpu'] / tabs:>6.2f} s | {b['cpu'] / tabs:>13.2f} s | "
              f"{len(m['failed'])}{' ' + m['failed'][0] if m['failed'] else ''}", flush=True)
        kinds = [(name, m["by_kind"].get(name)) for name in ("choice", "scene", "debrief")]
        print("     mot by key, median / p95: " + ", ".join(
            f"{name} {ms(statistics.median(v))} / {ms(pct(v, .95))} ms" for name, v in kinds if v), flush=True)
        if "shape" in rows:
            h = rows["shape"]
            print(f"     the scene's shape, served: {ms(statistics.median(h['keys'])) if h['keys'] else '-'} / "
                  f"{ms(pct(h['keys'], .95))} ms, CPU/tab {h['cpu'] / tabs:.2f} s"
                  f"{', failed ' + h['failed'][0] if h['failed'] else ''}", flush=True)
        if m["zygote"] and not said_zygote:
            said_zygote = True
            print(f"     (the zygote, not counted above: {m['zygote'][0]:.2f} s CPU to start and fork "
                  f"{tabs} tab(s), PSS {m['zygote'][1]:.1f} MB)", flush=True)
    load = os.getloadavg()
    print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if not args.no_in_process:
        mc = subprocess.run([sys.executable, str(HERE / "move_cpu.py")], cwd=str(root), capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(root), "MOT_BENCH_ROOT": str(root)})
        print(mc.stdout.rstrip() or mc.stderr[-2000:])


MOVES = 8  # the minimal app's level length (innocent-messenger's ideal path)

if __name__ == "__main__":
    main()
