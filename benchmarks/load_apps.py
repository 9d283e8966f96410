"""The two reference apps of the load benchmark, served by gunicorn like the real one.

``minimal_app()``: a Flask app whose one endpoint answers "ok" to any GET or POST, the
ceiling of a Flask app under gunicorn on this machine.
``insert_app()``: a Flask app whose one endpoint reads the posted form and INSERTs one row
(its submission id and size) into ``load_probe`` in its own transaction, on the same
database and engine settings as the app (SQLite: WAL, busy timeout, foreign keys; see
``surveyapp.configure_sqlite``), then answers 303 like the real submission.

Both read the database URL from ``SURVEYAPP_DATABASE_URL`` (``DATABASE_URL``), as the app
does. ``create_probe_table(url)`` makes (or empties) ``load_probe`` before a run.

    gunicorn 'benchmarks.load_apps:insert_app()'
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, redirect, request

from surveyapp import configure_sqlite
from surveyapp.config import normalise_database_url

metadata = sa.MetaData()
probe = sa.Table(
    "load_probe",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.String(64), nullable=False, unique=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
)


def database_url() -> str:
    url = os.environ.get("SURVEYAPP_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("set SURVEYAPP_DATABASE_URL for the load benchmark's apps")
    return normalise_database_url(url)


def make_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)
    return engine


def create_probe_table(url: str) -> None:
    engine = make_engine(normalise_database_url(url))
    with engine.begin() as connection:
        metadata.drop_all(connection, checkfirst=True)
        metadata.create_all(connection)
    engine.dispose()


def count_probe_rows(url: str) -> int:
    engine = make_engine(normalise_database_url(url))
    with engine.connect() as connection:
        count = connection.scalar(sa.select(sa.func.count()).select_from(probe))
    engine.dispose()
    return count or 0


def minimal_app() -> Flask:
    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    @app.route("/<path:_anything>", methods=["GET", "POST"])
    def ok(_anything: str = ""):
        return "ok"

    return app


def insert_app() -> Flask:
    from surveyapp.models_base import utcnow

    app = Flask(__name__)
    engine = make_engine(database_url())

    @app.route("/", methods=["GET"])
    def ready():
        return "ok"

    @app.route("/<path:_anything>", methods=["POST"])
    def insert(_anything: str):
        submission_id = request.form.get("submission_id", "")
        with engine.begin() as connection:
            connection.execute(
                probe.insert().values(
                    submission_id=submission_id,
                    size=request.content_length or 0,
                    received_at=utcnow(),
                )
            )
        return redirect("/", 303)

    return app
