"""The store's writer thread (issue 17): a screen queues a room's writes (`Store.later`) and
never waits for a busy database; writes commit in the order they were asked for; and a process
killed in the middle of a room keeps every write it had been told was done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from game.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


def test_queued_writes_commit_in_order_and_say_so(tmp_path):
    done = []
    with Store(tmp_path / "mot.sqlite3") as store:
        store.ensure_room("R", "first-call", seed=1)
        for n in range(1, 6):
            store.later(store.update_live, "R", "红队", "first-call", n, 0, "E" * n,
                        on_done=lambda n=n: done.append((n, threading.current_thread().name)))
        store.later(store.save_team_progress, "R", "红队", {"level": "first-call", "left": False})
        # A write made directly comes after what was queued before it.
        store.save_team_progress("R", "红队", {"level": "first-call", "left": True})
        assert [n for n, _ in done] == [1, 2, 3, 4, 5]
        assert {name for _, name in done} == {"store-writer"}
        assert store.team_progress("R")["红队"]["left"] is True
        assert [(row.team, row.moves, row.steps) for row in store.live("R")] == [("红队", 5, "EEEEE")]
    with Store(tmp_path / "mot.sqlite3") as store:  # close() flushed; nothing waits in a queue
        assert store.live("R")[0].moves == 5


def test_a_failed_queued_write_is_reported_and_the_writer_goes_on(tmp_path):
    errors, done = [], []
    with Store(tmp_path / "mot.sqlite3") as store:
        store.ensure_room("R", "first-call", seed=1)

        def broken() -> None:
            raise StoreError("S009", store.path, "disk on fire")

        store.later(broken, on_error=errors.append)
        store.later(store.update_live, "R", "t", "first-call", 1, 0, "E", on_done=lambda: done.append(1))
        assert store.flush(timeout=10)
        assert [e.code for e in errors] == ["S009"] and done == [1]


CHILD = textwrap.dedent("""
    import sys, time
    from game.store import Store
    store = Store(sys.argv[1])
    store.ensure_room("R", "first-call", seed=1)
    for n in range(1, 100000):
        store.later(store.update_live, "R", "t", "first-call", n, 0, "",
                    on_done=lambda n=n: print(n, flush=True))
        time.sleep(0.001)
""")


def test_a_room_killed_mid_write_keeps_every_acknowledged_move(tmp_path):
    db = tmp_path / "mot.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    acknowledged = 0
    try:
        for line in child.stdout:
            acknowledged = int(line)
            if acknowledged >= 40:
                break
        child.send_signal(signal.SIGKILL)  # no flush, no close: mid-room, mid-queue
        child.wait(10)
        for line in child.stdout:  # what was told before the kill arrived
            acknowledged = max(acknowledged, int(line))
    finally:
        if child.poll() is None:
            child.kill()
    assert acknowledged >= 40
    with Store(db) as store:
        assert store.live("R")[0].moves >= acknowledged
