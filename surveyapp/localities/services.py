"""Reading the locality tree: children, ancestors, descendant counts, search, the crosswalk.

Plain functions that other domains may call too (``children_of``, ``ancestors_of``). They
take the ``Scope`` explicitly where visibility matters and never read the request.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityCrosswalk, LocalityScheme
from surveyapp.localities.text import fold

KIND_LABELS = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
}
SEARCH_LIMIT = 50
CHILDREN_PER_PAGE = 50


def kind_label(kind: str):
    return KIND_LABELS.get(kind, kind)


def ancestors_of(locality: Locality) -> list[Locality]:
    """The units above ``locality``, root first (read from its path, one query)."""
    ids = [int(part) for part in locality.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    return list(
        db.session.scalars(sa.select(Locality).where(Locality.id.in_(ids)).order_by(Locality.depth))
    )


def children_of(locality: Locality, *, limit: int | None = None, offset: int = 0) -> list[Locality]:
    """The units directly under ``locality``, in order of official code."""
    query = sa.select(Locality).where(Locality.parent_id == locality.id).order_by(Locality.code)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def count_children(locality: Locality) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Locality).where(Locality.parent_id == locality.id)
    )


def descendant_counts(ids: list[int]) -> dict[int, int]:
    """Number of units below each of ``ids`` (any depth), in one grouped query."""
    if not ids:
        return {}
    top = sa.orm.aliased(Locality)
    below = sa.orm.aliased(Locality)
    upper = sa.func.substr(top.path, 1, sa.func.length(top.path) - 1, type_=sa.String) + "0"
    rows = db.session.execute(
        sa.select(top.id, sa.func.count(below.id))
        .outerjoin(below, sa.and_(below.path > top.path, below.path < upper))
        .where(top.id.in_(ids))
        .group_by(top.id)
    ).all()
    return {id_: count for id_, count in rows}


def schemes() -> list[LocalityScheme]:
    """Every scheme, newest first."""
    return list(
        db.session.scalars(sa.select(LocalityScheme).order_by(LocalityScheme.effective_from.desc()))
    )


def roots_in_scope(scope) -> list[Locality]:
    """The top units a user may browse: every province for an unrestricted scope, otherwise
    the roots of the scope's subtrees (their own unit and older units mapped into it)."""
    query = sa.select(Locality).order_by(Locality.scheme_id, Locality.code)
    if scope.unrestricted:
        query = query.where(Locality.depth == 0)
    else:
        query = query.where(Locality.path.in_(scope.root_paths or ["-"]))
    return list(db.session.scalars(query))


def counts_by_scheme(scope) -> dict[int, int]:
    """scheme id -> number of units inside the scope."""
    rows = db.session.execute(
        sa.select(Locality.scheme_id, sa.func.count())
        .where(scope.condition(Locality.path))
        .group_by(Locality.scheme_id)
    ).all()
    return {scheme_id: count for scheme_id, count in rows}


def search(text: str, scope, *, scheme_code: str | None = None, limit: int = SEARCH_LIMIT):
    """Units in ``scope`` whose name contains ``text`` ignoring accents and case, or whose code
    is ``text``. Returns (locality, parent name) pairs, at most ``limit`` + 1 of them so the
    caller can tell that the list was cut."""
    folded = fold(text)
    if not folded:
        return []
    parent = sa.orm.aliased(Locality)
    query = (
        sa.select(Locality, parent.name)
        .outerjoin(parent, Locality.parent_id == parent.id)
        .where(
            sa.or_(
                Locality.search_name.contains(folded, autoescape=True),
                Locality.code == text.strip(),
            ),
            scope.condition(Locality.path),
        )
        .order_by(Locality.depth, Locality.search_name, Locality.id)
        .limit(limit + 1)
    )
    if scheme_code:
        query = query.join(LocalityScheme, Locality.scheme_id == LocalityScheme.id).where(
            LocalityScheme.code == scheme_code
        )
    return [(row[0], row[1]) for row in db.session.execute(query)]


@dataclass
class Link:
    locality: Locality
    partial: bool


def crosswalk_of(locality: Locality) -> tuple[list[Link], list[Link]]:
    """(older units that fed ``locality``, newer units that ``locality`` became)."""
    fed_by = db.session.execute(
        sa.select(Locality, LocalityCrosswalk.partial)
        .join(LocalityCrosswalk, LocalityCrosswalk.old_id == Locality.id)
        .where(LocalityCrosswalk.new_id == locality.id)
        .order_by(Locality.code)
    ).all()
    became = db.session.execute(
        sa.select(Locality, LocalityCrosswalk.partial)
        .join(LocalityCrosswalk, LocalityCrosswalk.new_id == Locality.id)
        .where(LocalityCrosswalk.old_id == locality.id)
        .order_by(Locality.code)
    ).all()
    return [Link(*row) for row in fed_by], [Link(*row) for row in became]
