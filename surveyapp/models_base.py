"""Small helpers shared by the models of every domain."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now in UTC; used as a column default (a function, not a value)."""
    return datetime.now(UTC)
