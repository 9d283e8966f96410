"""A database that is briefly unavailable: a clear 503 page, the trainee's answers kept.

When the database cannot be reached, is restarting, or stays locked beyond the busy timeout
(SQLAlchemy raises ``OperationalError``, ``InterfaceError`` or a ``DisconnectionError``), the
transaction of the request is rolled back (a submission is one transaction: nothing
half-written stays) and the visitor gets HTTP 503 with ``Retry-After``:

- the page script's background post (``Accept: application/json``) and the API get JSON;
  ``static/journey.js`` keeps the answers in its queue and draft and sends them again;
- a trainee's form post (the ``journey`` blueprint) gets a page that says what happened and
  holds everything that was posted (answers, submission id) in a form with a "Send again"
  button: nothing typed is lost, and the submission id makes the resend land once;
- anything else gets the translated error page.

If even the page cannot be rendered (it may need the database, e.g. for a logged-in user's
name), a minimal translated page is sent instead: never a 500.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape

from surveyapp.extensions import db

RETRY_AFTER_SECONDS = 10
UNAVAILABLE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)
RESEND_BLUEPRINTS = {"journey"}
NEVER_RESENT = {"password", "new_password", "current_password", "confirm"}

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    for error_class in UNAVAILABLE_ERRORS:
        app.register_error_handler(error_class, database_unavailable)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 (the connection may be gone; it is discarded anyway)
        log.debug("rollback after a database error failed", exc_info=True)


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def resend_fields() -> list[tuple[str, str]]:
    """What a trainee posted, to post again (never a password)."""
    if request.method != "POST" or request.blueprint not in RESEND_BLUEPRINTS:
        return []
    return [
        (name, value)
        for name, values in request.form.lists()
        if name not in NEVER_RESENT
        for value in values
    ]


def message() -> str:
    return _("The service is briefly unavailable. Nothing was lost: please try again in a minute.")


def database_unavailable(error):
    log.error("database unavailable (answered 503): %s", error, exc_info=error)
    _rollback()
    if _wants_json():
        response = jsonify(status="unavailable", error=message(), retry_after=RETRY_AFTER_SECONDS)
    else:
        response = _page()
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page():
    from flask import make_response

    fields = resend_fields()
    try:
        page = render_template(
            "errors/unavailable.html",
            message=message(),
            fields=fields,
            action=request.path if fields else None,
        )
    except UNAVAILABLE_ERRORS:
        _rollback()
        page = _plain_page(fields)
    return make_response(page)


def _plain_page(fields: list[tuple[str, str]]) -> str:
    """The same page without the site's layout (which may need the database)."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields
    )
    resend = (
        f'<form method="post" action="{escape(request.path)}">{hidden}'
        f'<button type="submit">{escape(_("Send again"))}</button></form>'
        if fields
        else ""
    )
    title = escape(_("The service is briefly unavailable"))
    return (
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f'<p role="alert">{escape(message())}</p>{resend}</main></body></html>'
    )
