"""Routes of the reports blueprint: the impact report of a campaign as a print-friendly page
and as a PDF download.

``?locality_id=&geography=&number=&signer=&signer_title=``; the locality goes through the
dashboard's rules (``dashboard.places.pick_head``): outside the campaign's tree or the
reader's scope gives 404, a malformed argument 400.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime

from flask import abort, render_template, request
from flask_babel import get_locale, to_user_timezone

from surveyapp.campaigns import queries
from surveyapp.dashboard import links, places
from surveyapp.extensions import db
from surveyapp.reports import bp, data, impact
from surveyapp.reports.pdf import pdf_response
from surveyapp.security import READERS, roles_required, scope_for

if importlib.util.find_spec("surveyapp.reports.class_views") is not None:
    importlib.import_module("surveyapp.reports.class_views")

REPORT_ARGS = ("locality_id", "geography", "number", "signer", "signer_title")


def local_today() -> date:
    return to_user_timezone(datetime.now(UTC)).date()


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def _campaign_and_head(campaign_id: int):
    scope = scope_for()
    campaign = queries.find_visible_campaign(scope, campaign_id)
    if campaign is None:
        abort(404)
    options = data.parse_options(request.args)  # DomainError: 400 with the message
    head = places.pick_head(campaign, scope, options.geography, options.locality_id)
    if head is None:
        abort(404)
    return campaign, head, options


@bp.route("/campaigns/<int:campaign_id>/report")
@roles_required(*READERS)
def impact_page(campaign_id: int):
    campaign, head, options = _campaign_and_head(campaign_id)
    report = data.build_report(campaign, head, options, local_today(), item_analysis=False)
    return render_template(
        "reports/impact.html",
        pdf_args={k: request.args[k] for k in REPORT_ARGS if request.args.get(k)},
        analysis_links=links.item_analysis_links(campaign.id, head.id),
        **impact.context(report),
    )


@bp.route("/campaigns/<int:campaign_id>/report.pdf")
@roles_required(*READERS)
def impact_download(campaign_id: int):
    campaign, head, options = _campaign_and_head(campaign_id)
    rendered = impact.impact_pdf(campaign, head, options, language=_language(), today=local_today())
    db.session.commit()
    return pdf_response(rendered.pdf, rendered.filename)
