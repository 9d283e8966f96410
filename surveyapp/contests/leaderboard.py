"""The leaderboard of a quiz round: ranking in SQL, freezing, revealing, and a cache.

Ranking (written on the page, ``TIE_BREAK``): each contestant's best attempt counts; higher
score first, then shorter time taken, then earlier submission; contestants equal on all
three share the rank (1, 1, 3). Scores are after the round's late rule.

Freezing: for the last ``freeze_minutes`` of a round the public sees the board as it stood
when the freeze began (only attempts sent before it), until an organiser reveals the board
after the round has closed; organisers always see the live board.

Cache: boards are kept per process, keyed by round and view, with the data version (count,
last submission, id and score sums of the attempts counted) checked at most every
``LEADERBOARD_CACHE_SECONDS`` (3 s; 0 in tests) and rebuilt at the latest after
``LEADERBOARD_CACHE_MAX_AGE`` (60 s, so a newly recorded consent shows). Within the TTL a
page view costs no query at all, so a thousand pupils refreshing the board cost about nothing.

Public API: ``board(round, viewer_is_organiser=False, now=None) -> Board`` (used by the
results page too), ``cached(round_id, ...)`` for the page itself, ``forget(round_id)``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from surveyapp.contests import clock
from surveyapp.contests.attempts import aware
from surveyapp.contests.models import (
    ClubMember,
    ContestStatus,
    Round,
    RoundKind,
    Team,
    team_member,
)
from surveyapp.contests.names import public_name, team_label
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.extensions import db

TIE_BREAK = _l(
    "Each contestant's best attempt counts. Higher score first; on equal scores, the shorter "
    "time taken; then the earlier submission. Contestants equal on all three share a rank."
)
LIVE, FROZEN, REVEALED = "live", "frozen", "revealed"


@dataclass(frozen=True)
class BoardRow:
    rank: int
    key: str  # "m<member id>" or "t<team id>"
    label: str
    score: Decimal
    max_score: Decimal
    duration_ms: int
    submitted_at: datetime
    late: bool

    @property
    def time_taken(self) -> str:
        return time_taken(self.duration_ms)


def time_taken(duration_ms: int | None) -> str:
    """``m:ss.s`` (or ``h:mm:ss.s``), tenths of a second cut, never rounded up."""
    tenths = (duration_ms or 0) // 100
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    seconds = f"{rest // 10:02d}.{rest % 10}"
    return f"{hours}:{minutes:02d}:{seconds}" if hours else f"{minutes}:{seconds}"


@dataclass
class Board:
    round_id: int
    state: str  # LIVE, FROZEN or REVEALED (what this viewer sees)
    cutoff: datetime | None  # FROZEN: only attempts sent before this moment
    rows: list[BoardRow] = field(default_factory=list)
    member_rows: dict[int, int] = field(default_factory=dict)  # member id -> index in rows
    tie_break = TIE_BREAK

    def row_of_member(self, member_id: int | None) -> BoardRow | None:
        index = self.member_rows.get(member_id) if member_id is not None else None
        return None if index is None else self.rows[index]


def view_state(round_: Round, now: datetime, *, organiser: bool) -> tuple[str, datetime | None]:
    """What a viewer sees now: the live board, or the board frozen at ``cutoff``."""
    return state_at(
        aware(round_.revealed_at), aware(round_.closes_at), round_.freeze_minutes, now, organiser
    )


def state_at(revealed_at, closes_at, freeze_minutes, now, organiser) -> tuple[str, datetime | None]:
    if revealed_at is not None:
        return REVEALED, None
    if organiser or not freeze_minutes:
        return LIVE, None
    cutoff = closes_at - timedelta(minutes=freeze_minutes)
    return (FROZEN, cutoff) if now >= cutoff else (LIVE, None)


def _counted(round_id: int, cutoff: datetime | None):
    conditions = [QuizAttempt.round_id == round_id, QuizAttempt.submitted_at.is_not(None)]
    if cutoff is not None:
        conditions.append(QuizAttempt.submitted_at < cutoff)
    return conditions


def data_version(round_id: int, cutoff: datetime | None) -> tuple:
    """Changes whenever an attempt counted on this board is added or changed."""
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.max(QuizAttempt.submitted_at),
            sa.func.sum(QuizAttempt.id),
            sa.func.sum(QuizAttempt.score),
        ).where(*_counted(round_id, cutoff))
    ).one()
    return tuple(str(value) for value in row)


def _ranked_query(round_id: int, cutoff: datetime | None):
    a = QuizAttempt
    best = sa.func.row_number().over(
        partition_by=a.contestant_key,
        order_by=(a.score.desc(), a.duration_ms.asc(), a.submitted_at.asc(), a.id.asc()),
    )
    picked = (
        sa.select(
            a.contestant_key,
            a.member_id,
            a.team_id,
            a.score,
            a.max_score,
            a.duration_ms,
            a.submitted_at,
            a.late,
            best.label("pick"),
        )
        .where(*_counted(round_id, cutoff))
        .subquery()
    )
    order = (picked.c.score.desc(), picked.c.duration_ms.asc(), picked.c.submitted_at.asc())
    return (
        sa.select(picked, sa.func.rank().over(order_by=order).label("rank"))
        .where(picked.c.pick == 1)
        .order_by(*order, picked.c.contestant_key)
    )


def _teams(team_ids: set[int], with_members: set[int]) -> dict[int, Team]:
    """Teams by id; those in ``with_members`` get their members in one query (not N)."""
    teams = {t.id: t for t in db.session.scalars(sa.select(Team).where(Team.id.in_(team_ids)))}
    if with_members:
        found: dict[int, list[ClubMember]] = {team_id: [] for team_id in with_members}
        pairs = db.session.execute(
            sa.select(team_member.c.team_id, ClubMember)
            .join(ClubMember, ClubMember.id == team_member.c.member_id)
            .where(team_member.c.team_id.in_(with_members))
            .order_by(ClubMember.full_name)
        )
        for team_id, member in pairs:
            found[team_id].append(member)
        for team_id, members in found.items():
            if team_id in teams:
                set_committed_value(teams[team_id], "members", members)
    return teams


def _labels(rows) -> tuple[dict[str, str], dict[int, str]]:
    """Public labels per contestant key, and each member's contestant key."""
    team_ids = {r.team_id for r in rows if r.team_id is not None}
    member_ids = {r.member_id for r in rows if r.member_id is not None}
    team_rows = {r.team_id for r in rows if r.member_id is None and r.team_id is not None}
    teams = _teams(team_ids, team_rows)
    members = {
        m.id: m
        for m in db.session.scalars(sa.select(ClubMember).where(ClubMember.id.in_(member_ids)))
    }
    labels, keys_of_members = {}, {}
    for r in rows:
        team = teams.get(r.team_id)
        if r.member_id is not None and r.member_id in members:
            labels[r.contestant_key] = public_name(members[r.member_id], team)
            keys_of_members[r.member_id] = r.contestant_key
        elif team is not None:
            labels[r.contestant_key] = team_label(team)
            keys_of_members.update({m.id: r.contestant_key for m in team.members})
        else:
            labels[r.contestant_key] = str(_l("A contestant"))
    return labels, keys_of_members


