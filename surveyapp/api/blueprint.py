"""The API blueprint and the decorators every API view shares."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from surveyapp.accounts.models import User

from .errors import ErrorSchema, handle_http_error

blp = Blueprint("api", __name__, description="Bình dân học AI JSON API, version 1")
blp.register_error_handler(HTTPException, handle_http_error)

ERROR_RESPONSES = {
    401: "No token, or a bad one (also sent with WWW-Authenticate: Bearer)",
    403: "The caller's role may not use this endpoint",
    404: "No such object, or it lies outside the caller's locality scope",
}


def documented_errors(*codes: int):
    """Document the JSON error responses ``codes`` (besides 401, 403 that every protected
    route can return) on a view."""

    def decorator(view):
        for code in sorted({401, 403, *codes}, reverse=True):
            view = blp.alt_response(
                code, schema=ErrorSchema, description=ERROR_RESPONSES.get(code)
            )(view)
        return view

    return decorator


def caller() -> User:
    """The authenticated caller (``api_roles`` has run)."""
    return current_user._get_current_object()
