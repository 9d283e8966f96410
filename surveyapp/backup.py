"""Backups: ``flask backup [--output FILE]`` copies the SQLite database while the app runs.

The copy is made with SQLite's online backup API (``sqlite3.Connection.backup``) in one
step, that is inside one read transaction: with WAL, writers go on meanwhile and the copy is
the database as it was at one instant, never a half-written transaction (copying the file
with ``cp`` is not safe while the app writes: the WAL holds recent commits). The copy is
written next to its destination and renamed into place, switched to a self-contained
rollback journal (no ``-wal`` file needed), and checked with ``PRAGMA quick_check`` before
it is kept.

PostgreSQL has its own tools (``pg_dump``, or a base backup with WAL archiving for
point-in-time recovery; see the README): on PostgreSQL the command says so and exits with
status 1.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from surveyapp.extensions import db

BACKUP_FOLDER = "backups"
TABLE_COUNT_SQL = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: int
    seconds: float


def sqlite_path(url: sa.URL) -> Path:
    """The database file of a SQLite URL; in-memory databases cannot be backed up."""
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            _(
                "The database is %(engine)s, not SQLite: back it up with pg_dump, for example "
                "pg_dump --format=custom --file=surveyapp.dump DATABASE_URL (see the README).",
                engine=url.get_backend_name(),
            )
        )
    if url.database in (None, "", ":memory:"):
        raise BackupError(_("An in-memory database cannot be backed up."))
    return Path(url.database)


def default_output(instance_path: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(instance_path) / BACKUP_FOLDER / f"surveyapp-{stamp}.sqlite"


def backup_sqlite(source: Path, output: Path) -> BackupResult:
    """Copy the SQLite database ``source`` to ``output`` consistently, while it is in use."""
    if not source.exists():
        raise BackupError(_("The database file %(path)s does not exist.", path=str(source)))
    output = output.resolve()
    if output == source.resolve():
        raise BackupError(_("The backup cannot overwrite the database itself."))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.unlink(missing_ok=True)
    started = datetime.now(UTC)
    try:
        _copy(source, partial)
        tables = _check(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BackupResult(output, output.stat().st_size, tables, seconds)


def _copy(source: Path, target: Path) -> None:
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        reader.execute("PRAGMA busy_timeout=30000")
        with contextlib.closing(sqlite3.connect(target)) as copy:
            reader.backup(copy)  # pages=-1: everything in one step, one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            copy.commit()
    finally:
        reader.close()


def _check(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as copy:
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(_("The copy failed its check: %(verdict)s", verdict=verdict))
        return copy.execute(TABLE_COUNT_SQL).fetchone()[0]


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: instance/backups/surveyapp-<UTC time>.sqlite).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Copy the SQLite database consistently while the app runs (PostgreSQL: use pg_dump)."""
    try:
        source = sqlite_path(db.engine.url)
        target = output or default_output(current_app.instance_path, datetime.now(UTC))
        result = backup_sqlite(source, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _(
            "Backup written to %(path)s (%(size)s bytes, %(tables)s tables, %(seconds)s s).",
            path=str(result.path),
            size=f"{result.size:,}",
            tables=result.tables,
            seconds=f"{result.seconds:.2f}",
        )
    )
