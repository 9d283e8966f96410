"""The JSON answer to a form's final post, for the page script (static/journey.js).

With JavaScript the last "Send" of a form is posted in the background with
``Accept: application/json``; if the network is down the page keeps it on the device and
posts it again later. The request is the same form post as without JavaScript and goes
through the very same code (``runner._receive``): this module only turns its outcome into
JSON. ``{"status": "stored", "receipt", "url"}`` when the answers are stored (or were
already), ``{"status": "continue"}`` when the form turned out to have another page,
400 ``{"status": "invalid", "message", "errors", "page"}``, 409 ``{"status": "closed"}``,
``{"status": "conflict"}`` or ``{"status": "other_person"}``.

A queued post carries the person marker of the page it was made on (``X-Journey-Person``):
on a shared phone, answers queued by one person are never stored for the next person
identified on the same device.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Callable

from flask import current_app, jsonify, request, template_rendered
from flask_babel import gettext as _

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.journey import bp

PERSON_HEADER = "X-Journey-Person"
FORM_TEMPLATE = "journey/form.html"


def wants_json() -> bool:
    """The page script asks for JSON; a browser's own form post asks for HTML."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def person_marker(participant_id: int) -> str:
    """An opaque, stable marker of a person for keys on the device (not their id)."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"journey-person:{participant_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def draft_scope(target) -> str:
    """What a draft on the device belongs to: class, form and person."""
    form = target.form
    return f"{form.class_id}.{form.id}.{person_marker(target.participant.id)}"


@bp.context_processor
def _offline_helpers():
    return {"journey_draft_scope": draft_scope}


def respond(target, receive: Callable):
    """Run ``receive(target)`` (the HTML path) and answer its outcome as JSON."""
    sent_by = request.headers.get(PERSON_HEADER)
    if sent_by is not None and sent_by != person_marker(target.participant.id):
        return _json(409, "other_person")
    stored = []

    def recording(response):
        stored.append(response)
        return target.receipt_url(response)

    shown = []

    def on_render(_sender, template, context, **_extra):
        if template.name == FORM_TEMPLATE:
            shown.append(context["view"])

    app = current_app._get_current_object()
    try:
        with template_rendered.connected_to(on_render, app):
            result = receive(dataclasses.replace(target, receipt_url=recording))
    except DomainError as error:
        db.session.rollback()
        kind = "conflict" if error.status_code == 409 else "error"
        return _json(error.status_code, kind, message=str(error.message))
    if stored:
        response = stored[-1]
        url = target.receipt_url(response)
        return _json(200, "stored", receipt=response.receipt_code, url=url)
    return _outcome(current_app.make_response(result).status_code, shown)


def _outcome(status: int, shown: list):
    if not shown:
        if status == 409:
            return _json(409, "closed", message=_("This form is closed"))
        return _json(max(status, 400), "error")
    view = shown[-1]
    if status < 400:
        return _json(200, "continue", page=view.index + 1)
    message = str(view.problem) if view.problem else _("Please check the answers marked below.")
    return _json(
        400,
        "invalid",
        message=message,
        errors=view.errors,
        page=view.index + 1,
        problem=bool(view.problem),
    )


def _json(status: int, kind: str, **fields):
    response = jsonify(status=kind, **fields)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
