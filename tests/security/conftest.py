"""Fixtures for the security tests: apps with rate limits switched on.

The rest of the suite runs with limits off (``TESTING``). Here an app of its own, with
small limits, counts in the real ``rate_limit_counter`` table: on ``TEST_DATABASE_URL``
when set (PostgreSQL), else on a throwaway SQLite file. Counters commit for real (the
storage uses its own connection), so each test starts and ends with an empty table.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from surveyapp import create_app, ratelimit_storage
from surveyapp.extensions import db
from surveyapp.participants.models import AccessAttempt
from surveyapp.ratelimit_models import RateLimitCounter

SMALL_LIMITS = {
    "RATELIMIT_LOGIN": "3 per minute",
    "RATELIMIT_ACCESS_CODE": "4 per minute",
    "RATELIMIT_SUBMISSION": "5 per minute",
    "RATELIMIT_VERIFY": "3 per minute",
    "RATELIMIT_API": "6 per minute",
}


def database_url(tmp_path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path}/limits.sqlite"


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.delete(RateLimitCounter))
        connection.execute(sa.delete(AccessAttempt))


@pytest.fixture
def make_limited_app(tmp_path):
    """``make_limited_app(**config)``: an app with rate limits on (and small ones)."""
    made = []

    def _make(**config):
        settings = {
            "TESTING": True,
            "RATELIMIT_ENABLED": True,
            "DATABASE_URL": database_url(tmp_path),
            "SECRET_KEY": "security-test-secret",
            "WTF_CSRF_ENABLED": False,
            "LANGUAGES": ("en", "vi"),
            # The wrong-code slowdown of the journey must not answer before the limiter.
            "JOURNEY_FREE_ATTEMPTS": 1000,
            **SMALL_LIMITS,
            **config,
        }
        app = create_app(settings)
        with app.app_context():
            db.create_all()
            _empty_tables()
        made.append(app)
        return app

    yield _make
    for app in made:
        with app.app_context():
            _empty_tables()
            db.engine.dispose()
    ratelimit_storage.dispose_counting_engines()


@pytest.fixture
def limited_app(make_limited_app):
    return make_limited_app()
