"""Test fixtures: one app and schema per session, one rolled-back transaction per test.

Set ``TEST_DATABASE_URL`` to run the same suite on PostgreSQL; by default a throwaway
SQLite file is used. The schema is built by the real migrations, so they are tested too.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session

from surveyapp import create_app
from surveyapp.extensions import db

from .factories import Factories


class BoundSession(Session):
    """Flask-SQLAlchemy's session picks the engine itself; in tests it must use our connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


def session_on(connection):
    """A scoped session that joins ``connection``'s transaction through savepoints."""
    return db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
    )


class Client(FlaskClient):
    """Each request gets its own app context, so ``g`` and the session never leak."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _reset_database(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from surveyapp.config import normalise_database_url

    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_database(normalise_database_url(url))
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
            "LOGIN_MAX_FAILURES": 3,
            # Tests read English so their assertions do not depend on the catalogue;
            # tests/test_app.py checks that the product itself defaults to Vietnamese.
            "LANGUAGES": ("en", "vi"),
        }
    )
    app.test_client_class = Client
    with app.app_context():
        # create_all is quick; tests/test_migrations.py proves the migrations build the same.
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def rolled_back(app):
    """An app context whose ``db.session`` works inside one transaction on a connection of
    its own, rolled back at the end; yields the connection. Sessions join it with
    savepoints, so a view's ``commit()`` only releases a savepoint."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = session_on(connection)
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@contextmanager
def in_savepoint(app, connection):
    """A savepoint inside ``connection``'s open transaction, rolled back at the end: each
    test of a module whose data is built once (``rolled_back``) starts from that data."""
    with app.app_context():
        savepoint = connection.begin_nested()
        outer_session = db.session
        db.session = session_on(connection)
        try:
            yield
        finally:
            db.session.remove()
            db.session = outer_session
            savepoint.rollback()


@pytest.fixture(autouse=True)
def _transaction(app):
    """Run the test inside a transaction that is rolled back afterwards."""
    with rolled_back(app):
        yield


@pytest.fixture
def vietnamese_default(app):
    """The product's own language order (Vietnamese first) for tests that check it."""
    app.config["LANGUAGES"] = ("vi", "en")
    yield
    app.config["LANGUAGES"] = ("en", "vi")


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def f(ctx):
    """Factories: ``f.user(role=..., locality=...)``, ``f.locality(...)``, ..."""
    return Factories()


@pytest.fixture
def login(app):
    """Return a test client logged in as ``user``.

    The real form is exercised in tests/accounts/test_auth.py; elsewhere the session is
    written directly, since checking a password hash is deliberately slow.
    """

    def _login(user, password=None):
        client = app.test_client()
        if password is not None:
            response = client.post("/login", data={"email": user.email, "password": password})
            assert response.status_code == 302, response.get_data(as_text=True)
            return client
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return _login


@pytest.fixture
def as_user(app):
    """A client logged in as ``user`` (None: anonymous), in ``lang`` (English by default)."""

    def _as(user, lang: str = "en"):
        client = app.test_client()
        with client.session_transaction() as session:
            session["lang"] = lang
            if user is not None:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        return client

    return _as


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium shared by tests/browser and tests/a11y: Playwright's sync API runs
    one instance per process, so one session-wide browser serves every package, in any order."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
