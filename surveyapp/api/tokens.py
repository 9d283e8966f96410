"""Issuing, revoking and checking API tokens. Flushes, never commits; audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.accounts.models import User
from surveyapp.audit.services import record
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.models_base import utcnow

from .models import ApiToken

TOKEN_PREFIX = "sapi_"  # noqa: S105  (marks our tokens in logs and secret scanners)
NAME_MAX = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, *, name: str = "", actor=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the stored row and the plain token (shown once)."""
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise DomainError(_("The token name may have at most %(max)s characters.", max=NAME_MAX))
    if not user.active:
        raise DomainError(_("This account is disabled."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    record(
        actor, "api_token.issued", token, locality_id=user.locality_id, user_id=user.id, name=name
    )
    return token, plain


def revoke_tokens(user: User, *, name: str | None = None, actor=None, now: datetime | None = None):
    """Revoke the user's live tokens (only those called ``name`` when given); returns how many."""
    query = sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if name is not None:
        query = query.where(ApiToken.name == name.strip())
    tokens = db.session.scalars(query).all()
    for token in tokens:
        token.revoked_at = now or utcnow()
        record(actor, "api_token.revoked", token, locality_id=user.locality_id, user_id=user.id)
    db.session.flush()
    return len(tokens)


def user_for_token(plain: str) -> User | None:
    """The active user owning the live token ``plain``, or None."""
    if not plain or len(plain) > 200:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == hash_token(plain),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
