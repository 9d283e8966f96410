"""Finding localities by scheme and official code, and listing choices for forms."""

from __future__ import annotations

import sqlalchemy as sa
from wtforms.fields.choices import SelectChoice

from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityScheme, subtree_filter


def scheme_choices() -> list[SelectChoice]:
    """(code, name) of every scheme, newest first."""
    schemes = db.session.scalars(
        sa.select(LocalityScheme).order_by(LocalityScheme.effective_from.desc())
    ).all()
    return [SelectChoice(s.code, s.name) for s in schemes]


def find_locality(scheme_code: str | None, code: str | None) -> Locality | None:
    code = (code or "").strip()
    if not code or not scheme_code:
        return None
    return db.session.scalar(
        sa.select(Locality)
        .join(LocalityScheme)
        .where(LocalityScheme.code == scheme_code, Locality.code == code)
    )


def subtree_choices(root: Locality, scope, *, max_depth: int | None = None) -> list[SelectChoice]:
    """(id, indented name) of the localities under ``root`` that ``scope`` allows, by path."""
    query = (
        sa.select(Locality.id, Locality.name, Locality.code, Locality.depth)
        .where(subtree_filter(Locality.path, root.path), scope.condition(Locality.path))
        .order_by(Locality.path)
    )
    if max_depth is not None:
        query = query.where(Locality.depth <= max_depth)
    rows = db.session.execute(query).all()
    return [
        SelectChoice(row.id, "\u00a0\u00a0" * (row.depth - root.depth) + f"{row.name} ({row.code})")
        for row in rows
    ]