def standings(round_id: int, cutoff: datetime | None) -> tuple[list[BoardRow], dict[int, int]]:
    rows = db.session.execute(_ranked_query(round_id, cutoff)).all()
    labels, keys_of_members = _labels(rows)
    board_rows = [
        BoardRow(
            rank=r.rank,
            key=r.contestant_key,
            label=labels[r.contestant_key],
            score=Decimal(r.score or 0),
            max_score=Decimal(r.max_score or 0),
            duration_ms=r.duration_ms or 0,
            submitted_at=aware(r.submitted_at),
            late=bool(r.late),
        )
        for r in rows
    ]
    index = {row.key: i for i, row in enumerate(board_rows)}
    member_rows = {m: index[k] for m, k in keys_of_members.items() if k in index}
    return board_rows, member_rows


# ---------------------------------------------------------------- the cache


@dataclass
class Entry:
    """A cached board and what was rendered from it (fragments by page and locale)."""

    info: dict
    state: str
    version: tuple
    board: Board
    checked: float
    built: float
    fragments: dict = field(default_factory=dict)

    @property
    def tag(self) -> str:
        """Names the board's content the same way in every worker process (for ETags)."""
        tag = self.fragments.get("tag")
        if tag is None:
            labels = [row.label for row in self.board.rows]
            text = repr((self.version, labels)).encode()
            tag = self.fragments["tag"] = hashlib.blake2b(text, digest_size=9).hexdigest()
        return tag


