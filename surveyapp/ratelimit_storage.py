"""A ``limits`` storage kept in the app's own database (SQLite or PostgreSQL).

On PostgreSQL the counts are in the app's ``rate_limit_counter`` table, written with
``synchronous_commit=off``. An app on a SQLite file keeps them in a file of their own beside
it (``<database>-ratelimit``, same table): every worker of the host shares it, and a count
never queues behind a trainee's submission.

Selected by ``RATELIMIT_STORAGE_URI = "database://"`` (the default). Each hit is one short
transaction of its own on a connection of its own, outside the request's session: an
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` that starts a new window when the old
one has ended, so concurrent workers never lose a count and a view that rolls back does
not undo it. On a SQLite counts file the hit goes through the ``sqlite3`` module itself
(``_CountsFile``); the rest, and PostgreSQL, through SQLAlchemy. Expired rows are removed
at most once a minute per process.

It supports the fixed-window strategy (Flask-Limiter's default), which needs nothing but a
counter with an expiry. A deployment with Redis can use ``redis://...`` instead.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time

import sqlalchemy as sa
from limits.storage import Storage

from surveyapp.ratelimit_models import KEY_LENGTH, RateLimitCounter
from surveyapp.transactions import WriteQueue

SCHEME = "database"
CLEANUP_INTERVAL = 60.0
TABLE = RateLimitCounter.__table__


# The same statement on SQLite (3.35+) and PostgreSQL. Written as text: SQLAlchemy cannot
# cache the compiled form of ``insert().on_conflict_do_update()``, and compiling it on every
# hit cost more than the database's own work.
UPSERT = sa.text(
    """
    INSERT INTO rate_limit_counter (key, count, expires_at) VALUES (:key, :amount, :until)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_counter.expires_at <= :now THEN :amount
                   ELSE rate_limit_counter.count + :amount END,
      expires_at = CASE WHEN rate_limit_counter.expires_at <= :now THEN :until
                        ELSE rate_limit_counter.expires_at END
    RETURNING count
    """
).bindparams(
    sa.bindparam("key", type_=sa.String),
    sa.bindparam("amount", type_=sa.Integer),
    sa.bindparam("now", type_=sa.Float),
    sa.bindparam("until", type_=sa.Float),
)


_counting_engines: dict[tuple[str, int], sa.Engine] = {}
_creating = threading.Lock()


def counting_url(url: sa.URL) -> sa.URL:
    """Where the counts of an app on a SQLite file live: a file of their own beside it
    (``<database>-ratelimit``), so a count never waits for the app's writers nor they for it."""
    return url.set(database=os.path.abspath(url.database) + "-ratelimit")


def _counting_engine(url: sa.URL) -> sa.Engine:
    """This process's engine for the counts of an app on ``url``.

    A SQLite file: the counts file beside it (``counting_url``), WAL and
    ``synchronous=NORMAL``, the table made on first use. PostgreSQL: the app's database
    with ``synchronous_commit=off``, in autocommit (a hit is one atomic upsert, so it needs
    no BEGIN and COMMIT round trips). Either way a count is not worth waiting for the disk:
    one lost in a crash costs nothing.
    """
    from surveyapp import configure_sqlite

    key = (url.render_as_string(hide_password=False), os.getpid())  # a forked worker: its own
    engine = _counting_engines.get(key)
    if engine is not None:
        return engine
    with _creating:
        if key not in _counting_engines:
            if url.get_backend_name() == "postgresql":
                engine = sa.create_engine(
                    url,
                    pool_pre_ping=True,
                    isolation_level="AUTOCOMMIT",  # one statement a hit: no BEGIN, no COMMIT
                    connect_args={"options": "-c synchronous_commit=off"},
                )
            else:
                engine = sa.create_engine(counting_url(url))
                configure_sqlite(engine)

                @sa.event.listens_for(engine, "connect")
                def _no_fsync(dbapi_connection, _record):
                    dbapi_connection.execute("PRAGMA synchronous=NORMAL")

                _in_turn(engine, lambda connection: TABLE.create(connection, checkfirst=True))
            _counting_engines[key] = engine
    return _counting_engines[key]


def dispose_counting_engines() -> None:
    """Close this process's counting engines and files (tests, a process about to end)."""
    with _creating:
        for engine in _counting_engines.values():
            engine.dispose()
        _counting_engines.clear()
        for counts in _counts_files.values():
            counts.close()
        _counts_files.clear()


def _has_counting_engine(engine: sa.Engine) -> bool:
    """A SQLite file or PostgreSQL (see ``_counting_engine``); else the app's own engine."""
    if engine.dialect.name == "sqlite":
        return engine.url.database not in (None, "", ":memory:")
    return engine.dialect.name == "postgresql"


def _in_turn(engine: sa.Engine, work):
    """``work(connection)`` in one write transaction on SQLite, the workers taking turns on a
    ``transactions.WriteQueue``: waiting for SQLite's own lock means sleeping in steps of
    milliseconds, and a transaction that read first could not write at all."""
    from surveyapp.transactions import IMMEDIATE, queue_for

    queue = queue_for(engine.url)
    if queue is not None:
        queue.acquire()
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(**IMMEDIATE)
            with connection.begin():
                return work(connection)
    finally:
        if queue is not None:
            queue.release()


class _CountsFile:
    """The hits on a SQLite counts file, through the ``sqlite3`` module itself.

    A hit is one tiny write; SQLAlchemy's connection handling cost twice SQLite's own work.
    Each thread of a process has its own connection (WAL, ``synchronous=NORMAL``, a busy
    timeout), and takes its turn on the file's ``transactions.WriteQueue`` as ``_in_turn``
    does. ``close()`` closes every thread's connection.
    """

    def __init__(self, path: str, queue: WriteQueue):
        self.path = path
        self.queue = queue
        self._connections: dict[int, sqlite3.Connection] = {}
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        thread = threading.get_ident()
        connection = self._connections.get(thread)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            with self._lock:
                self._connections[thread] = connection
        return connection

    def hit(self, params: dict) -> int:
        self.queue.acquire()
        try:
            connection = self._connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                count = connection.execute(UPSERT.text, params).fetchone()[0]
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return count
        finally:
            self.queue.release()

    def close(self) -> None:
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()


_counts_files: dict[tuple[str, int], _CountsFile] = {}


def _counts_file(engine: sa.Engine) -> _CountsFile:
    """This process's ``_CountsFile`` for the SQLite file of ``engine``."""
    from surveyapp.transactions import queue_for

    key = (os.path.abspath(engine.url.database), os.getpid())  # a forked worker: its own
    found = _counts_files.get(key)
    if found is None:
        with _creating:
            found = _counts_files.get(key)
            if found is None:
                found = _counts_files[key] = _CountsFile(key[0], queue_for(engine.url))
    return found


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

        return _counting_engine(db.engine.url) if _has_counting_engine(db.engine) else db.engine

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return (sa.exc.SQLAlchemyError, sqlite3.Error)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the window's count, opening a new window if it has ended."""
        now = time.time()
        params = {"key": stored_key(key), "amount": amount, "now": now, "until": now + expiry}
        engine = self.engine
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            count = _counts_file(engine).hit(params)
        elif engine.dialect.name == "sqlite":
            count = _in_turn(engine, lambda c: c.execute(UPSERT, params).scalar_one())
        else:
            with engine.begin() as connection:
                count = connection.execute(UPSERT, params).scalar_one()
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
