"""The database storage of rate limits: windows, expiry, keys, and counts under concurrency.

Runs on the engine of ``TEST_DATABASE_URL`` (PostgreSQL) when set, else on SQLite.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from surveyapp.config import normalise_database_url
from surveyapp.ratelimit_models import KEY_LENGTH, RateLimitCounter
from surveyapp.ratelimit_storage import DatabaseStorage, stored_key

from .conftest import database_url


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(normalise_database_url(url))
    if engine.dialect.name == "sqlite":
        from surveyapp import configure_sqlite

        configure_sqlite(engine)
    return engine


@pytest.fixture
def url(tmp_path):
    url = database_url(tmp_path)
    engine = _engine(url)
    RateLimitCounter.__table__.create(engine, checkfirst=True)
    with engine.begin() as connection:
        connection.execute(sa.delete(RateLimitCounter))
    yield url
    with engine.begin() as connection:
        connection.execute(sa.delete(RateLimitCounter))
    engine.dispose()


@pytest.fixture
def storage(url):
    engine = _engine(url)
    yield DatabaseStorage(engine=engine)
    engine.dispose()


class Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(1_800_000_000.0)
    monkeypatch.setattr("surveyapp.ratelimit_storage.time", clock)
    return clock


def test_the_scheme_selects_the_database_storage():
    assert isinstance(storage_from_string("database://"), DatabaseStorage)


def test_counts_within_a_window_then_starts_a_new_one(storage, clock):
    assert storage.incr("k", 60) == 1
    assert storage.incr("k", 60, amount=2) == 3
    assert storage.get("k") == 3
    assert storage.get_expiry("k") == clock.now + 60
    clock.now += 59
    assert storage.incr("k", 60) == 4
    clock.now += 1  # the window has ended
    assert storage.get("k") == 0
    assert storage.get_expiry("k") == clock.now
    assert storage.incr("k", 60) == 1
    assert storage.get_expiry("k") == clock.now + 60


def test_keys_are_separate_and_can_be_cleared(storage, clock):
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1
    assert storage.get("b") == 0


def test_long_keys_are_shortened_by_a_digest(storage, clock):
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    assert len(stored_key(long_a)) == KEY_LENGTH and stored_key(long_a) != stored_key(long_b)
    assert stored_key("short") == "short"
    storage.incr(long_a, 60)
    assert storage.get(long_a) == 1 and storage.get(long_b) == 0


def test_expired_rows_are_removed(storage, clock):
    storage.incr("old", 10)
    storage.incr("new", 100)
    clock.now += 50
    assert storage.remove_expired() == 1
    with storage.engine.connect() as connection:
        keys = connection.execute(sa.select(RateLimitCounter.key)).scalars().all()
    assert keys == ["new"]


def test_check_reports_health(storage, tmp_path):
    assert storage.check() is True
    broken = DatabaseStorage(engine=sa.create_engine(f"sqlite:///{tmp_path}/none/x.sqlite"))
    assert broken.check() is False


def test_works_with_the_fixed_window_strategy(storage, clock):
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("2 per minute")
    assert limiter.hit(limit, "client") and limiter.hit(limit, "client")
    assert not limiter.hit(limit, "client")
    assert limiter.hit(limit, "other")
    stats = limiter.get_window_stats(limit, "client")
    assert stats.remaining == 0 and stats.reset_time == clock.now + 60


def test_concurrent_workers_never_lose_or_repeat_a_count(url):
    """Eight workers with their own connections hit one key 200 times in all."""
    engines = [_engine(url) for _ in range(8)]
    storages = [DatabaseStorage(engine=engine) for engine in engines]
    seen: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(storages))

    def work(storage):
        start.wait()
        for _ in range(25):
            value = storage.incr("shared", 60)
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=work, args=(s,)) for s in storages]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(seen) == list(range(1, 201))
        assert storages[0].get("shared") == 200
    finally:
        for engine in engines:
            engine.dispose()


def test_an_app_on_sqlite_counts_in_a_file_of_its_own_without_fsync(tmp_path, monkeypatch):
    """With the app on a SQLite file, counts live in ``<database>-ratelimit`` (this
    process's own engine, ``synchronous=NORMAL``), queued on that file's own lock, never on
    the app's; threads never lose a count, and the app's table stays empty."""
    from surveyapp import create_app, ratelimit_storage, transactions

    url = f"sqlite:///{tmp_path}/counts.sqlite"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    queued = []
    acquire = transactions.WriteQueue.acquire

    def counting_acquire(queue):
        queued.append(queue.path)
        acquire(queue)

    monkeypatch.setattr(transactions.WriteQueue, "acquire", counting_acquire)
    with app.app_context():
        RateLimitCounter.__table__.create(app.extensions["sqlalchemy"].engine)
        storage = DatabaseStorage()
        seen: list[int] = []
        lock = threading.Lock()

        def work():
            with app.app_context():
                for _ in range(20):
                    value = storage.incr("shared", 60)
                    with lock:
                        seen.append(value)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(seen) == list(range(1, 81))
        assert len(queued) == 1 + 80  # the table made on first use, then one turn a count
        assert set(queued) == {f"{tmp_path}/counts.sqlite-ratelimit.write-lock"}
        assert storage.get("shared") == 80
        with app.extensions["sqlalchemy"].engine.connect() as connection:
            in_app = connection.execute(sa.select(sa.func.count()).select_from(RateLimitCounter))
            assert in_app.scalar() == 0
        engine = ratelimit_storage._counting_engine(sa.make_url(url))
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        with app.extensions["sqlalchemy"].engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        ratelimit_storage.dispose_counting_engines()
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.mark.skipif(
    not database_url("").startswith("postgresql"), reason="needs TEST_DATABASE_URL (PostgreSQL)"
)
def test_an_app_on_postgresql_counts_in_its_table_without_waiting_for_the_wal_flush():
    """On PostgreSQL the counts stay in the app's table, written by an engine of their own
    with ``synchronous_commit=off``; the app's own commits keep waiting for the flush."""
    from surveyapp import create_app, ratelimit_storage

    url = database_url("")
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        RateLimitCounter.__table__.create(engine, checkfirst=True)
        storage = DatabaseStorage()
        try:
            assert storage.engine is not engine
            assert [storage.incr("pg-shared", 60) for _ in range(3)] == [1, 2, 3]
            with storage.engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
                assert connection.connection.driver_connection.autocommit  # no BEGIN/COMMIT
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
                stored = connection.execute(
                    sa.select(RateLimitCounter.count).where(RateLimitCounter.key == "pg-shared")
                )
                assert stored.scalar() == 3
        finally:
            with engine.begin() as connection:
                connection.execute(sa.delete(RateLimitCounter))
            ratelimit_storage.dispose_counting_engines()
            engine.dispose()
