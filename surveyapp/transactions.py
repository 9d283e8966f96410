"""Write transactions that do not fail, or crawl, under concurrent writers on SQLite.

SQLite in WAL mode lets readers and one writer work at once, but a transaction that began
by reading (``BEGIN`` is deferred) and then writes fails at once with "database is locked"
when another connection committed in between: its snapshot is stale, and the busy timeout
does not help. Under load (many trainees sending at the end of a class) that is most
submissions. ``start_writing()`` is called just before a request's writes: on SQLite it ends
the read-only transaction (nothing was written; loaded objects are kept, not expired) and
starts the next one with ``BEGIN IMMEDIATE``, which takes the write lock and then sees the
latest data.

Writers waiting for SQLite's lock poll it with growing sleeps (up to 100 ms), so with a few
gunicorn processes the lock often sits free while everyone sleeps. ``start_writing`` first
queues for an exclusive ``flock`` on ``<database>.write-lock`` (and a thread lock, for
threaded workers): the kernel wakes the next writer as soon as the lock is released, which
happens when the session's transaction ends (commit or rollback). Other writers (that do not
call ``start_writing``) still work: they meet SQLite's own lock and busy timeout.

On PostgreSQL it does nothing: rows are locked one by one and unique constraints settle
races.
"""

from __future__ import annotations

import fcntl
import os
import threading

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.extensions import db

IMMEDIATE = {"sqlite_begin": "BEGIN IMMEDIATE"}
LOCK_KEY = "surveyapp.write_lock"


def begin_statement(connection) -> str:
    """The statement that opens a SQLite transaction on ``connection`` (see configure_sqlite)."""
    return connection.get_execution_options().get("sqlite_begin", "BEGIN")


class WriteQueue:
    """An exclusive lock across processes (``flock``) and threads, for one database file."""

    def __init__(self, path: str):
        self.path = path + ".write-lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self) -> None:
        self._threads.acquire()
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


_queues: dict[str, WriteQueue] = {}
_queues_lock = threading.Lock()


def queue_for(url: sa.URL) -> WriteQueue | None:
    """The write queue of a SQLite database file (None for in-memory databases)."""
    if url.database in (None, "", ":memory:"):
        return None
    path = os.path.abspath(url.database)
    with _queues_lock:
        return _queues.setdefault(path, WriteQueue(path))


def start_writing() -> None:
    """On SQLite, before the first write of a transaction: take the write lock now."""
    session = db.session()
    engine = session.get_bind().engine  # a test session is bound to a Connection
    if engine.dialect.name != "sqlite":
        return
    if session.new or session.dirty or session.deleted or session.in_nested_transaction():
        return  # already writing: too late to change how the transaction began
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()  # ends the read snapshot; nothing was written
    finally:
        session.expire_on_commit = keep
    queue = queue_for(engine.url)
    if queue is not None and LOCK_KEY not in session.info:
        queue.acquire()
        session.info[LOCK_KEY] = queue  # released when this transaction ends
    session.connection(execution_options=IMMEDIATE)


@sa.event.listens_for(Session, "after_transaction_end")
def _release_write_queue(session, transaction) -> None:
    if transaction.parent is None:
        queue = session.info.pop(LOCK_KEY, None)
        if queue is not None:
            queue.release()
