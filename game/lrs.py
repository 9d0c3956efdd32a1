"""Send xAPI statements to a Learning Record Store: `mot results --room R --lrs URL
--lrs-user U --lrs-password-env VAR` (stdlib only: urllib).

- Statements go in batches (POST <endpoint>/statements, a JSON array) with the header
  X-Experience-API-Version: 1.0.3 and HTTP basic auth.
- A 5xx answer, a 429, a timeout or a dropped connection is retried with exponential backoff;
  when it keeps failing the send stops, and says so: what was confirmed is remembered.
- 200 (the ids stored) and 204 (all of them already there) confirm a batch; so does 409 for a
  single statement (the LRS already holds one with that id). A batch refused as a whole (400,
  409, 413) is split in halves until the statement the LRS refuses is alone; it is reported
  with the LRS's own reason and never marked as sent.
- `on_confirmed(ids)` is called after every confirmed batch (`mot results` writes them to the
  store's `sent` table at once), so a network dropping halfway loses nothing and a second run
  sends only the rest. Statement ids are stable (uuid5 of the run), so an LRS that did store a
  batch whose answer was lost simply answers "already there".
"""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

XAPI_VERSION = "1.0.3"
BATCH_SIZE = 100
TIMEOUT_S = 20.0
RETRIES = 4  # attempts after the first, on 5xx / 429 / timeouts / dropped connections
BACKOFF_S = 1.0  # 1, 2, 4, 8 s


class Transient(Exception):
    """Worth trying again later: a 5xx or 429 answer, a timeout, a connection that failed."""


class Fatal(Exception):
    """No use going on: the LRS refuses our credentials, or the URL is not an LRS."""


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # stored now
    already: list[str] = field(default_factory=list)  # the LRS had them
    refused: list[tuple[str, str]] = field(default_factory=list)  # (id, the LRS's reason)
    unsent: list[str] = field(default_factory=list)  # not tried, or still failing
    stopped: str | None = None  # why sending stopped early

    @property
    def ok(self) -> bool:
        return not self.refused and not self.unsent


def statements_url(endpoint: str) -> str:
    """The Statements resource of an LRS endpoint (…/xAPI/ → …/xAPI/statements)."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/statements") else base + "/statements"


class Client:
    """One LRS: POSTs a batch and says what became of it (retrying transient failures)."""

    def __init__(self, endpoint: str, user: str, password: str, *, timeout: float | None = None,
                 retries: int | None = None, backoff: float | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = statements_url(endpoint)
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION,
                        "Content-Type": "application/json; charset=utf-8"}
        self.timeout = TIMEOUT_S if timeout is None else timeout  # the module's, read now
        self.retries = RETRIES if retries is None else retries
        self.backoff = BACKOFF_S if backoff is None else backoff
        self.sleep = sleep
        self.requests = 0  # POSTs made, retries included

    def _post_once(self, body: bytes) -> tuple[int, bytes]:
        self.requests += 1
        request = urllib.request.Request(self.url, data=body, headers=self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
            if status >= 500 or status == 429:
                raise Transient(f"HTTP {status} {_reason(text) or error.reason}") from error
            if status in (401, 403, 404, 405):
                raise Fatal(f"HTTP {status} {_reason(text) or error.reason}") from error
            return status, text
        except (TimeoutError, socket.timeout) as error:
            raise Transient(f"no answer within {self.timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise Transient(f"no answer within {self.timeout:g} s") from error
            raise Transient(str(error.reason)) from error
        except (ConnectionError, OSError) as error:  # reset mid-answer, …
            raise Transient(str(error) or type(error).__name__) from error

    def post(self, statements: Sequence[dict]) -> tuple[int, bytes]:
        """POST one batch; 5xx, 429, timeouts and connection failures are retried with backoff
        (`Transient` once they keep failing). Returns the final status and body."""
        body = json.dumps(list(statements), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for attempt in range(self.retries + 1):
            try:
                return self._post_once(body)
            except Transient:
                if attempt == self.retries:
                    raise
                self.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def _reason(body: bytes) -> str:
    """The LRS's own words: a JSON {"detail"|"message"|"error": …}, else the text itself."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:300]
    if isinstance(data, dict):
        for key in ("detail", "message", "error", "errors"):
            if data.get(key):
                value = data[key]
                return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:300]
    return text[:300]


def send(statements: Sequence[dict], client: Client, *, batch_size: int = BATCH_SIZE,
         on_confirmed: Callable[[list[str]], None] | None = None) -> Outcome:
    """Send `statements` in batches; see the module's docstring for what each answer means."""
    outcome = Outcome()
    batches = [list(statements[i:i + batch_size]) for i in range(0, len(statements), max(1, batch_size))]
    for n, batch in enumerate(batches):
        try:
            _send_batch(batch, client, outcome, on_confirmed)
        except (Transient, Fatal) as error:
            outcome.stopped = str(error)
            done = {*outcome.sent, *outcome.already, *(i for i, _ in outcome.refused)}
            outcome.unsent = [s["id"] for b in batches[n:] for s in b if s["id"] not in done]
            break
    return outcome


def _send_batch(batch: list[dict], client: Client, outcome: Outcome,
                on_confirmed: Callable[[list[str]], None] | None) -> None:
    ids = [s["id"] for s in batch]
    status, body = client.post(batch)
    if status in (200, 204) or (status == 409 and len(batch) == 1):
        stored: set[str] = set()
        if status == 200:
            try:
                answer = json.loads(body or b"[]")
                stored = {i for i in answer if isinstance(i, str)} if isinstance(answer, list) else set(ids)
            except ValueError:
                stored = set(ids)
        outcome.sent.extend(i for i in ids if i in stored)
        outcome.already.extend(i for i in ids if i not in stored)
        if on_confirmed is not None:
            on_confirmed(ids)
        return
    if len(batch) > 1 and status in (400, 409, 413):  # find the one(s) it refuses
        half = len(batch) // 2
        _send_batch(batch[:half], client, outcome, on_confirmed)
        _send_batch(batch[half:], client, outcome, on_confirmed)
        return
    reason = f"HTTP {status} {_reason(body)}".strip()
    outcome.refused.extend((i, reason) for i in ids)


def pending(statements: Iterable[dict], sent_ids: set[str]) -> list[dict]:
    """The statements an LRS has not confirmed yet, in order."""
    return [s for s in statements if s["id"] not in sent_ids]
