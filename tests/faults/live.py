"""A real server for the fault tests: the app under gunicorn on a database of its own.

``own_session(app)`` runs a block against ``app``'s database even though the suite's autouse
fixture points ``db.session`` at its rolled-back test connection. ``live_world`` builds the
schema and a world of open post-class surveys with identified people
(``benchmarks.load_world``). ``post`` sends one form post over a fresh connection.
"""

from __future__ import annotations

import http.client
import secrets
import uuid
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from benchmarks.load_world import answers_body, build_world, seats
from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.responses.models import Answer, Response

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@contextmanager
def own_session(app):
    suite_session = db.session
    db.session = db._make_scoped_session({})
    try:
        with app.app_context():
            try:
                yield
            finally:
                db.session.remove()
                db.engine.dispose()  # no connection left open for the server's processes
    finally:
        db.session = suite_session


def live_world(url: str, classes: int, per_class: int):
    """``(app, secret, world, seats, body)`` on the database ``url`` (schema made here)."""
    secret = secrets.token_hex(16)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "RATELIMIT_ENABLED": False})
    with own_session(app):
        db.create_all()
        world = build_world(classes=classes, per_class=per_class)
        people = seats(app, world)
    body = answers_body(world.items, started_at=utcnow() - timedelta(minutes=6))
    return app, secret, world, people, body


def filled(body: str, seat, submission_id: str | None = None) -> str:
    return body.replace("{value3}", seat.csrf).replace(
        "{value4}", submission_id or str(uuid.uuid4())
    )


def post(base_url: str, seat, data: str, headers: dict | None = None):
    """``(status, headers, text)`` of one POST of ``data`` as ``seat``'s browser."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(
            "POST",
            seat.path,
            data.encode(),
            {**FORM, "Cookie": seat.cookie, **(headers or {})},
        )
        reply = connection.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read().decode()
    finally:
        connection.close()


def stored_counts(app) -> dict[str, int]:
    """Responses, distinct people with a response, answers."""
    with own_session(app):
        counts = {
            "responses": db.session.scalar(sa.select(sa.func.count(Response.id))),
            "people": db.session.scalar(
                sa.select(sa.func.count(sa.distinct(Response.participant_id)))
            ),
            "answers": db.session.scalar(sa.select(sa.func.count(Answer.id))),
        }
    return counts