_CACHE: dict[tuple, Entry] = {}
_LOCK = threading.Lock()


def _ttl() -> float:
    return float(
        current_app.config.get("LEADERBOARD_CACHE_SECONDS", 0 if current_app.testing else 3)
    )


def _max_age() -> float:
    return float(current_app.config.get("LEADERBOARD_CACHE_MAX_AGE", 60))


def forget(round_id: int) -> None:
    """Drop this process's cached boards of a round (after a reveal, for instance)."""
    with _LOCK:
        for key in [k for k in _CACHE if k[0] == round_id]:
            del _CACHE[key]


def round_info(round_: Round) -> dict:
    """What the page shows about the round, kept with the cached board."""
    return {
        "id": round_.id,
        "title": round_.title,
        "contest_id": round_.contest_id,
        "contest_title": round_.contest.title,
        "opens_at": aware(round_.opens_at),
        "closes_at": aware(round_.closes_at),
        "freeze_minutes": round_.freeze_minutes or 0,
        "revealed_at": aware(round_.revealed_at),
        "created_at": aware(round_.created_at),
        "contest_locality_id": round_.contest.locality_id,
    }


def shows_board(round_: Round) -> bool:
    """A board exists publicly for the quiz rounds of contests that are no longer drafts."""
    return round_.kind == RoundKind.QUIZ and round_.contest.status != ContestStatus.DRAFT


def fresh_entry(round_id: int, *, organiser: bool, now: datetime) -> Entry | None:
    """The cached entry when it is within its TTL and the view state has not changed."""
    entry = _CACHE.get((round_id, organiser, str(get_locale())))
    if entry is None or time.monotonic() - entry.checked > _ttl():
        return None
    info = entry.info
    state, _cutoff = state_at(
        info["revealed_at"], info["closes_at"], info["freeze_minutes"], now, organiser
    )
    return entry if state == entry.state else None


def entry_for(round_: Round, *, organiser: bool, now: datetime) -> Entry:
    """The cached entry of the round, checked against the data and rebuilt when stale."""
    state, cutoff = view_state(round_, now, organiser=organiser)
    info = round_info(round_)
    shown = tuple(sorted((name, str(value)) for name, value in info.items()))  # titles...
    version = (state, str(cutoff), shown, *data_version(round_.id, cutoff))
    # Labels are translated ("A member of <team>"): one board per language.
    key = (round_.id, organiser, str(get_locale()))
    moment = time.monotonic()
    entry = _CACHE.get(key)
    if entry is not None and entry.version == version and moment - entry.built <= _max_age():
        entry.checked = moment
        return entry
    rows, member_rows = standings(round_.id, cutoff)
    board_ = Board(round_.id, state, cutoff, rows, member_rows)
    entry = Entry(info, state, version, board_, checked=moment, built=moment)
    with _LOCK:
        _CACHE[key] = entry
    return entry


def board(round_: Round, viewer_is_organiser: bool = False, now: datetime | None = None) -> Board:
    """The board of a quiz round as this viewer may see it (cached, see the module doc)."""
    now = now or clock.now()
    return entry_for(round_, organiser=viewer_is_organiser, now=now).board
