"""Flask-Login wiring: how a session cookie becomes a user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import User
from surveyapp.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user
