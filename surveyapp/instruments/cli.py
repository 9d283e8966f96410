"""``flask instruments ...`` commands: import, export, list, load the default set."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from surveyapp.extensions import db
from surveyapp.instruments import imports, services
from surveyapp.instruments.definition import KINDS
from surveyapp.instruments.models import Instrument
from surveyapp.instruments.report import ImportReport
from surveyapp.localities.lookup import find_locality

instruments_cli = AppGroup("instruments", help="Questionnaires and tests: import, export.")


def echo_report(report: ImportReport) -> None:
    """Print an import report: what was done, what was skipped, notes (errors to stderr)."""
    for problem in report.errors:
        click.echo(f"error: {problem}", err=True)
    if report.ok:
        if report.unchanged:
            click.echo(
                f"{report.key}: unchanged, version {report.version_number} already has "
                "this content; nothing new was created."
            )
        else:
            new = " (new instrument)" if report.created_instrument else ""
            click.echo(
                f"{report.key}: version {report.version_number} created{new}, "
                f"kind {report.kind}, {report.item_count} items."
            )
    for problem in report.skipped:
        click.echo(f"not imported: {problem}")
    for problem in report.notes:
        click.echo(f"note: {problem}")


@instruments_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", default=None, help="Instrument key to use instead of the file's.")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Kind (XLSForm files).")
@click.option("--locality", "locality_code", default="", help="Official code of the owner area.")
@click.option("--scheme", default="2025", show_default=True, help="Scheme of the locality code.")
def import_command(file, key, kind, locality_code, scheme):
    """Import an instrument from a YAML/JSON definition or an XLSForm workbook.

    An existing key gets a new version (unless the content is the same). Without
    --locality the instrument is national.
    """
    locality = find_locality(scheme, locality_code) if locality_code else None
    if locality_code and locality is None:
        raise click.ClickException(f"No locality {locality_code!r} in scheme {scheme!r}.")
    report = imports.import_file(
        Path(file).read_bytes(),
        Path(file).name,
        key=key,
        kind=kind,
        locality_id=locality.id if locality else None,
    )
    echo_report(report)
    if not report.ok:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported from {file}.")
    db.session.commit()


@instruments_cli.command("export")
@click.argument("key")
@click.option("--version", "number", type=int, default=None, help="Version (default: latest).")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None)
def export_command(key, number, file_format, output):
    """Write an instrument version in the project's own format (stdout by default)."""
    instrument = services.find_instrument(key)
    if instrument is None:
        raise click.ClickException(f"No instrument with key {key!r}.")
    version = services.get_version(instrument, number)
    if version is None:
        raise click.ClickException(f"{key} has no version {number}.")
    text = services.export_text(version, file_format)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {key} version {version.number} to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@instruments_cli.command("list")
def list_command():
    """List instruments with their kind and latest version."""
    for instrument in db.session.scalars(sa.select(Instrument).order_by(Instrument.key)):
        latest = instrument.latest
        number = latest.number if latest else "-"
        frozen = " (frozen)" if latest is not None and services.is_frozen(latest) else ""
        click.echo(f"{instrument.key}\t{instrument.kind}\tversion {number}{frozen}")


@instruments_cli.command("load-defaults")
def load_defaults_command():
    """Load the default instruments (pre/post survey, skill test, follow-up). Idempotent."""
    reports = imports.load_defaults()
    for report in reports:
        echo_report(report)
    if not all(report.ok for report in reports):
        db.session.rollback()
        raise click.ClickException("The default instruments were not loaded.")
    db.session.commit()
