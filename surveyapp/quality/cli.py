"""``flask quality ...``: look for unreliable responses and duplicate people in bulk."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.quality.review import scan_campaign

quality_cli = AppGroup("quality", help="Data quality: flag unreliable responses.")


@quality_cli.command("scan")
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
def scan(campaign_id: int) -> None:
    """Flag too-fast and straight-lined responses and probable duplicate people."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"No campaign with id {campaign_id}.")
    result = scan_campaign(campaign)
    db.session.commit()
    click.echo(
        f"Campaign {campaign.id} ({campaign.name}): {result.classes} classes scanned, "
        f"{result.paced_or_straight} responses newly flagged as too fast or straight-lined, "
        f"{result.duplicate_groups} groups of probable duplicate people "
        f"({result.duplicate_responses} responses newly flagged)."
    )
