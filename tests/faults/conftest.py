"""Fixtures of the fault tests: the journey's small world, and a database of its own for a
real server (the suite's database lives inside one rolled-back transaction, which another
process cannot see).

``live_database`` gives a URL: a new SQLite file, or, when the suite runs on PostgreSQL
(``TEST_DATABASE_URL``), a schema of its own in that database (dropped afterwards).
"""

from __future__ import annotations

import os
import secrets

import pytest
import sqlalchemy as sa

from surveyapp.config import normalise_database_url
from tests.journey.helpers import world  # noqa: F401


@pytest.fixture
def live_database(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'live.sqlite'}"
        return
    schema = f"faults_{secrets.token_hex(4)}"
    engine = sa.create_engine(normalise_database_url(base))
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
