"""The dashboard's cost does not grow with the number of localities or people."""

from __future__ import annotations

import contextlib
from datetime import date

import sqlalchemy as sa

from surveyapp.extensions import db
from tests.indicators.kpi_builders import KpiData

from .test_views import url


@contextlib.contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_query_count_is_fixed(f, login, world):
    client = login(f.user(role="admin"))
    client.get(url(world))  # warm up: caches of the first request
    with counted() as small:
        assert client.get(url(world)).status_code == 200
    data = KpiData()
    for n in range(6):
        commune = f.locality(f"Xã Mới {n}", parent=world.province)
        day = date(2026, 5, n + 1)
        cls = f.training_class(world.campaign, commune, start_date=day, end_date=day)
        for _ in range(3):
            data.person(cls)
    with counted() as large:
        assert client.get(url(world)).status_code == 200
    assert len(large) == len(small)
    assert len(small) < 40, len(small)
