"""Portable date arithmetic for the indicator queries (SQLite and PostgreSQL).

SQLite keeps dates and timestamps as ISO text (timestamps without their offset, always UTC
here) and computes with ``date()`` and ``julianday()``; PostgreSQL has real date types.
Each construct below compiles to the native form of the engine, so the queries that use
them stay single statements on both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class utc_date(FunctionElement):  # noqa: N801 (SQL function style)
    """The calendar date (UTC) of a timestamp."""

    type = sa.Date()
    inherit_cache = True


@compiles(utc_date)
def _utc_date_default(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_pg(element, compiler, **kw):
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


class days_between(FunctionElement):  # noqa: N801
    """Whole days from the second date to the first (``later - earlier``)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round(julianday({later}) - julianday({earlier})) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_pg(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(({later}) - ({earlier}))"


class month_start(FunctionElement):  # noqa: N801
    """The first day of the month of a date, as ISO text ``YYYY-MM-DD`` on both engines."""

    type = sa.String()
    inherit_cache = True


@compiles(month_start)
def _month_start_default(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_pg(element, compiler, **kw):
    day = compiler.process(element.clauses, **kw)
    return f"to_char(date_trunc('month', CAST({day} AS TIMESTAMP)), 'YYYY-MM-DD')"


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day`` (bounds of timestamp filters)."""
    return datetime.combine(day, time(), UTC)


def timestamp_in(column, date_from: date | None, date_to: date | None):
    """SQL condition: the UTC date of timestamp ``column`` lies in the inclusive range.

    Compares the raw column with two bounds, so an index on it still serves."""
    conditions = []
    if date_from is not None:
        conditions.append(column >= day_start(date_from))
    if date_to is not None:
        conditions.append(column < day_start(date_to + timedelta(days=1)))
    return sa.and_(sa.true(), *conditions)


def date_in(column, date_from: date | None, date_to: date | None):
    """SQL condition: date ``column`` lies in the inclusive range."""
    conditions = []
    if date_from is not None:
        conditions.append(column >= date_from)
    if date_to is not None:
        conditions.append(column <= date_to)
    return sa.and_(sa.true(), *conditions)
