"""Domain errors and the HTTP error pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is shown to the user (translated)."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts, please wait a moment"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is briefly unavailable"),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message=None):
    from surveyapp import unavailable

    title = TITLES.get(status, TITLES[400])
    if _wants_json():
        return jsonify(error=str(title), detail=str(message or title)), status
    try:
        page = render_template("errors/error.html", status=status, title=title, message=message)
    except unavailable.UNAVAILABLE_ERRORS as error:
        # The layout names the signed-in user, which needs the database: a 404 during an
        # outage must still not become a 500.
        return unavailable.database_unavailable(error)
    return page, status


def register_errorhandlers(app: Flask) -> None:
    for status in TITLES:
        app.register_error_handler(status, lambda e, s=status: render_error(s, _detail(e)))
    app.register_error_handler(
        CSRFError,
        lambda e: render_error(400, _l("The form expired or was sent twice. Please try again.")),
    )
    app.register_error_handler(DomainError, lambda e: render_error(e.status_code, e.message))


def _detail(error):
    description = getattr(error, "description", None)
    # Werkzeug's default English descriptions are not shown; our own messages are.
    return description if getattr(error, "custom_message", False) else None
