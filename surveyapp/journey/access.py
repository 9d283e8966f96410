"""Slowing down code guessing on the public pages (see ``participants.throttle``).

A wrong class or follow-up code is counted against the client's hashed address; once an
address has used up its free tries it must wait before trying again (HTTP 429).
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request

from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.participants import throttle

FREE_ATTEMPTS = 10
WINDOW_MINUTES = 15


def _settings() -> tuple[int, int]:
    config = current_app.config
    return (
        int(config.get("JOURNEY_FREE_ATTEMPTS", FREE_ATTEMPTS)),
        int(config.get("JOURNEY_ATTEMPT_WINDOW_MINUTES", WINDOW_MINUTES)),
    )


def _address() -> str:
    return throttle.hash_address(current_app.config["SECRET_KEY"], request.remote_addr)


def check_not_waiting() -> None:
    """Refuse (429) while this address must wait after too many wrong codes."""
    free, minutes = _settings()
    wait = throttle.wait_seconds(_address(), utcnow(), free=free, minutes=minutes)
    if wait:
        page = render_template("journey/wait.html", seconds=wait)
        response = make_response(page, 429)
        response.headers["Retry-After"] = str(wait)
        abort(response)


def count_wrong_code(template: str = "journey/not_found.html") -> None:
    """Count a wrong code, keep the count, and answer with a friendly 404 page."""
    _free, minutes = _settings()
    throttle.record_failure(_address(), utcnow(), minutes=minutes)
    db.session.commit()
    abort(make_response(render_template(template), 404))
