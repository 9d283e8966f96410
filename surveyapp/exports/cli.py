"""``flask export ...``: the same exports as the web pages, written to files.

The command line is trusted like an administrator (it runs on the server): it may add
names and phone numbers with ``--identities``; such an export is written to the audit log.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from surveyapp.campaigns.models import Campaign
from surveyapp.errors import DomainError
from surveyapp.exports import people, services
from surveyapp.exports.writers import Table, write_csv, write_xlsx
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.localities.lookup import find_locality

export_cli = AppGroup("export", help="Export data to files.")


def write_table(table: Table, fmt: str, output: str) -> int:
    """Write ``table`` to the file ``output``; return the number of data rows."""
    count = 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if fmt == "csv" and table.csv_lines is not None:
        table.csv_lines = counted(table.csv_lines)
    else:
        table.rows = counted(table.rows)
    if fmt == "xlsx":
        write_xlsx(table, output)
    else:
        with open(output, "wb") as stream:
            write_csv(table, stream)
    return count


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"No campaign with id {campaign_id}.")
    return campaign


def _locality(campaign: Campaign, code: str | None):
    if not code:
        return campaign.root_locality
    locality = find_locality(campaign.root_locality.scheme.code, code)
    if locality is None:
        raise click.ClickException(
            f"No locality with code {code} in scheme {campaign.root_locality.scheme.code}."
        )
    return locality


def _version(version_id: int | None) -> InstrumentVersion | None:
    if version_id is None:
        return None
    version = db.session.get(InstrumentVersion, version_id)
    if version is None:
        raise click.ClickException(f"No instrument version with id {version_id}.")
    return version


format_option = click.option(
    "--format", "fmt", type=click.Choice(services.FORMATS), default="csv", show_default=True
)
output_option = click.option(
    "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="File."
)


@export_cli.command("responses")
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
@click.option("--locality", "locality_code", help="Locality code (default: the campaign's root).")
@click.option("--shape", type=click.Choice(services.SHAPES), default="long", show_default=True)
@click.option("--version", "version_id", type=int, help="Instrument version id (wide: required).")
@format_option
@output_option
@click.option("--identities", is_flag=True, help="Add names and phone numbers (audited).")
def responses(campaign_id, locality_code, shape, version_id, fmt, output, identities) -> None:
    """Export the responses of a campaign, long (one row per answer) or wide."""
    campaign = _campaign(campaign_id)
    head = _locality(campaign, locality_code)
    try:
        spec = services.response_export(
            None,
            campaign,
            head,
            shape=shape,
            fmt=fmt,
            version=_version(version_id),
            identities=identities,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    count = write_table(services.response_table(spec), fmt, output)
    click.echo(f"Wrote {count} rows to {output}.")


@export_cli.command("codebook")
@click.option("--version", "version_id", type=int, required=True, help="Instrument version id.")
@format_option
@output_option
def codebook(version_id, fmt, output) -> None:
    """Export the codebook of an instrument version (one row per item)."""
    count = write_table(services.codebook_table(_version(version_id), fmt), fmt, output)
    click.echo(f"Wrote {count} items to {output}.")


if people.available():

    @export_cli.command("people")
    @click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
    @click.option("--locality", "locality_code", help="Locality code (default: the root).")
    @format_option
    @output_option
    def people_command(campaign_id, locality_code, fmt, output) -> None:
        """Export one row per learner with the indicator's evidence and outcome."""
        campaign = _campaign(campaign_id)
        table = people.people_table(campaign, _locality(campaign, locality_code), fmt)
        count = write_table(table, fmt, output)
        click.echo(f"Wrote {count} learners to {output}.")
