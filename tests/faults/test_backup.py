"""``flask backup``: a consistent copy of the SQLite database made while the app writes,
that opens and holds the data (a restore); on PostgreSQL the command points to pg_dump and
fails."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from surveyapp import create_app
from surveyapp.backup import BackupError, backup_sqlite, default_output, sqlite_path
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityScheme
from tests.faults.live import own_session

PLACES = ["Xã Văn Yên", "Xã Mù Cang Chải", "Phường Yên Thịnh"]


def sqlite_app(path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "backup-test",
            "TESTING": True,
            "LANGUAGES": ("en", "vi"),  # the suite reads English (tests/conftest.py)
        }
    )
    with own_session(app):
        db.create_all()
        scheme = LocalityScheme(code="2025", name="Sau sáp nhập", effective_from=date(2025, 7, 1))
        db.session.add(scheme)
        db.session.flush()
        for n, name in enumerate(PLACES):
            db.session.add(Locality(scheme_id=scheme.id, code=f"B{n}", name=name, kind="commune"))
        db.session.commit()
    return app


def run_backup(app, *args: str):
    """``flask backup ...`` in ``app`` (not in the suite's app, whose context is active)."""
    with own_session(app):
        return app.test_cli_runner().invoke(args=["backup", *args])


def keep_writing(url: str, stop: threading.Event, written: list) -> None:
    """Another process would do the same: commit rows one by one while the copy is made."""
    engine = sa.create_engine(url)
    try:
        while not stop.is_set():
            with engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO locality (scheme_id, code, name, search_name, kind, path, "
                        "depth) VALUES (1, :code, 'Xã Lao Chải', '', 'commune', '', 0)"
                    ),
                    {"code": f"W{len(written)}"},
                )
            written.append(1)
    finally:
        engine.dispose()


def test_backup_while_writing_gives_a_copy_that_opens_with_the_data(tmp_path):
    source = tmp_path / "live.sqlite"
    app = sqlite_app(source)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=keep_writing, args=(f"sqlite:///{source}", stop, written))
    writer.start()
    try:
        while len(written) < 20:  # the writer is busy before the copy starts
            threading.Event().wait(0.01)
        output = tmp_path / "copies" / "backup.sqlite"
        result = run_backup(app, "--output", str(output))
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output and str(output) in result.output
    # A restore: the copy is a database of its own (no -wal file needed) with the data.
    assert not (tmp_path / "copies" / "backup.sqlite-wal").exists()
    with contextlib.closing(sqlite3.connect(output)) as copy:  # `with connect()` never closes
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        names = [row[0] for row in copy.execute("SELECT name FROM locality ORDER BY code")]
    assert names[:3] == PLACES
    copied = len(names) - len(PLACES)
    assert 20 <= copied <= len(written)  # a consistent instant while the writer went on
    assert set(names[3:]) == {"Xã Lao Chải"}
    restored = create_app({"DATABASE_URL": f"sqlite:///{output}", "TESTING": True})
    with own_session(restored):
        assert db.session.scalar(sa.select(sa.func.count(Locality.id))) == len(names)


def test_the_default_file_is_named_by_the_time_in_the_instance_folder():
    now = datetime(2026, 11, 26, 15, 4, 5, tzinfo=UTC)
    path = default_output("/srv/surveyapp/instance", now)
    assert path == Path("/srv/surveyapp/instance/backups/surveyapp-20261126-150405.sqlite")


def test_backup_refuses_postgresql_and_points_to_pg_dump():
    app = create_app(
        {"DATABASE_URL": "postgresql://surveyapp@127.0.0.1:9/nowhere", "TESTING": True}
    )
    result = run_backup(app)
    assert result.exit_code == 1
    assert "pg_dump" in result.output


def test_backup_refuses_a_missing_file_an_in_memory_database_and_itself(tmp_path):
    with pytest.raises(BackupError, match="does not exist"):
        backup_sqlite(tmp_path / "none.sqlite", tmp_path / "copy.sqlite")
    with pytest.raises(BackupError, match="in-memory"):
        sqlite_path(sa.make_url("sqlite://"))
    source = tmp_path / "db.sqlite"
    sqlite3.connect(source).close()
    with pytest.raises(BackupError, match="overwrite"):
        backup_sqlite(source, source)
