"""Bình dân học AI: survey, assessment and impact-report platform (Flask application)."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, request, session

from surveyapp import config as config_module
from surveyapp.extensions import babel, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(os.path.dirname(__file__), os.pardir, "templates"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_api(app)
    register_web_security(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(config_module.Defaults)
    os.makedirs(app.instance_path, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.env_overrides())
    else:
        app.config.update(test_config)
    url = app.config.get("DATABASE_URL") or "sqlite:///" + os.path.join(
        app.instance_path, "surveyapp.sqlite"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(url)
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV"] == "production":
            raise RuntimeError(
                "SURVEYAPP_SECRET_KEY must be set in production (a long random string)."
            )
        app.config["SECRET_KEY"] = config_module.development_secret(app.instance_path)
    # Cookie flags (Secure in production) are set by web_security.configure_cookies.


def register_extensions(app: Flask) -> None:
    from surveyapp import models  # noqa: F401  (the whole schema, for Alembic)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, os.pardir, "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    from surveyapp.accounts import auth  # noqa: F401  (registers the user loader)


def configure_sqlite(engine: sa.Engine) -> None:
    """SQLite with foreign keys, WAL, a busy timeout and real transactions.

    pysqlite's own transaction handling breaks SAVEPOINT; the documented recipe turns it
    off and emits BEGIN ourselves.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    from surveyapp.transactions import begin_statement  # BEGIN, or BEGIN IMMEDIATE

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql(begin_statement(connection))


def select_locale() -> str:
    languages = _languages()
    chosen = session.get("lang") if request else None
    return chosen if chosen in languages else languages[0]


def _languages():
    from flask import current_app

    return current_app.config["LANGUAGES"]


BLUEPRINT_PACKAGES = (
    "main",
    "accounts",
    "localities",
    "campaigns",
    "classes",
    "journey",
    "responses",
    "instruments",
    "scoring",
    "quality",
    "indicators",
    "dashboard",
    "exports",
    "reports",
    "certificates",
    "approvals",
    "privacy",
    "contests",
)


def register_blueprints(app: Flask) -> None:
    import importlib

    # Each domain package holds its blueprint; importing its views attaches the routes.
    for name in BLUEPRINT_PACKAGES:
        importlib.import_module(f"surveyapp.{name}.views")
        app.register_blueprint(importlib.import_module(f"surveyapp.{name}").bp)


def register_errorhandlers(app: Flask) -> None:
    from surveyapp import unavailable
    from surveyapp.errors import register_errorhandlers as register

    register(app)
    unavailable.register(app)  # a database briefly unavailable: 503, answers kept


CLI_GROUPS = (
    "accounts.cli:users_cli",
    "localities.cli:localities_cli",
    "campaigns.cli:campaigns_cli",
    "demo.cli:demo_cli",
    "instruments.cli:instruments_cli",
    "exports.cli:export_cli",
    "reports.cli:report_cli",
    "quality.cli:quality_cli",
    "privacy.cli:privacy_cli",
    "backup:backup_command",
)


def register_commands(app: Flask) -> None:
    import importlib

    for spec in CLI_GROUPS:
        module, name = spec.split(":")
        app.cli.add_command(getattr(importlib.import_module(f"surveyapp.{module}"), name))


def register_api(app: Flask) -> None:
    from surveyapp import api

    api.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from surveyapp import templating

    templating.register(app)


def register_web_security(app: Flask) -> None:
    # After every blueprint: rate limits are chosen by endpoint (see surveyapp.ratelimit).
    from surveyapp import ratelimit, web_security

    web_security.init_app(app)
    ratelimit.init_app(app)
