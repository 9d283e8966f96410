"""Administrative units: schemes (2024 three levels, 2025 two levels), the tree, the crosswalk.

A locality is identified by (scheme, code), never by code alone: code 15 was Yên Bái in
the 2024 scheme and is Lào Cai in the 2025 one. The tree is stored as a materialised
path of ids (``/1/7/42/``) so a subtree is one indexed range query (see ``subtree_filter``).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from surveyapp.extensions import db
from surveyapp.localities.text import fold


class LocalityScheme(db.Model):
    __tablename__ = "locality_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    effective_from: Mapped[date]
    superseded_on: Mapped[date | None]

    def __repr__(self) -> str:
        return f"<LocalityScheme {self.code}>"


class Locality(db.Model):
    __tablename__ = "locality"
    __table_args__ = (
        sa.UniqueConstraint("scheme_id", "code"),
        sa.CheckConstraint("depth >= 0", name="depth_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(sa.ForeignKey("locality_scheme.id"))
    code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    # ``name`` folded for search (no accents, lower case; see ``text.fold``), kept in step
    # by ``_fold_name``; bulk writers set it themselves.
    search_name: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[str] = mapped_column(sa.String(40))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)

    scheme: Mapped[LocalityScheme] = relationship(lazy="joined")
    parent: Mapped[Locality | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Locality {self.code} {self.name}>"

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.search_name = fold(name)
        return name

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    def set_parent(self, parent: Locality | None) -> None:
        """Attach under ``parent``; the row must be flushed (have an id) first."""
        self.parent = parent
        self.parent_id = parent.id if parent else None
        prefix = parent.path if parent else "/"
        self.path = f"{prefix}{self.id}/"
        self.depth = parent.depth + 1 if parent else 0


class LocalityCrosswalk(db.Model):
    """Maps a unit of an older scheme to the unit(s) of a newer one that took it over."""

    __tablename__ = "locality_crosswalk"
    __table_args__ = (sa.UniqueConstraint("old_id", "new_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id", ondelete="CASCADE"))
    new_id: Mapped[int] = mapped_column(
        sa.ForeignKey("locality.id", ondelete="CASCADE"), index=True
    )
    partial: Mapped[bool] = mapped_column(default=False)
    effective_on: Mapped[date]

    old: Mapped[Locality] = relationship(foreign_keys=[old_id])
    new: Mapped[Locality] = relationship(foreign_keys=[new_id])


def path_upper_bound(path: str) -> str:
    """Smallest string greater than every path below ``path``.

    Paths are digits and slashes; '0' sorts just after '/', so ``/1/7/`` -> ``/1/70``
    bounds the subtree and the query stays an index range scan on every engine.
    """
    return path[:-1] + "0"


def subtree_filter(column, path: str):
    """SQL condition: ``column`` (a path column) lies in the subtree rooted at ``path``."""
    return sa.and_(column >= path, column < path_upper_bound(path))
