"""Keyset ("cursor") pagination: pages ordered by an id, the cursor is the last id sent.

Each page is one indexed range query however deep the client has paged, and rows
inserted meanwhile never shift a page.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db

MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger cursor value means "past the end"


def cursor_part(text: str) -> int:
    return min(int(text), MAX_ID)


def page_of(query: sa.Select, key, *, limit: int, cursor: str | None, scalars: bool = False):
    """``{"items", "limit", "next_cursor"}``: the rows of ``query`` after ``cursor`` by ``key``."""
    if cursor is not None:
        query = query.where(key > cursor_part(cursor))
    query = query.order_by(key).limit(limit + 1)
    rows = db.session.scalars(query).all() if scalars else db.session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = None
    if more and last is not None:
        next_cursor = str(getattr(last, key.key))
    return {"items": rows, "limit": limit, "next_cursor": next_cursor}
