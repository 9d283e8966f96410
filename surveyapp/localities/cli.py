"""``flask localities ...`` commands: seed from the vietnam-provinces package, load a tree file.

    flask --app surveyapp localities import vietnam-provinces [--province 15] [--scheme all]
    flask --app surveyapp localities import-csv FILE.csv|FILE.xlsx

Both commit once at the end and exit non-zero, writing nothing, when they refuse.
"""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from surveyapp.errors import DomainError
from surveyapp.extensions import db

localities_cli = AppGroup("localities", help="Import and inspect localities.")
import_group = AppGroup("import", help="Seed localities from a published source.")
localities_cli.add_command(import_group)

SCHEME_OPTIONS = {
    "current": ("2025",),
    "2025": ("2025",),
    "2024": ("2024",),
    "all": ("2024", "2025"),
}


@import_group.command("vietnam-provinces")
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="CODE",
    help="Only this province code (repeatable), e.g. 15. Default: the whole country.",
)
@click.option(
    "--scheme",
    type=click.Choice(list(SCHEME_OPTIONS)),
    default="all",
    show_default=True,
    help="current = the 2025 two-level scheme; 2024 = the old three levels; all = both.",
)
def import_vietnam_provinces_command(provinces: tuple[str, ...], scheme: str) -> None:
    """Create or update both schemes and the crosswalk from the vietnam-provinces package."""
    from surveyapp.localities.vietnam_provinces import import_vietnam_provinces

    started = time.perf_counter()
    try:
        summary = import_vietnam_provinces(
            schemes=SCHEME_OPTIONS[scheme], province_codes=provinces or None
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    for line in summary.lines():
        click.echo(line)
    click.echo(f"done in {time.perf_counter() - started:.1f} s")


@localities_cli.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_csv_command(file: str) -> None:
    """Load a tree from a CSV or XLSX file (columns scheme, code, name, kind, parent_code)."""
    from surveyapp.localities.csv_import import import_tree_file

    try:
        with open(file, "rb") as stream:
            report = import_tree_file(stream, file)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    if not report.ok:
        db.session.rollback()
        for problem in report.errors:
            click.echo(f"line {problem.line}: {problem.message}", err=True)
        raise click.ClickException(
            f"nothing imported: {len({e.line for e in report.errors})} rows rejected"
        )
    db.session.commit()
    click.echo(f"{report.created} created, {report.updated} updated")
