"""/api/v1/localities: the administrative tree by scheme, limited to the caller's scope."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.extensions import db
from surveyapp.localities import services
from surveyapp.localities.lookup import find_locality
from surveyapp.localities.models import Locality, LocalityScheme
from surveyapp.security import STAFF, scope_for

from .auth import api_roles
from .blueprint import blp, documented_errors
from .errors import api_abort
from .schemas import LocalityDetail, LocalityList, LocalityListArgs, SchemeArgs

CODE_PATTERN = re.compile(r"[0-9A-Za-z._-]{1,20}")
NO_SCHEME = _l("No such locality scheme.")
NO_LOCALITY = _l("No such locality in your scope.")


def scheme_code_or_404(code: str | None) -> str:
    """The scheme asked for (it must exist), or the newest scheme."""
    query = sa.select(LocalityScheme.code)
    if code is not None:
        found = db.session.scalar(query.where(LocalityScheme.code == code))
    else:
        found = db.session.scalar(query.order_by(LocalityScheme.effective_from.desc()).limit(1))
    if found is None:
        api_abort(404, NO_SCHEME)
    return found


def locality_in_scope_or_404(scheme: str | None, code: str) -> Locality:
    if not CODE_PATTERN.fullmatch(code):
        api_abort(404, NO_LOCALITY)
    locality = find_locality(scheme_code_or_404(scheme), code)
    if locality is None or not scope_for().contains(locality):
        api_abort(404, NO_LOCALITY)
    return locality


def ref(locality: Locality) -> dict:
    return {
        "code": locality.code,
        "name": locality.name,
        "kind": locality.kind,
        "scheme": {"code": locality.scheme.code},
    }


def described(localities: list[Locality]) -> list[dict]:
    """Each locality with its parent's code and number of children (two queries)."""
    ids = [loc.id for loc in localities]
    parent_ids = {loc.parent_id for loc in localities if loc.parent_id is not None}
    counts = dict(
        db.session.execute(
            sa.select(Locality.parent_id, sa.func.count())
            .where(Locality.parent_id.in_(ids))
            .group_by(Locality.parent_id)
        ).all()
    )
    parents = dict(
        db.session.execute(
            sa.select(Locality.id, Locality.code).where(Locality.id.in_(parent_ids))
        ).all()
    )
    return [
        {
            **ref(loc),
            "depth": loc.depth,
            "parent_code": parents.get(loc.parent_id),
            "child_count": counts.get(loc.id, 0),
        }
        for loc in localities
    ]


@blp.route("/api/v1/localities")
@api_roles(*STAFF)
@blp.arguments(LocalityListArgs, location="query", as_kwargs=True)
@blp.response(200, LocalityList)
@documented_errors(404)
def localities(scheme=None, parent=None):
    """Roots of the caller's scope, or the children of ``parent``.

    Without ``parent``: every province (admins) or the units the caller's scope starts
    at, in every scheme unless ``scheme`` is given. With ``parent``: its children, in
    ``scheme`` (default: the newest scheme); 404 when the parent is outside the scope.
    """
    if parent is not None:
        found = locality_in_scope_or_404(scheme, parent)
        return {"items": described(services.children_of(found))}
    roots = services.roots_in_scope(scope_for())
    if scheme is not None:
        scheme = scheme_code_or_404(scheme)
        roots = [loc for loc in roots if loc.scheme.code == scheme]
    return {"items": described(roots)}


@blp.route("/api/v1/localities/<code>")
@api_roles(*STAFF)
@blp.arguments(SchemeArgs, location="query", as_kwargs=True)
@blp.response(200, LocalityDetail)
@documented_errors(404)
def locality(code: str, scheme=None):
    """One locality of ``scheme`` (default: the newest) with its ancestors and children."""
    found = locality_in_scope_or_404(scheme, code)
    (body,) = described([found])
    body["ancestors"] = [ref(loc) for loc in services.ancestors_of(found)]
    body["children"] = described(services.children_of(found))
    return body
