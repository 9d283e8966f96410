"""The API's error body and handlers: every error is JSON ``{"error", "detail", "errors"?}``."""

from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from surveyapp.errors import TITLES, render_error

API_TITLES = {
    401: _l("Authentication required"),
    422: _l("Invalid query parameters"),
}


class ErrorSchema(ma.Schema):
    """Body of every API error (also the body of the web error handler for /api/ paths)."""

    error = ma.fields.String(required=True, metadata={"description": "Short title"})
    detail = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={
            "description": "Per location (query, path) and field, the validation messages "
            "(only for 422)"
        },
    )


class ApiHTTPError(HTTPException):
    """An HTTP error with an API message (``api_abort``)."""

    def __init__(self, code: int, detail=None):
        super().__init__()
        self.code = code
        self.detail = detail


def api_abort(code: int, detail=None):
    raise ApiHTTPError(code, detail)


def handle_http_error(error: HTTPException):
    """Errors raised inside API views (including webargs' 422 for bad query arguments)."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    if code in API_TITLES:
        title = str(API_TITLES[code])
        body = {"error": title, "detail": str(getattr(error, "detail", None) or title)}
        if "messages" in data:
            body["errors"] = data["messages"]
        response = jsonify(body)
        response.status_code = code
        if code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if code not in TITLES:
        code = 500 if code >= 500 else 400
    return render_error(code, getattr(error, "detail", None))
