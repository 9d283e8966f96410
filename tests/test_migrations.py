"""The migrations build exactly the schema the models describe, on the test's engine."""

import os

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from surveyapp import create_app
from surveyapp.extensions import db


def test_migrations_match_models(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        # A separate schema keeps the session's tables untouched.
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
        schema = "migration_check"
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            db.engine.dispose()
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "SECRET_KEY": "x",
                "SQLALCHEMY_ENGINE_OPTIONS": {
                    "connect_args": {"options": f"-csearch_path={schema}"}
                },
            }
        )
    else:
        app = create_app(
            {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite", "SECRET_KEY": "x"}
        )
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == ["alembic_version"]
        if os.environ.get("TEST_DATABASE_URL"):
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA migration_check CASCADE"))
        db.engine.dispose()
