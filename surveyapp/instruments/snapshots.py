"""The items of a version, read once per process and kept (a trainee's submission reads
them on every request; they hardly ever change).

``items_of(version)`` returns plain read-only copies of the version's items, in order,
cached under ``(version id, items_revision)``. Every flush that adds, changes or removes an
``Item`` gives its version a new random ``items_revision`` (the ``after_flush`` hook below;
random, so that the number of an edit rolled back is never met again), so a
version edited while still a draft, or an answer key corrected on a frozen version, is read
afresh by every worker on its next request: the revision comes with the version row, which
the caller has already loaded.

A copy has every column of ``Item`` and its ``scored`` property; it is not an ORM object
(no session, no lazy loads), so it can be shared by the threads of a worker.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from surveyapp.instruments.models import InstrumentVersion, Item

CACHE_SIZE = 256  # versions kept per process
_COLUMNS = tuple(column.key for column in sa.inspect(Item).column_attrs)


class ItemCopy:
    """A detached, read-only copy of one ``Item`` row."""

    __slots__ = _COLUMNS

    def __init__(self, item: Item):
        for name in _COLUMNS:
            object.__setattr__(self, name, getattr(item, name))

    def __setattr__(self, name, value):
        raise AttributeError("a cached item is read-only")

    @property
    def scored(self) -> bool:
        return self.answer_key is not None and self.points > 0

    def __repr__(self) -> str:
        return f"<ItemCopy {self.key}>"


_cache: OrderedDict[tuple[int, int], tuple[ItemCopy, ...]] = OrderedDict()
_lock = threading.Lock()


def items_of(version: InstrumentVersion) -> tuple[ItemCopy, ...]:
    """The items of ``version`` (ordered by position) as cached copies."""
    key = (version.id, version.items_revision)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    copies = tuple(ItemCopy(item) for item in version.items)
    with _lock:
        _cache[key] = copies
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return copies


def clear() -> None:
    with _lock:
        _cache.clear()


@sa.event.listens_for(Session, "after_flush")
def _raise_revisions(session: Session, _context) -> None:
    """Raise ``items_revision`` of every version whose items this flush touched."""
    touched = {
        item.version_id
        for item in (*session.new, *session.dirty, *session.deleted)
        if isinstance(item, Item) and item.version_id is not None
    }
    if not touched:
        return
    table = InstrumentVersion.__table__
    revision = secrets.randbelow(2**31 - 1) + 1
    session.connection().execute(
        table.update().where(table.c.id.in_(sorted(touched))).values(items_revision=revision)
    )
    for version in [*session.identity_map.values(), *session.new]:  # new: not yet mapped
        if isinstance(version, InstrumentVersion) and version.id in touched:
            set_committed_value(version, "items_revision", revision)
