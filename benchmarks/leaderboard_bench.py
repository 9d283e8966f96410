"""Leaderboard benchmark (``make bench``, not a test): the public leaderboard page of a quiz
round with 2,000 participants under load, next to a minimal Flask endpoint in the same run.

A fresh database (SQLite under ``benchmarks/.data/``, or the schema ``leaderboard_bench``
of the PostgreSQL database given, dropped and made again; other schemas are left alone) gets
the schema and one open contest: 2,000 pupils in 400 teams of five across
ten clubs, a quiz round of ten questions and one submitted attempt per pupil (half of the
pupils consented to their name being shown; scores, times and some exact ties drawn from a
fixed seed). Then, one after the other, gunicorn serves on 127.0.0.1 with ``--workers``
sync workers (2 by default) and ``wrk`` (``benchmarks.serve``) sends GETs for
``--duration`` seconds over ``--connections`` connections, after a short warm-up. All five
servers run at once (an idle one costs nothing) and are loaded in turn, ``--rounds`` times,
keeping each one's best run, so that the machine's drift affects them alike:

1. ``minimal Flask``: ``benchmarks.load_apps.minimal_app`` answering "ok";
2. ``leaderboard``: ``GET /contests/rounds/<id>/leaderboard`` of ``surveyapp.create_app()``,
   the whole page (first 100 rows, the tie-break rule, the layout) as an anonymous visitor
   without cookies, as a pupil's phone refreshing it would get it (no ``If-None-Match``,
   so never a 304); the board is cached per worker (``surveyapp.contests.leaderboard``);
3. ``leaderboard, pupil's phone``: the same page with the session cookie of a pupil ranked
   below the first page (their own line is added; their session is not rewritten);
4. ``leaderboard, revalidated (304)``: a browser refreshing after the short max-age, with
   ``If-None-Match``: the board has not changed, so the answer is a 304 without a body;
5. ``leaderboard, TTL 0``: the anonymous page with ``LEADERBOARD_CACHE_SECONDS=0``, i.e. the data
   version is queried on every request (the cached board is still reused).

Printed: the cold build time of the board (ranking query and labels, in process), the
throughputs, p50/p99 latencies, errors, and the ratio leaderboard / minimal (target >= 0.5).

    python -m benchmarks.leaderboard_bench [--postgres postgresql:///surveyapp_bench_board]
        [--participants 2000] [--duration 10] [--connections 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import secrets
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from benchmarks.serve import LoadResult, Request, Server, run_load, wrk_path

DATA_DIR = Path(__file__).resolve().parent / ".data"
TARGET_RATIO = 0.5
TEAM_SIZE = 5
CLUBS = 10
QUESTIONS = 10
PG_SCHEMA = "leaderboard_bench"


def fresh_database(url: str | None) -> str:
    """A fresh database URL: a new SQLite file, or a fresh schema ``leaderboard_bench`` in
    the PostgreSQL database (its other schemas, e.g. the synthetic province, are kept)."""
    if url is None:
        DATA_DIR.mkdir(exist_ok=True)
        path = DATA_DIR / "leaderboard-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from surveyapp.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{PG_SCHEMA}"


def _quiz_version(now: datetime):
    from surveyapp.instruments.models import Instrument, InstrumentVersion, Item

    instrument = Instrument(key="bench-quiz", kind="contest_quiz", title={"vi": "Đố vui AI"})
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Đố vui AI"})
    choices = [{"value": v, "label": {"vi": f"Phương án {v}"}} for v in "abcd"]
    for n in range(1, QUESTIONS + 1):
        version.items.append(
            Item(
                key=f"q{n}",
                position=n,
                qtype="single_choice",
                label={"vi": f"Câu hỏi số {n} về trí tuệ nhân tạo"},
                choices=choices,
                answer_key="b",
                points=Decimal(1),
            )
        )
    version.frozen_at = now
    return instrument, version


def _places(now: datetime):
    """A province and two communes (scheme 2025)."""
    from surveyapp.extensions import db
    from surveyapp.localities.models import Locality, LocalityScheme

    scheme = LocalityScheme(code="2025", name="2025", effective_from=now.date())
    db.session.add(scheme)
    db.session.flush()
    province = Locality(scheme_id=scheme.id, code="15", name="Tỉnh Lào Cai", kind="province")
    db.session.add(province)
    db.session.flush()
    province.set_parent(None)
    communes = []
    for n, name in enumerate(("Xã Mù Cang Chải", "Xã Văn Yên")):
        commune = Locality(scheme_id=scheme.id, code=f"150{n}", name=name, kind="commune")
        db.session.add(commune)
        db.session.flush()
        commune.set_parent(province)
        communes.append(commune)
    return province, communes


def _contest(now: datetime):
    """Province, two communes, ten schools and clubs, an open contest and its quiz round."""
    from surveyapp.campaigns.models import Campaign
    from surveyapp.contests.models import Club, Contest, Round, School
    from surveyapp.extensions import db

    province, communes = _places(now)
    campaign = Campaign(
        name="Bình dân học AI",
        root_locality=province,
        start_date=now.date() - timedelta(days=30),
        end_date=now.date() + timedelta(days=30),
        status="active",
    )
    contest = Contest(title="Sản phẩm AI của em", campaign=campaign, locality_id=province.id)
    contest.status = "open"
    instrument, version = _quiz_version(now)
    db.session.add_all([campaign, contest, instrument, version])
    db.session.flush()
    clubs = []
    for n in range(CLUBS):
        commune = communes[n % 2]
        school = School(name=f"Trường THCS số {n + 1} {commune.name}", locality_id=commune.id)
        club = Club(
            name=f"CLB AI {n + 1}", school=school, locality_id=commune.id, join_code=f"BENCH{n:02d}"
        )
        db.session.add_all([school, club])
        clubs.append(club)
    quiz = Round(
        contest=contest,
        kind="quiz",
        title="Vòng trắc nghiệm",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=3),
        version_id=version.id,
        time_limit_seconds=900,
    )
    db.session.add(quiz)
    db.session.flush()
    return contest, quiz, clubs


def _attempt_row(rng: random.Random, quiz, member_id: int, team_id: int, n: int) -> dict:
    """One submitted attempt: a drawn score, time and moment (some exact ties on time)."""
    score = Decimal(rng.choice(range(QUESTIONS + 1)))
    seconds = rng.choice(range(60, 900)) if n % 50 else 300
    submitted = quiz.opens_at + timedelta(minutes=rng.random() * 50)
    return {
        "round_id": quiz.id,
        "contestant_key": f"m{member_id}",
        "member_id": member_id,
        "team_id": team_id,
        "number": 1,
        "seed": rng.randrange(1, 2**31 - 1),
        "order": {"items": [f"q{i}" for i in range(1, QUESTIONS + 1)], "options": {}},
        "started_at": submitted - timedelta(seconds=seconds),
        "deadline_at": submitted - timedelta(seconds=seconds) + timedelta(minutes=15),
        "submitted_at": submitted,
        "submission_id": f"bench-{member_id:06d}",
        "answers": {},
        "late": False,
        "raw_score": score,
        "score": score,
        "max_score": Decimal(QUESTIONS),
        "duration_ms": seconds * 1000,
    }


def _rows(contest, quiz, clubs, participants: int, now: datetime):
    """Pupils, teams, team members and one submitted attempt per pupil (fixed seed)."""
    rng = random.Random(20261126)
    first = ("Lò Văn", "Hà Thị", "Đặng Thu", "Vũ Đức", "Giàng A", "Sùng Thị", "Nông Văn")
    last = ("Páo", "Mỷ", "Hà", "Anh", "Lử", "Dợ", "Én", "Chứ", "Mai", "Tùng")
    members, teams, links, attempts = [], [], [], []
    for n in range(participants):
        member_id, team_id = n + 1, n // TEAM_SIZE + 1
        club = clubs[(team_id - 1) % len(clubs)]
        consent = now if n % 2 == 0 else None
        members.append(
            {
                "id": member_id,
                "club_id": club.id,
                "full_name": f"{rng.choice(first)} {rng.choice(last)} {n + 1}",
                "grade": str(6 + n % 7),
                "pupil_consent_at": consent,
                "guardian_consent_at": consent,
                "guardian_name": "Phụ huynh" if consent else "",
                "consent_text_version": "1" if consent else "",
                "joined_at": now - timedelta(days=10),
            }
        )
        if n % TEAM_SIZE == 0:
            name = f"Đội {team_id} {club.name}"
            teams.append(
                {"id": team_id, "contest_id": contest.id, "club_id": club.id, "name": name}
            )
        links.append({"team_id": team_id, "member_id": member_id})
        attempts.append(_attempt_row(rng, quiz, member_id, team_id, n))
    return members, teams, links, attempts


def pupil_cookie(app, member_id: int) -> str:
    """A ``Cookie`` header of a pupil's phone that already has a session (and CSRF token)."""
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"contest_member_id": member_id, "csrf_token": secrets.token_hex(20)}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def _insert(members, teams, links, attempts) -> None:
    """Bulk rows (Core ``executemany``) with explicit ids, then ANALYZE."""
    from surveyapp.contests.models import ClubMember, Team, team_member
    from surveyapp.contests.quiz_models import QuizAttempt
    from surveyapp.extensions import db

    db.session.execute(sa.insert(ClubMember), members)
    db.session.execute(sa.insert(Team), teams)
    db.session.execute(sa.insert(team_member), links)
    db.session.execute(sa.insert(QuizAttempt), attempts)
    if db.engine.dialect.name == "postgresql":
        for table in ("club_member", "team"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    db.session.commit()
    tables = "club_member, team, team_member, quiz_attempt"
    postgres = db.engine.dialect.name == "postgresql"
    db.session.execute(sa.text(f"ANALYZE {tables}" if postgres else "ANALYZE"))
    db.session.commit()


def build(url: str, secret: str, participants: int) -> tuple[int, float, str, str]:
    """Schema and data; returns the round id, the cold board build time in ms, the cookie
    of a pupil ranked somewhere below the first page and the public page's ETag."""
    from surveyapp import create_app
    from surveyapp.contests import leaderboard
    from surveyapp.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        db.create_all()
        contest, quiz, clubs = _contest(now)
        members, teams, links, attempts = _rows(contest, quiz, clubs, participants, now)
        _insert(members, teams, links, attempts)
        round_id = quiz.id
        started = time.perf_counter()
        with app.test_request_context():
            board = leaderboard.board(db.session.get(type(quiz), round_id), now=now)
        cold_ms = (time.perf_counter() - started) * 1000
        assert len(board.rows) == participants, len(board.rows)
        outside_first_page = board.rows[len(board.rows) // 2].key
        cookie = pupil_cookie(app, int(outside_first_page.removeprefix("m")))
        db.session.remove()
    etag = app.test_client().get(f"/contests/rounds/{round_id}/leaderboard").headers["ETag"]
    with app.app_context():
        db.engine.dispose()
    return round_id, cold_ms, cookie, etag


def check_page(base_url: str, request: Request, marker: str) -> None:
    """The page must really be the board (rows, pages, ``marker``), not an error page."""
    asked = urllib.request.Request(base_url + request.path, headers=request.headers)  # noqa: S310
    with urllib.request.urlopen(asked, timeout=10) as reply:  # noqa: S310 (our own server)
        page = reply.read().decode()
        rows = page.count("<tr>")
        if reply.status != 200 or rows < 101 or 'class="pager"' not in page or marker not in page:
            raise SystemExit(f"the leaderboard page is not right ({reply.status}):\n{page[:3000]}")


@dataclass
class Target:
    label: str
    app: str
    env: dict
    request: Request
    check: str | None = None


def measure(targets: list[Target], args) -> dict[str, LoadResult]:
    """Serve every target at once (idle servers cost nothing), then load them in turn,
    ``--rounds`` times, keeping each one's best run: the machine's drift hits all alike."""
    with contextlib.ExitStack() as stack:
        servers = {}
        for t in targets:
            server = Server(t.app, workers=args.workers, env=t.env, ready_path=t.request.path)
            servers[t.label] = stack.enter_context(server)
            if t.check:
                check_page(servers[t.label].url, t.request, t.check)
            run_load(servers[t.label].url, [t.request], duration=1, connections=args.connections)
        best: dict[str, LoadResult] = {}
        for _ in range(args.rounds):
            for t in targets:
                result = run_load(
                    servers[t.label].url,
                    [t.request],
                    duration=args.duration,
                    connections=args.connections,
                )
                if t.label not in best or result.throughput > best[t.label].throughput:
                    best[t.label] = result
    for t in targets:
        print(best[t.label].line(t.label), flush=True)
    return best


def run_engine(name: str, url: str | None, args) -> None:
    secret = secrets.token_hex(16)
    url = fresh_database(url)
    round_id, cold_ms, cookie, etag = build(url, secret, args.participants)
    path = f"/contests/rounds/{round_id}/leaderboard"
    print(f"-- {name}: {args.participants:,} participants; board built cold in {cold_ms:.0f} ms")
    env = {"SURVEYAPP_DATABASE_URL": url, "SURVEYAPP_SECRET_KEY": secret}
    ttl0 = {**env, "SURVEYAPP_LEADERBOARD_CACHE_SECONDS": "0"}
    app, page = "surveyapp:create_app()", Request("GET", path)
    phone = Request("GET", path, headers={"Cookie": cookie})
    again = Request("GET", path, headers={"If-None-Match": etag})
    results = measure(
        [
            Target("minimal Flask", "benchmarks.load_apps:minimal_app()", env, page),
            Target("leaderboard", app, env, page, "quiz-board"),
            Target("leaderboard, pupil's phone", app, env, phone, "quiz-mine"),
            Target("leaderboard, revalidated (304)", app, env, again),
            Target("leaderboard, TTL 0", app, ttl0, page, "quiz-board"),
        ],
        args,
    )
    minimal = results["minimal Flask"].throughput or 1.0
    ratio = results["leaderboard"].throughput / minimal
    phone_ratio = results["leaderboard, pupil's phone"].throughput / minimal
    ratio304 = results["leaderboard, revalidated (304)"].throughput / minimal
    ratio0 = results["leaderboard, TTL 0"].throughput / minimal
    verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(
        f"ratio leaderboard / minimal: {ratio:.2f} (target >= {TARGET_RATIO}) {verdict}; "
        f"pupil's phone: {phone_ratio:.2f}; revalidated: {ratio304:.2f}; TTL 0: {ratio0:.2f}",
        flush=True,
    )


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.leaderboard_bench", description=__doc__
    )
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument(
        "--postgres", metavar="URL", help="also run on this database (in its own schema)"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=2, help="runs per target (best kept)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.participants < 100:
        raise SystemExit("use at least 100 participants")
    if not wrk_path():
        print("wrk is not installed: the figures come from a slower Python load loop")
    run_engine("SQLite", None, args)
    if args.postgres:
        run_engine("PostgreSQL", args.postgres, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
