"""``flask privacy ...``: retention purge, and export or erasure of one person by code.

``purge`` erases the personal fields of everyone whose last activity (identification,
consent, enrolment, submitted form) is older than ``PERSONAL_DATA_RETENTION_DAYS`` (730 by
default) or ``--older-than DAYS``; it writes one audit entry, and ``--dry-run`` only lists.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.privacy import dossier, erasure

privacy_cli = AppGroup("privacy", help="Personal data: retention, export and erasure.")
SHOWN = 50


def _retention_days() -> int:
    return int(
        current_app.config.get("PERSONAL_DATA_RETENTION_DAYS", erasure.DEFAULT_RETENTION_DAYS)
    )


@privacy_cli.command("purge")
@click.option("--older-than", "days", type=int, default=None, help="Days without activity.")
@click.option("--dry-run", is_flag=True, help="List who would be erased; change nothing.")
def purge(days: int | None, dry_run: bool) -> None:
    """Erase personal fields of participants inactive for longer than the retention period."""
    days = _retention_days() if days is None else days
    try:
        result = erasure.purge(datetime.now(UTC), days, dry_run=dry_run)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    verb = "would be erased" if dry_run else "erased"
    click.echo(
        f"{result.count} participants inactive since {result.cutoff:%Y-%m-%d} ({days} days) {verb}."
    )
    if dry_run:
        for public_id in result.public_ids[:SHOWN]:
            click.echo(f"  {public_id}")
        if result.count > SHOWN:
            click.echo(f"  ... and {result.count - SHOWN} more")


def _person(public_id: str) -> Participant:
    person = db.session.scalar(
        db.select(Participant).where(Participant.public_id == public_id.strip().upper())
    )
    if person is None:
        raise click.ClickException(f"No participant with code {public_id}.")
    return person


@privacy_cli.command("export")
@click.argument("public_id")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--output", type=click.File("wb"), default="-", help="File (default: stdout).")
def export(public_id: str, fmt: str, output) -> None:
    """Everything held about one participant (audited)."""
    person = _person(public_id)
    data = dossier.dossier(person, "vi")
    dossier.record_export(person, actor=None, fmt=fmt)
    db.session.commit()
    output.write(dossier.to_json(data) if fmt == "json" else dossier.to_csv(data))


@privacy_cli.command("erase")
@click.argument("public_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(public_id: str, yes: bool) -> None:
    """Erase one participant's personal data at their request (audited)."""
    person = _person(public_id)
    if not yes:
        click.confirm(f"Erase the personal data of {person.public_id} for good?", abort=True)
    try:
        erasure.erase(person, actor=None, now=datetime.now(UTC))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{public_id.strip().upper()} erased.")
