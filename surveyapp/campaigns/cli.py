"""``flask campaigns ...`` commands: import plan targets and populations from CSV or XLSX."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from surveyapp.campaigns import importers
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.security import Scope

campaigns_cli = AppGroup("campaigns", help="Campaigns, plan targets and populations.")


def _run_import(run, campaign_id: int, path: str, what: str) -> None:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"No campaign with id {campaign_id}.")
    with open(path, "rb") as stream:
        report = run(None, Scope(unrestricted=True), campaign, stream, path)
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(f"line {error.line}: {error.message}", err=True)
        raise click.ClickException(
            f"Nothing was imported: {len(report.errors)} row error(s) in {path}."
        )
    db.session.commit()
    click.echo(
        f"{what} of campaign {campaign.id} ({campaign.name}): {report.created} new, "
        f"{report.updated} changed, {report.unchanged} unchanged."
    )


@campaigns_cli.command("import-targets")
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_targets(campaign_id: int, file: str) -> None:
    """Import plan targets (columns: locality_code, metric, value)."""
    _run_import(importers.import_targets, campaign_id, file, "Targets")


@campaigns_cli.command("import-populations")
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_populations(campaign_id: int, file: str) -> None:
    """Import populations (columns: locality_code, segment, population, target_rate in %)."""
    _run_import(importers.import_populations, campaign_id, file, "Populations")
