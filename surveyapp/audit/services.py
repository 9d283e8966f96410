"""Writing audit entries. Services call ``record``; it flushes nothing and never commits."""

from __future__ import annotations

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db


def record(actor, action: str, obj, *, locality_id: int | None = None, **detail) -> AuditEntry:
    """Add an audit entry for ``action`` done by ``actor`` on ``obj`` (a model instance)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__tablename__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        locality_id=locality_id if locality_id is not None else getattr(obj, "locality_id", None),
        detail={k: _jsonable(v) for k, v in detail.items()},
    )
    db.session.add(entry)
    return entry


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
