"""``flask report ...``: render reports to files.

``flask report pdf --campaign ID [--locality CODE] [--geography collected|current]
[--lang vi|en] [--number 12/BC-SKHCN] --output FILE`` writes the impact report of the
campaign's root (or of the locality with that code, in the campaign's scheme, or in
today's scheme with ``--geography current``), through the same cached path as the web
download, and prints the page count and the seconds taken.
"""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from surveyapp.campaigns.models import Campaign
from surveyapp.dashboard import places
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import COLLECTED, CURRENT
from surveyapp.localities.lookup import find_locality
from surveyapp.security import Scope

report_cli = AppGroup("report", help="Render reports to files.")


def _head(campaign: Campaign, code: str | None, geography: str):
    root = places.view_root(campaign, geography)
    if root is None:
        raise click.ClickException("The campaign's root has no unit in today's scheme.")
    if not code:
        return root
    locality = find_locality(root.scheme.code, code)
    head = (
        places.pick_head(campaign, Scope(unrestricted=True), geography, locality.id)
        if (locality is not None)
        else None
    )
    if head is None:
        raise click.ClickException(
            f"No locality with code {code} under {root.name} (scheme {root.scheme.code})."
        )
    return head


@report_cli.command("pdf")
@click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
@click.option("--locality", "code", default=None, help="Locality code (default: the root).")
@click.option("--geography", type=click.Choice([COLLECTED, CURRENT]), default=COLLECTED)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
@click.option("--number", default="", help='Document number, e.g. "12/BC-SKHCN".')
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def pdf_command(campaign_id, code, geography, lang, number, output):
    """Write the impact report of a campaign (and locality) as a PDF file."""
    from surveyapp.reports import data, impact
    from surveyapp.reports.views import local_today

    started = time.perf_counter()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"No campaign with id {campaign_id}.")
    head = _head(campaign, code, geography)
    try:
        options = data.parse_options({"geography": geography, "number": number})
    except data.DomainError as error:
        raise click.ClickException(str(error.message)) from error
    with force_locale(lang):
        rendered = impact.impact_pdf(campaign, head, options, language=lang, today=local_today())
    db.session.commit()
    with open(output, "wb") as stream:
        stream.write(rendered.pdf)
    seconds = time.perf_counter() - started
    source = "cache" if rendered.cached else "rendered"
    click.echo(f"{output}: {rendered.pages} pages, {seconds:.2f} s ({source}), {head.name}")
