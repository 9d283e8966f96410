"""The Python load loop of ``benchmarks.serve``, used when wrk is not installed.

One thread per connection, each with a keep-alive ``http.client`` connection, sends its
requests in turn until the deadline; latencies and status classes are gathered at the end.
The GIL limits it to a few thousand requests per second in all: enough to check that a
benchmark works, not to measure a fast endpoint (install wrk: ``sudo apt-get install wrk``).
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from benchmarks.serve import VALUE_MARK, LoadResult, Request, _fields, _run_token


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


@dataclass
class _Shared:
    """What the Python load threads share: the run's token, values, and the tallies."""

    host: str
    port: int
    requests: list[Request]
    values: list
    connections: int
    deadline: float
    token: str = field(default_factory=_run_token)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    reused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _fill(text: str, seq: str, value: tuple[str, ...] | None) -> str:
    text = text.replace("{seq}", seq)
    if value is None:
        return text
    return VALUE_MARK.sub(lambda m: value[int(m.group(1) or 1) - 1], text)


def _send(connection, item: Request, seq: str, value: tuple[str, ...] | None) -> str:
    body = _fill(item.body, seq, value).encode() if item.body is not None else None
    headers = {k: _fill(v, seq, value) for k, v in item.headers.items()}
    try:
        connection.request(item.method, _fill(item.path, seq, value), body, headers)
        reply = connection.getresponse()
        reply.read()
        return f"{reply.status // 100}xx"
    except (OSError, http.client.HTTPException):
        connection.close()
        return "socket"


def _python_worker(shared: _Shared, index: int) -> None:
    connection = http.client.HTTPConnection(shared.host, shared.port, timeout=10)
    mine_values = [_fields(v) for v in shared.values[index :: shared.connections]]
    latencies: list[float] = []
    counts: dict[str, int] = {}
    reused = 0
    for n in itertools.count(1):
        if time.monotonic() >= shared.deadline:
            break
        value = None
        if mine_values:
            reused += (n - 1) and not (n - 1) % len(mine_values)
            value = mine_values[(n - 1) % len(mine_values)]
        item = shared.requests[(n - 1) % len(shared.requests)]
        started = time.perf_counter()
        kind = _send(connection, item, f"{shared.token}-{index}-{n}", value)
        latencies.append(time.perf_counter() - started)
        counts[kind] = counts.get(kind, 0) + 1
    connection.close()
    with shared.lock:
        shared.latencies.extend(latencies)
        shared.reused += reused
        for kind, count in counts.items():
            shared.statuses[kind] = shared.statuses.get(kind, 0) + count


def run_python(url, requests, values, duration, connections) -> LoadResult:
    """``run_load`` without wrk (same arguments and result)."""
    parsed = urllib.parse.urlsplit(url)
    started = time.monotonic()
    shared = _Shared(
        parsed.hostname, parsed.port, requests, values or [], connections, started + duration
    )
    workers = [
        threading.Thread(target=_python_worker, args=(shared, i)) for i in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.monotonic() - started
    latencies = sorted(shared.latencies)
    errors = sum(n for kind, n in shared.statuses.items() if kind in {"4xx", "5xx", "socket"})
    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=seconds,
        p50_ms=_percentile(latencies, 50) * 1000,
        p90_ms=_percentile(latencies, 90) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
        max_ms=(latencies[-1] * 1000) if latencies else 0.0,
        errors=errors,
        statuses=shared.statuses,
        reused=shared.reused,
    )
