"""Who may do what: role checks on views, locality scope in queries, safe redirects.

Every view carries an access rule (``roles_required`` or ``public``); a test walks the URL
map and fails on any view without one. Every list and lookup of scoped objects goes
through ``scope_for(user)``, so a coordinator of one commune cannot reach another
commune's rows by guessing ids.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from surveyapp.accounts.models import Role, User
from surveyapp.extensions import db, login_manager
from surveyapp.localities.models import Locality, LocalityCrosswalk, path_upper_bound

ALL_ROLES = tuple(Role)
STAFF = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.EVALUATOR)
MANAGERS = (Role.ADMIN, Role.COORDINATOR)
READERS = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)


def roles_required(*roles: str):
    """Allow the view to logged-in users holding one of ``roles``; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = ("roles", tuple(roles))
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone (trainee pages, login, verification)."""
    view.access_rule = ("public", ())
    return view


@dataclass
class Scope:
    """The localities a user may see: subtrees given by their root paths."""

    unrestricted: bool = False
    root_paths: list[str] = field(default_factory=list)
    ancestor_ids: set[int] = field(default_factory=set)

    def condition(self, path_column):
        """SQL condition on a ``Locality.path`` column: the row lies inside the scope."""
        if self.unrestricted:
            return sa.true()
        if not self.root_paths:
            return sa.false()
        return sa.or_(
            *(
                sa.and_(path_column >= path, path_column < path_upper_bound(path))
                for path in self.root_paths
            )
        )

    def locality_ids(self):
        """Subquery of the ids of every locality inside the scope."""
        return sa.select(Locality.id).where(self.condition(Locality.path))

    def contains(self, locality: Locality | None) -> bool:
        if self.unrestricted:
            return True
        if locality is None:
            return False
        return any(locality.path.startswith(path) for path in self.root_paths)

    def sees_locality_id_condition(self, locality_id_column):
        if self.unrestricted:
            return sa.true()
        return locality_id_column.in_(self.locality_ids())

    def campaign_condition(self, root_locality_id_column):
        """A campaign is visible when its root is inside the scope or above it."""
        if self.unrestricted:
            return sa.true()
        return sa.or_(
            root_locality_id_column.in_(self.locality_ids()),
            root_locality_id_column.in_(self.ancestor_ids or {-1}),
        )


def _minimal_roots(paths: set[str]) -> list[str]:
    roots: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def compute_scope(user: User | None) -> Scope:
    """Work out a user's scope: their locality's subtree, plus the units of older schemes
    that the crosswalk maps into it (so a Lào Cai coordinator reads 2024 Yên Bái data)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    if user.role == Role.ADMIN:
        return Scope(unrestricted=True)
    home = db.session.get(Locality, user.locality_id) if user.locality_id else None
    if home is None:
        return Scope()
    old = sa.orm.aliased(Locality)
    new = sa.orm.aliased(Locality)
    mapped = db.session.scalars(
        sa.select(old.path)
        .join(LocalityCrosswalk, LocalityCrosswalk.old_id == old.id)
        .join(new, LocalityCrosswalk.new_id == new.id)
        .where(new.path >= home.path, new.path < path_upper_bound(home.path))
        # A province split between new provinces maps partially; its communes' own links
        # carry the pieces that moved, so a partial province link must not open the whole.
        .where(sa.not_(sa.and_(LocalityCrosswalk.partial, old.depth == 0)))
    ).all()
    roots = _minimal_roots({home.path, *mapped})
    ancestors = {int(part) for path in roots for part in path.strip("/").split("/")}
    return Scope(root_paths=roots, ancestor_ids=ancestors)


def scope_for(user: User | None = None) -> Scope:
    """The scope of ``user`` (the current user by default), computed once per request."""
    if user is None:
        user = current_user._get_current_object() if current_user else None
        cache = g.setdefault("_scope_cache", {})
        key = getattr(user, "id", None)
        if key not in cache:
            cache[key] = compute_scope(user)
        return cache[key]
    return compute_scope(user)


def get_in_scope_or_404(model, object_id, user=None, *, locality_attr: str = "locality_id"):
    """Load ``model`` by id, or 404 when it does not exist or lies outside the user's scope."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    scope = scope_for(user)
    locality = db.session.get(Locality, getattr(obj, locality_attr))
    if not scope.contains(locality):
        abort(404)
    return obj


def is_safe_redirect(target: str | None) -> bool:
    """True for a local path such as ``/classes/3``; false for other hosts and tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
