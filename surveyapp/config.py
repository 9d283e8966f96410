"""Configuration: defaults here, then ``instance/config.py``, then ``SURVEYAPP_*`` variables.

Every setting can be given as an environment variable with the ``SURVEYAPP_`` prefix
(``SURVEYAPP_DATABASE_URL``, ``SURVEYAPP_SECRET_KEY``...). ``DATABASE_URL`` alone is
honoured too, as most hosting platforms set it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class Defaults:
    ENV = "development"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    PUBLIC_BASE_URL = ""


def _coerce(value: str):
    lowered = value.lower()
    if lowered in {"true", "yes", "on"}:
        return True
    if lowered in {"false", "no", "off"}:
        return False
    if value.isdigit():
        return int(value)
    return value


def env_overrides(environ=os.environ) -> dict:
    """Return the settings given as ``SURVEYAPP_*`` environment variables."""
    found = {
        key.removeprefix("SURVEYAPP_"): _coerce(value)
        for key, value in environ.items()
        if key.startswith("SURVEYAPP_")
    }
    if "DATABASE_URL" not in found and environ.get("DATABASE_URL"):
        found["DATABASE_URL"] = environ["DATABASE_URL"]
    return found


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` and ``postgresql://`` URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def development_secret(instance_path: str) -> str:
    """Read, or make and keep, the secret key of a development instance."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
