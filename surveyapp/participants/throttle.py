"""Slowing down guessing of class access codes and follow-up codes.

Wrong codes are counted per hashed client address in fixed time windows, in the
``access_attempt`` table, so every app process and host sees the same count. After
``free`` wrong codes in a window each further try must wait twice as long as the last
(1 s, 2 s, 4 s... up to ``MAX_DELAY``); an early try is refused (HTTP 429) rather than
held open, so a guesser cannot tie up the app's workers.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surveyapp.extensions import db
from surveyapp.participants.models import AccessAttempt

MAX_DELAY = 300


def hash_address(secret: str, address: str | None) -> str:
    """A keyed hash of the client address: the table never holds an IP address."""
    return hmac.new(secret.encode(), (address or "?").encode(), hashlib.sha256).hexdigest()


def window_start(now: datetime, minutes: int) -> datetime:
    """Start of the fixed window of ``minutes`` that contains ``now`` (UTC)."""
    now = _aware(now).astimezone(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = int((now - midnight).total_seconds()) // (minutes * 60) * (minutes * 60)
    return midnight + timedelta(seconds=elapsed)


def delay_after(count: int, free: int) -> int:
    """Seconds to wait after ``count`` wrong codes: none within the ``free`` ones."""
    if count < free:
        return 0
    return min(2 ** (count - free), MAX_DELAY)


def wait_seconds(ip_hash: str, now: datetime, *, free: int, minutes: int) -> int:
    """How long this address must still wait before trying a code (0: it may try now)."""
    row = db.session.execute(
        sa.select(AccessAttempt.count, AccessAttempt.last_at).where(
            AccessAttempt.ip_hash == ip_hash,
            AccessAttempt.window_start == window_start(now, minutes),
        )
    ).first()
    if row is None:
        return 0
    ready = _aware(row.last_at) + timedelta(seconds=delay_after(row.count, free))
    return max(0, int((ready - _aware(now)).total_seconds() + 0.999))


def record_failure(ip_hash: str, now: datetime, *, minutes: int) -> None:
    """Count one wrong code; safe when several processes count at the same moment."""
    start = window_start(now, minutes)
    if _increment(ip_hash, start, now):
        return
    try:
        with db.session.begin_nested():
            db.session.add(AccessAttempt(ip_hash=ip_hash, window_start=start, count=1, last_at=now))
    except IntegrityError:
        _increment(ip_hash, start, now)  # another process inserted the row first
    db.session.execute(
        sa.delete(AccessAttempt).where(AccessAttempt.window_start < start - timedelta(days=1))
    )


def _increment(ip_hash: str, start: datetime, now: datetime) -> bool:
    result = db.session.execute(
        sa.update(AccessAttempt)
        .where(AccessAttempt.ip_hash == ip_hash, AccessAttempt.window_start == start)
        .values(count=AccessAttempt.count + 1, last_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
