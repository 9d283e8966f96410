"""Who is calling the API: a bearer token, or (for these read-only GET routes) the web session.

``api_roles`` is the API's access rule, the counterpart of ``security.roles_required``:
a request without a user, or with a bad ``Authorization`` header, gets 401 JSON (never a
redirect to the login page); a role outside the rule gets 403. Once the caller is known
it becomes Flask-Login's ``current_user`` for the request, so ``scope_for()`` and every
scoped query work exactly as on the web.
"""

from __future__ import annotations

import functools

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from surveyapp.accounts.models import User

from .errors import api_abort
from .tokens import user_for_token

BAD_TOKEN = _l("The API token is missing, malformed, revoked or unknown.")
NO_USER = _l("Send an API token: Authorization: Bearer <token>.")


def _bearer_user() -> User | None:
    """The token's user; aborts with 401 on a malformed or unknown token."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        api_abort(401, BAD_TOKEN)
    user = user_for_token(token.strip())
    if user is None:
        api_abort(401, BAD_TOKEN)
    return user


def api_user() -> User:
    """The caller, or a 401 JSON error."""
    if "Authorization" in request.headers:
        user = _bearer_user()
        g._login_user = user  # Flask-Login's current_user for this request only
        return user
    # The session cookie is good for reading only: a request that may change something
    # must carry a token, because the API is exempt from CSRF protection.
    if request.method in ("GET", "HEAD") and current_user.is_authenticated:
        return current_user._get_current_object()
    api_abort(401, NO_USER)


def api_roles(*roles: str):
    """Allow the API view to callers holding one of ``roles``; 401 / 403 JSON otherwise."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if api_user().role not in roles:
                api_abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = ("roles", tuple(roles))
        return wrapped

    return decorator
