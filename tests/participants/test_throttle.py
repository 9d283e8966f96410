"""Counting wrong codes per hashed address in the database, and the growing wait."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants import throttle
from surveyapp.participants.models import AccessAttempt

T0 = datetime(2026, 3, 1, 8, 7, 30, tzinfo=UTC)


def test_window_start_is_the_start_of_the_fixed_window():
    assert throttle.window_start(T0, 15) == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert throttle.window_start(T0 + timedelta(minutes=8), 15) == datetime(
        2026, 3, 1, 8, 15, tzinfo=UTC
    )


def test_delay_doubles_after_the_free_tries():
    assert [throttle.delay_after(n, 3) for n in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert throttle.delay_after(100, 3) == throttle.MAX_DELAY


def test_address_is_stored_only_as_a_keyed_hash():
    digest = throttle.hash_address("secret", "203.0.113.7")
    assert len(digest) == 64 and "203" not in digest
    assert digest != throttle.hash_address("other", "203.0.113.7")


def test_failures_are_counted_and_make_the_address_wait(ctx):
    ip = throttle.hash_address("s", "203.0.113.7")
    assert throttle.wait_seconds(ip, T0, free=2, minutes=15) == 0
    for _ in range(3):
        throttle.record_failure(ip, T0, minutes=15)
    row = db.session.scalar(sa.select(AccessAttempt).where(AccessAttempt.ip_hash == ip))
    assert row.count == 3
    # 3 failures with 2 free: wait 2 s after the last one.
    assert throttle.wait_seconds(ip, T0, free=2, minutes=15) == 2
    assert throttle.wait_seconds(ip, T0 + timedelta(seconds=2), free=2, minutes=15) == 0
    other = throttle.hash_address("s", "198.51.100.1")
    assert throttle.wait_seconds(other, T0, free=2, minutes=15) == 0


def test_a_new_window_starts_afresh_and_old_rows_are_removed(ctx):
    ip = throttle.hash_address("s", "203.0.113.7")
    for _ in range(5):
        throttle.record_failure(ip, T0, minutes=15)
    later = T0 + timedelta(minutes=20)
    assert throttle.wait_seconds(ip, later, free=2, minutes=15) == 0
    throttle.record_failure(ip, T0 + timedelta(days=2), minutes=15)
    rows = db.session.scalars(sa.select(AccessAttempt.count)).all()
    assert rows == [1]
