"""A ``limits`` storage kept in the app's own database (SQLite or PostgreSQL).

Selected by ``RATELIMIT_STORAGE_URI = "database://"`` (the default). Each hit is one short
transaction of its own on a connection of its own, outside the request's session: an
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` that starts a new window when the old
one has ended, so concurrent workers never lose a count and a view that rolls back does
not undo it. Expired rows are removed at most once a minute per process.

It supports the fixed-window strategy (Flask-Limiter's default), which needs nothing but a
counter with an expiry. A deployment with Redis can use ``redis://...`` instead.
"""

from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from surveyapp.ratelimit_models import KEY_LENGTH, RateLimitCounter

SCHEME = "database"
CLEANUP_INTERVAL = 60.0
TABLE = RateLimitCounter.__table__
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def stored_key(key: str) -> str:
    """The key as stored: long keys (IPv6, long endpoints) are shortened by a digest."""
    if len(key) <= KEY_LENGTH:
        return key
    return key[: KEY_LENGTH - 65] + "#" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters in the ``rate_limit_counter`` table.

    ``engine`` may be given (tests, scripts); otherwise the current app's engine is used,
    so one storage object serves whichever app handles the request.
    """

    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        engine: sa.Engine | None = None,
        **options,
    ):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._engine = engine
        self._last_cleanup = 0.0

    @property
    def engine(self) -> sa.Engine:
        if self._engine is not None:
            return self._engine
        from surveyapp.extensions import db

        return db.engine

    @property
    def base_exceptions(self) -> type[Exception]:
        return sa.exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the window's count, opening a new window if it has ended."""
        now = time.time()
        upsert = UPSERTS[self.engine.dialect.name](TABLE)
        ended = TABLE.c.expires_at <= now
        statement = (
            upsert.values(key=stored_key(key), count=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[TABLE.c.key],
                set_={
                    "count": sa.case((ended, amount), else_=TABLE.c.count + amount),
                    "expires_at": sa.case((ended, now + expiry), else_=TABLE.c.expires_at),
                },
            )
            .returning(TABLE.c.count)
        )
        with self.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
        if now - self._last_cleanup > CLEANUP_INTERVAL:
            self._last_cleanup = now
            self.remove_expired(now)
        return count

    def _live(self, column, key: str):
        query = sa.select(column).where(
            TABLE.c.key == stored_key(key), TABLE.c.expires_at > time.time()
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar()

    def get(self, key: str) -> int:
        return self._live(TABLE.c.count, key) or 0

    def get_expiry(self, key: str) -> float:
        expires_at = self._live(TABLE.c.expires_at, key)
        return expires_at if expires_at is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.select(sa.func.count()).select_from(TABLE))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(TABLE.delete()).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(TABLE.delete().where(TABLE.c.key == stored_key(key)))

    def remove_expired(self, now: float | None = None) -> int:
        """Delete the rows of windows that have ended; returns how many."""
        moment = time.time() if now is None else now
        with self.engine.begin() as connection:
            return connection.execute(TABLE.delete().where(TABLE.c.expires_at <= moment)).rowcount
