"""Rate limits hold across real gunicorn workers: the count lives in the database.

Two sync workers serve the app from the same database; thirty clients post to /login at
once with a limit of ten a minute: exactly ten get the form's own answer, the rest 429,
whichever worker took them (``memory://`` would let each worker allow ten).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.ratelimit_models import RateLimitCounter

from .conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
LIMIT, CLIENTS = 10, 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def _wait_until_ready(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            if _status(url) == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start in 30 s")


def _wait_for_both_workers(url: str, log: Path) -> None:
    """Send bursts of health checks until the access log shows two worker pids.

    The first answer to a health check only proves one worker booted; on a slow machine
    the second may still be importing the app when the thirty logins arrive.
    """
    deadline = time.monotonic() + 30
    with ThreadPoolExecutor(max_workers=8) as pool:
        while time.monotonic() < deadline:
            list(pool.map(lambda _: _status(url), range(8)))
            time.sleep(0.2)  # let the workers flush their access log
            pids = {line.split()[0] for line in log.read_text().splitlines() if line}
            if len(pids) >= 2:
                return
    raise AssertionError("the second gunicorn worker did not answer in 30 s")


@pytest.fixture
def schema(tmp_path):
    url = database_url(tmp_path)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(sa.delete(RateLimitCounter))
    yield url
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.delete(RateLimitCounter))
        db.engine.dispose()


@pytest.fixture
def server(schema, tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "SURVEYAPP_DATABASE_URL": schema,
        "SURVEYAPP_SECRET_KEY": "workers-test-secret",
        "SURVEYAPP_WTF_CSRF_ENABLED": "false",
        "SURVEYAPP_RATELIMIT_LOGIN": f"{LIMIT} per minute",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
        "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s",
        "surveyapp:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_ready(f"http://127.0.0.1:{port}/healthz", process)
        _wait_for_both_workers(f"http://127.0.0.1:{port}/healthz", log)
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_two_workers_share_one_count(server):
    base, log = server
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(lambda _: _status(base + "/login", b"email="), range(CLIENTS)))
    assert statuses.count(429) == CLIENTS - LIMIT
    assert statuses.count(400) == LIMIT  # the empty form's own answer
    time.sleep(0.5)  # let the workers flush their access log
    lines = [line.split() for line in log.read_text().splitlines() if line.endswith("/login")]
    assert len(lines) == CLIENTS
    assert len({pid for pid, _status, _path in lines}) == 2, "both workers answered"
