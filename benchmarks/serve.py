"""A reusable load harness: serve a WSGI app with gunicorn, drive it with ``wrk``, read the
throughput and latency percentiles, stop the server cleanly.

Used by ``benchmarks/load_bench.py`` (survey submissions) and by any other benchmark that
needs HTTP load against the real app. Nothing here knows about surveys.

Typical use::

    from benchmarks.serve import Request, Server, run_load

    env = {"SURVEYAPP_DATABASE_URL": "sqlite:////tmp/bench.sqlite"}
    with Server("surveyapp:create_app()", workers=2, env=env, ready_path="/login") as server:
        result = run_load(
            server.url,
            [Request("GET", "/contests/1/leaderboard")],
            duration=10,
            connections=8,
        )
    print(result.line("leaderboard"))  # throughput, p50/p99 in ms, errors
    result.throughput, result.p99_ms, result.errors, result.tool

API
---
``Server(app, *, workers=None, env=None, cwd=PROJECT, ready_path="/", ready_timeout=90,
threads=1, preload=False)``
    A context manager. ``app`` is a gunicorn app spec: ``"module:variable"`` or
    ``"module:factory()"`` (gunicorn calls the factory in each worker). Workers are *sync*
    workers (``-k sync``) bound to ``127.0.0.1`` on a free port; ``workers=None`` means
    :func:`default_workers` (two per core). ``env`` is added to this process's environment
    (pass the app's configuration here, e.g. ``SURVEYAPP_DATABASE_URL``). ``__enter__``
    returns once ``GET ready_path`` answers with any status below 500 (or raises
    :class:`ServerError` with gunicorn's log when the server dies or times out).
    ``server.url`` is ``http://127.0.0.1:<port>``; ``server.log()`` gives gunicorn's output.
    ``threads > 1`` uses gunicorn's ``gthread`` workers (for tests that need many requests in
    flight). ``preload=True`` builds the app once before forking the workers (much faster
    start on a loaded machine); only for factories that open no database connection while
    creating the app (``surveyapp.create_app`` opens none).
    ``__exit__`` sends SIGTERM (graceful stop), then SIGKILL after 10 s.

``Request(method, path, body=None, headers=None)``
    One request. In ``path``, ``body`` and header values the marker ``{seq}`` is replaced,
    per request, by a string unique within the whole process (``<run>-<thread>-<n>``), so
    every POST can carry its own submission id; ``{value}`` (or ``{value1}``), ``{value2}``
    ... ``{value9}`` are replaced by the fields of the next unused entry of ``values``.
    ``body`` is ``str`` (sent as UTF-8) or ``None``.

``run_load(url, requests, *, values=None, duration=10.0, connections=8, threads=None,
tool=None)``
    Runs a bounded load (``duration`` seconds, ``connections`` keep-alive connections) and
    returns a :class:`LoadResult`. Each connection cycles through ``requests`` in order.
    ``values`` (a list of strings, or of tuples of strings, without tabs or newlines: e.g.
    ``(path, session cookie, CSRF token, submission id)`` per person) is split between the
    load threads so that each entry is used by one request only; if the run needs more
    requests than there are values they are used again and ``LoadResult.reused`` says how
    many times that happened (give more values).
    ``tool="wrk"`` requires wrk, ``"python"`` forces the fallback, ``None`` uses wrk when it
    is installed and otherwise warns (with the install command) and uses the fallback: a
    Python thread per connection with ``http.client`` (the GIL makes it a weaker load
    generator, so its figures are lower than wrk's and should not be compared with them).

``LoadResult``
    ``requests``, ``seconds``, ``throughput`` (requests/s), ``p50_ms``, ``p90_ms``,
    ``p99_ms``, ``max_ms``, ``errors`` (socket errors, timeouts and HTTP statuses >= 400),
    ``statuses`` (count per status class, python tool only), ``reused``, ``tool``;
    ``line(label)`` formats one row.

``wrk_path()`` / ``WRK_INSTALL_HINT``
    Where wrk is (or None), and how to install it: ``sudo apt-get install wrk`` on
    Debian/Ubuntu (``brew install wrk`` on macOS).

``free_port()``, ``default_workers()``
    Helpers used above.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WRK_INSTALL_HINT = (
    "wrk is not installed: install it with `sudo apt-get install wrk` (Debian/Ubuntu) or "
    "`brew install wrk` (macOS); falling back to a slower Python load loop"
)
STOP_GRACE_SECONDS = 10


class ServerError(RuntimeError):
    """The server did not start (its log is in the message)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_workers() -> int:
    """Two sync workers per core (gunicorn's usual advice for I/O-bound apps)."""
    return 2 * (os.cpu_count() or 1)


def wrk_path() -> str | None:
    """The wrk executable, or None when it is not installed."""
    from shutil import which

    return which("wrk")


class Server:
    """gunicorn (sync workers) on 127.0.0.1:<free port>, as a context manager."""

    def __init__(
        self,
        app: str,
        *,
        workers: int | None = None,
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike = PROJECT,
        ready_path: str = "/",
        ready_timeout: float = 90.0,
        threads: int = 1,
        preload: bool = False,
    ):
        self.app = app
        self.workers = workers or default_workers()
        self.env = {**os.environ, **(env or {})}
        self.cwd = str(cwd)
        self.ready_path = ready_path
        self.ready_timeout = ready_timeout
        self.threads = threads
        self.preload = preload
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (closed in __exit__)

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync" if self.threads == 1 else "gthread",
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "2048",
            "--graceful-timeout",
            str(STOP_GRACE_SECONDS),
            "--log-level",
            "warning",
            *(["--preload"] if self.preload else []),
            self.app,
        ]

    def start(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            self.command(), cwd=self.cwd, env=self.env, stdout=self._log, stderr=self._log
        )
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"gunicorn not ready after {self.ready_timeout} s:\n{self.log()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as reply:  # noqa: S310
                return reply.status < 500
        except urllib.error.HTTPError as error:
            return error.code < 500
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_GRACE_SECONDS + 2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def __enter__(self) -> Server:
        try:
            return self.start()
        except BaseException:
            self.stop()
            self._log.close()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
        self._log.close()


