"""Load benchmark (``make bench``, not a test): the real post-class survey submission under
gunicorn against two references served the same way in the same run.

For each engine (SQLite, and PostgreSQL with ``--postgres``) a fresh database gets the
schema and a world of classes with the default post-class survey open and people identified
in them (``benchmarks.load_world``). Then, one after the other, gunicorn (sync workers,
two per core by default) serves on 127.0.0.1 and ``wrk`` (``benchmarks.serve``) posts for
``--duration`` seconds over ``--connections`` connections, after a short warm-up:

1. ``minimal``: a Flask endpoint answering "ok" (``benchmarks.load_apps.minimal_app``);
2. ``bare INSERT``: a Flask endpoint that parses the same form and INSERTs one row in its
   own transaction (``load_apps.insert_app``);
3. ``app floor``: ``GET /healthz`` of ``surveyapp.create_app()``: the real app's own
   per-request work (session, security headers, locale, rate-limit filter) and one
   ``SELECT 1``, for scale: no submission can cost less than this;
4. ``survey``: the whole post-class survey sent through the real endpoint
   ``POST /c/<code>/form/<id>`` of ``surveyapp.create_app()``, each request as another
   identified person (signed session cookie, valid CSRF token, new submission id): the
   engine validates and scores it, it is stored with its 14 answers and data-quality flags
   in one transaction, and the trainee is redirected to the receipt (303).

Printed: the four throughputs, the ratios survey / bare INSERT (target >= 0.80),
survey / minimal and survey / app floor, p50 and p99 latencies (target: survey p99 < 25 ms),
errors, and the number of responses stored (it must equal the survey requests that got their 303).

Rate limits (``surveyapp.ratelimit``) are on, counted in the app's database as in
production, with the submission limit raised above what one address sends in the run
(``--rate-limits off`` switches them off to see their cost).

Needs ``wrk`` (``sudo apt-get install wrk``); without it a slower Python load loop is used
and says so. The PostgreSQL database given is **wiped** (its ``public`` schema is dropped).

    python -m benchmarks.load_bench [--postgres postgresql:///surveyapp_bench_load]  # or
    BENCH_LOAD_POSTGRES=postgresql:///surveyapp_bench_load python -m benchmarks.load_bench
        [--duration 10] [--connections 8] [--workers N] [--rate-limits counted|off]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from benchmarks import load_apps
from benchmarks.load_world import answers_body, build_world, seats
from benchmarks.serve import LoadResult, Request, Server, default_workers, run_load, wrk_path

DATA_DIR = Path(__file__).resolve().parent / ".data"
TARGET_RATIO = 0.80
TARGET_P99_MS = 25.0
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MINIMAL = "benchmarks.load_apps:minimal_app()"
APP = "surveyapp:create_app()"


@dataclass
class EngineRun:
    engine: str
    minimal: LoadResult
    insert: LoadResult
    floor: LoadResult
    survey: LoadResult
    stored: int
    probe_rows: int


def fresh_database(url: str | None) -> str:
    """A fresh database URL: a new SQLite file, or the PostgreSQL database wiped."""
    if url is None:
        DATA_DIR.mkdir(exist_ok=True)
        path = DATA_DIR / "load-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from surveyapp.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def app_env(url: str, secret: str, rate_limits: str) -> dict[str, str]:
    env = {"SURVEYAPP_DATABASE_URL": url, "SURVEYAPP_SECRET_KEY": secret}
    if rate_limits == "off":
        env["SURVEYAPP_RATELIMIT_ENABLED"] = "false"
    else:  # counted as in production, never reached from the one address of the bench
        env["SURVEYAPP_RATELIMIT_SUBMISSION"] = "10000000 per minute"
    return env


def prepare(url: str, secret: str, people: int, classes: int):
    """Schema, world and seats; returns ``(app, world, seats)``."""
    from surveyapp import create_app
    from surveyapp.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
    with app.app_context():
        db.create_all()
        world = build_world(classes=classes, per_class=max(1, people // classes))
        all_seats = seats(app, world)
        db.engine.dispose()
    load_apps.create_probe_table(url)
    return app, world, all_seats


def count_responses(app) -> int:
    from surveyapp.extensions import db
    from surveyapp.responses.models import Response

    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
        db.session.remove()
        db.engine.dispose()
    return count or 0


def check_one(url: str, seat, body: str) -> None:
    """Post one survey by hand: it must be stored (303), or the bench stops with the page."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = body.replace("{value3}", seat.csrf).replace("{value4}", _uuid()).encode()
    request = urllib.request.Request(  # noqa: S310 (our own server on 127.0.0.1)
        url + seat.path, data=data, headers={**FORM, "Cookie": seat.cookie}, method="POST"
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as reply:
            status, page = reply.status, reply.read()
    except urllib.error.HTTPError as error:
        status, page = error.code, error.read()
    if status != 303:
        raise SystemExit(f"a survey post answered {status}, not 303:\n{page.decode()[:3000]}")


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def with_ids(chosen) -> list[tuple[str, ...]]:
    """The harness's values: path, cookie, CSRF token, a new submission id (UUID4)."""
    return [(s.path, s.cookie, s.csrf, _uuid()) for s in chosen]


def measure(label, app_spec, env, requests, args, values=None) -> LoadResult:
    with Server(app_spec, workers=args.workers, env=env, ready_path="/", preload=True) as server:
        warm = values[: len(values) // 5] if values else None
        run_load(server.url, requests, values=warm, duration=args.warmup, connections=8)
        rest = values[len(values) // 5 :] if values else None
        result = run_load(
            server.url, requests, values=rest, duration=args.duration, connections=args.connections
        )
    print(result.line(label), flush=True)
    if result.reused and app_spec != MINIMAL:  # the minimal endpoint ignores who posts
        print(f"  warning: {result.reused} people were used twice; raise --people", flush=True)
    return result


def run_engine(url: str | None, args) -> EngineRun:
    engine = "PostgreSQL" if url else "SQLite"
    secret = secrets.token_hex(32)
    url = fresh_database(url)
    app, world, all_seats = prepare(url, secret, args.people, args.classes)
    env = app_env(url, secret, args.rate_limits)
    from surveyapp.models_base import utcnow

    body = answers_body(world.items, started_at=utcnow() - timedelta(minutes=6))
    post = [Request("POST", "{value1}", body=body, headers={**FORM, "Cookie": "{value2}"})]
    print(f"\n== Load on {engine}: {len(all_seats):,} people in {len(world.class_ids)} classes")
    values = with_ids(all_seats[1:])
    minimal = measure(
        "minimal Flask", "benchmarks.load_apps:minimal_app()", env, post, args, values
    )
    insert = measure("bare INSERT", "benchmarks.load_apps:insert_app()", env, post, args, values)
    floor = measure("app floor (GET /healthz)", APP, env, [Request("GET", "/healthz")], args)
    with Server(APP, workers=1, env=env, ready_path="/c", preload=True) as s:
        check_one(s.url, all_seats[0], body)
    survey = measure("post-class survey", APP, env, post, args, values)
    run = EngineRun(
        engine,
        minimal,
        insert,
        floor,
        survey,
        count_responses(app),
        load_apps.count_probe_rows(url),
    )
    report(run)
    return run


def report(run: EngineRun) -> None:
    ratio = run.survey.throughput / run.insert.throughput if run.insert.throughput else 0
    to_minimal = run.survey.throughput / run.minimal.throughput if run.minimal.throughput else 0
    ok_ratio = "ok" if ratio >= TARGET_RATIO else "MISSED"
    ok_p99 = "ok" if run.survey.p99_ms < TARGET_P99_MS else "MISSED"
    print(f"  survey / bare INSERT: {ratio:.2f} (target >= {TARGET_RATIO:.2f}: {ok_ratio})")
    print(f"  survey / minimal:     {to_minimal:.2f}")
    to_floor = run.survey.throughput / run.floor.throughput if run.floor.throughput else 0
    floor_to_insert = run.floor.throughput / run.insert.throughput if run.insert.throughput else 0
    print(
        f"  survey / app floor:   {to_floor:.2f} "
        f"(the app floor itself is {floor_to_insert:.2f} x the bare INSERT)"
    )
    print(f"  survey p99: {run.survey.p99_ms:.1f} ms (target < {TARGET_P99_MS:.0f} ms: {ok_p99})")
    print(
        f"  stored: {run.stored:,} responses (1 check + warm-up + run), "
        f"{run.probe_rows:,} bare rows",
        flush=True,
    )


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_bench", description=__doc__)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("BENCH_LOAD_POSTGRES"),
        help="also run on this PostgreSQL database, which is WIPED "
        "(e.g. postgresql:///surveyapp_bench_load; env BENCH_LOAD_POSTGRES)",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per timed run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per app")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=default_workers(), help="sync workers")
    parser.add_argument("--people", type=int, default=40_000, help="identified people")
    parser.add_argument("--classes", type=int, default=1_000)
    parser.add_argument("--rate-limits", choices=("counted", "off"), default="counted")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    tool = "wrk" if wrk_path() else "a Python loop (install wrk: sudo apt-get install wrk)"
    print(
        f"gunicorn {args.workers} sync workers, {tool}, {args.connections} connections, "
        f"{args.duration:g} s per app, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    for url in [None, args.postgres] if args.postgres else [None]:
        run_engine(url, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
