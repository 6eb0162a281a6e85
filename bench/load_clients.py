"""The simulated people of `make bench-load`: readers of the public pages, and approvers (Chief
Executives approving, DMPCs signing off) who act on the same few requests at once, as people do.

Each is a thread with its own HTTP client and session; every loop ends at its deadline.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field

import httpx

REFUSAL = "This request changed while you were looking at it"
READER_PAGES = [
    "/decisions/",
    "/decisions/?q=financial",
    "/decisions/pcd-279/",
    "/decisions/pcd-279.pdf",
]
TIMEOUT_S = 60


@dataclass
class Stats:
    requests: int = 0
    refusals: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, error: str | None = None, refused: bool = False) -> None:
        with self.lock:
            self.requests += 1
            self.latencies_ms.append((time.monotonic() - started) * 1000)
            if error:
                self.errors.append(error)
            if refused:
                self.refusals += 1

    def p95_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


@dataclass
class Board:
    """What the approvers know is waiting: requests for the Chief Executives, then the DMPCs."""

    awaiting_approval: list[int]
    awaiting_signoff: list[int] = field(default_factory=list)
    successes: list[list[object]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, step: str) -> int | None:
        with self.lock:
            waiting = self.awaiting_approval if step == "approve" else self.awaiting_signoff
            # The oldest few: what every approver's dashboard shows first, so they collide.
            return random.choice(waiting[:3]) if waiting else None  # noqa: S311

    def done(self, pk: int, step: str, username: str | None) -> None:
        with self.lock:
            waiting = self.awaiting_approval if step == "approve" else self.awaiting_signoff
            if pk in waiting:
                waiting.remove(pk)
                if step == "approve":
                    self.awaiting_signoff.append(pk)
            if username is not None:
                self.successes.append([pk, step, username])


def _client(ports: list[int], n: int) -> httpx.Client:
    return httpx.Client(
        base_url=f"http://127.0.0.1:{ports[n % len(ports)]}",
        timeout=TIMEOUT_S,
        follow_redirects=False,
    )


def _get(
    client: httpx.Client, url: str, stats: Stats, ok: tuple[int, ...]
) -> httpx.Response | None:
    started = time.monotonic()
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        stats.record(started, f"GET {url}: {type(error).__name__}: {error}")
        return None
    bad = response.status_code not in ok
    stats.record(started, f"GET {url}: {response.status_code}" if bad else None)
    return None if bad else response


def reader(n: int, ports: list[int], deadline: float, stats: Stats) -> None:
    with _client(ports, n) as client:
        while time.monotonic() < deadline:
            _get(client, random.choice(READER_PAGES), stats, (200,))  # noqa: S311
            time.sleep(random.uniform(0.2, 1.0))  # noqa: S311


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _sign_in(client: httpx.Client, username: str, password: str, stats: Stats) -> bool:
    page = _get(client, "/sign-in/", stats, (200,))
    if page is None:
        return False
    started = time.monotonic()
    try:
        response = client.post(
            "/sign-in/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": _token(page.text),
            },
        )
    except httpx.HTTPError as error:
        stats.record(started, f"sign in: {type(error).__name__}")
        return False
    stats.record(
        started, None if response.status_code == 302 else f"sign in: {response.status_code}"
    )
    return response.status_code == 302


def approver(
    username: str,
    step: str,
    password: str,
    ports: list[int],
    deadline: float,
    stats: Stats,
    board: Board,
) -> None:
    """Signs in, then again and again: opens a waiting request's action page, reads it, presses
    the button. Success, or the refusal when someone else was quicker, are both as expected."""
    with _client(ports, hash(username)) as client:
        while not _sign_in(client, username, password, stats):
            if time.monotonic() > deadline:
                return
            time.sleep(1)
        while time.monotonic() < deadline:
            pk = board.pick(step)
            if pk is None:
                _get(client, "/staff/", stats, (200,))
                time.sleep(1)
                continue
            url = f"/staff/requests/{pk}/{step}/"
            page = _get(client, url, stats, (200, 302))
            if page is None or page.status_code == 302:  # not for them (any more): moved on
                board.done(pk, step, None)
                continue
            time.sleep(random.uniform(0.3, 1.0))  # noqa: S311 - reading the page
            expected = re.search(r'name="expected_status" value="([^"]+)"', page.text)
            data = {
                "csrfmiddlewaretoken": _token(page.text),
                "expected_status": expected.group(1) if expected else "",
                "confirmed": "on",
                "comment": "",
            }
            if step == "sign_off":
                data["has_interests"] = "no"
            started = time.monotonic()
            try:
                response = client.post(url, data=data)
            except httpx.HTTPError as error:
                stats.record(started, f"POST {url}: {type(error).__name__}: {error}")
                continue
            if response.status_code == 302:
                stats.record(started)
                board.done(pk, step, username)
            elif response.status_code == 200 and REFUSAL in response.text:
                stats.record(started, refused=True)
                board.done(pk, step, None)
            else:
                stats.record(started, f"POST {url}: {response.status_code} {response.text[:200]!r}")
                board.done(pk, step, None)
            time.sleep(random.uniform(0.5, 1.5))  # noqa: S311