@dataclass(frozen=True)
class Request:
    """One HTTP request; ``{seq}`` in ``path`` or ``body`` becomes a unique string."""

    method: str
    path: str
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)
    reused: int = 0

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<28} {self.throughput:9,.0f} req/s  p50 {self.p50_ms:6.2f} ms  "
            f"p99 {self.p99_ms:6.2f} ms  errors {self.errors}"
        )


def run_load(
    url: str,
    requests: list[Request],
    *,
    values: list[str | tuple[str, ...]] | None = None,
    duration: float = 10.0,
    connections: int = 8,
    threads: int | None = None,
    tool: str | None = None,
) -> LoadResult:
    """Drive ``url`` for ``duration`` seconds over ``connections`` connections."""
    if not requests:
        raise ValueError("run_load needs at least one Request")
    if tool is None:
        tool = "wrk" if wrk_path() else "python"
        if tool == "python":
            warnings.warn(WRK_INSTALL_HINT, RuntimeWarning, stacklevel=2)
    if tool == "wrk":
        if not wrk_path():
            raise RuntimeError(WRK_INSTALL_HINT.split(";")[0])
        threads = threads or min(connections, os.cpu_count() or 1)
        return _run_wrk(url, requests, values, duration, connections, threads)
    from benchmarks.serve_python import run_python

    return run_python(url, requests, values, duration, connections)


_RUN_IDS = itertools.count(1)


def _run_token() -> str:
    """Unique per run and process: ``{seq}`` values never repeat across runs."""
    return f"{uuid.uuid4().hex[:8]}{next(_RUN_IDS)}"


# ---------------------------------------------------------------- wrk


def lua_string(text: str) -> str:
    """A Lua 5.1 string literal for ``text`` (UTF-8 bytes, decimal escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\' or byte < 32 or byte > 126:
            out.append(f"\\{byte}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def lua_script(requests: list[Request], token: str, values_file: str | None, threads: int) -> str:
    """The wrk script: per-thread ids and values, placeholders filled, JSON summary."""
    entries = []
    for item in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in item.headers.items())
        body = lua_string(item.body) if item.body is not None else "nil"
        entries.append(
            f"{{method = {lua_string(item.method)}, path = {lua_string(item.path)}, "
            f"body = {body}, headers = {{{headers}}}}}"
        )
    return (
        LUA_TEMPLATE.replace("@REQUESTS@", ",\n  ".join(entries))
        .replace("@TOKEN@", lua_string(token))
        .replace("@VALUES@", lua_string(values_file) if values_file else "nil")
        .replace("@THREADS@", str(threads))
    )


LUA_TEMPLATE = r"""
local requests = {
  @REQUESTS@
}
local token = @TOKEN@
local values_file = @VALUES@
local thread_count = @THREADS@
local counter = 0
local next_id = 0
local threads = {}
local values = {}
local used = 0
reused = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  if values_file == nil then return end
  local n = 0
  for line in io.lines(values_file) do
    if n % thread_count == tid - 1 then
      local fields = {}
      for part in string.gmatch(line, "[^\t]*") do
        if part ~= "" then table.insert(fields, part) end
      end
      table.insert(values, fields)
    end
    n = n + 1
  end
end

local function fill(text, seq, value)
  if text == nil then return nil end
  text = string.gsub(text, "{seq}", seq)
  if value ~= nil then
    text = string.gsub(text, "{value(%d?)}", function(d) return value[tonumber(d) or 1] end)
  end
  return text
end

request = function()
  counter = counter + 1
  local item = requests[(counter - 1) % #requests + 1]
  local seq = token .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  local value = nil
  if #values > 0 then
    used = used + 1
    if used > #values then used = 1; reused = reused + 1 end
    value = values[used]
  end
  local headers = {}
  for k, v in pairs(item.headers) do headers[k] = fill(v, seq, value) end
  return wrk.format(item.method, fill(item.path, seq, value), headers, fill(item.body, seq, value))
end

done = function(summary, latency, requests_)
  local e = summary.errors
  local again = 0
  for _, t in ipairs(threads) do again = again + (t:get("reused") or 0) end
  io.write("WRK_JSON ", string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "reused": %d, ' ..
    '"p50": %d, "p90": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, again,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _run_wrk(url, requests, values, duration, connections, threads) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="serve-wrk-") as folder:
        values_file = None
        if values:
            values_file = os.path.join(folder, "values.txt")
            Path(values_file).write_text(
                "".join("\t".join(_fields(v)) + "\n" for v in values), encoding="utf-8"
            )
        script = os.path.join(folder, "load.lua")
        Path(script).write_text(lua_script(requests, _run_token(), values_file, threads))
        command = [
            wrk_path(),
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration))}s",
            "--timeout=10s",
            f"--script={script}",
            url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        tool="wrk",
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50"] / 1000,
        p90_ms=data["p90"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        errors=data["errors"],
        reused=data["reused"],
    )


VALUE_MARK = re.compile(r"\{value(\d?)\}")


def _fields(value: str | tuple[str, ...]) -> tuple[str, ...]:
    fields = (value,) if isinstance(value, str) else tuple(value)
    if any(not f or "\t" in f or "\n" in f for f in fields):
        raise ValueError(f"values must be non-empty strings without tabs or newlines: {value!r}")
    return fields
