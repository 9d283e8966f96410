"""Routes of the dashboard blueprint: the list of campaigns and one campaign's dashboard.

Read only. The filter is a GET form: a bad value gives 400 with the form shown again,
values as typed; a locality outside the campaign's tree or the user's scope gives 404.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from surveyapp.campaigns import queries
from surveyapp.campaigns.models import Metric
from surveyapp.campaigns.view_helpers import PER_PAGE
from surveyapp.charts.svg import month_label
from surveyapp.dashboard import bp, data, links, places
from surveyapp.dashboard.forms import DashboardFilterForm
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import CURRENT
from surveyapp.security import STAFF, roles_required, scope_for


@bp.route("/dashboard")
@roles_required(*STAFF)
def index():
    page = db.paginate(
        queries.visible_campaigns(scope_for()),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("dashboard/index.html", page=page)


@bp.route("/campaigns/<int:campaign_id>/dashboard")
@roles_required(*STAFF)
def campaign(campaign_id: int):
    scope = scope_for()
    campaign = queries.find_visible_campaign(scope, campaign_id)
    if campaign is None:
        abort(404)
    form = DashboardFilterForm(formdata=request.args)
    superseded = places.is_superseded(campaign)
    context = dict(campaign=campaign, form=form, superseded=superseded, board=None)
    if not form.validate():
        return render_template("dashboard/campaign.html", **context), 400
    filters = form.filters()
    head = places.pick_head(campaign, scope, filters.geography, form.chosen_locality_id)
    if head is None:
        abort(404)
    root = places.view_root(campaign, filters.geography)
    context.update(
        head=head,
        trail=places.trail(root.depth, head, scope),
        board=data.build(campaign, head, filters, gains_head=_gains_head(campaign, head, root)),
        metrics=list(Metric),
        drill=_drill_url(campaign.id),
        links=links.campaign_links(campaign.id),
        analysis_links=links.item_analysis_links(campaign.id, head.id),
        today_units=filters.geography == CURRENT and superseded,
        month_label=month_label,
    )
    return render_template("dashboard/campaign.html", **context)


def _gains_head(campaign, head, root):
    """Learning gains are placed at the units as collected: today's root stands for the
    campaign's root; below it (merged units) they are not shown."""
    if head.path.startswith(campaign.root_locality.path):
        return head
    return campaign.root_locality if head.id == root.id else None


def _drill_url(campaign_id: int):
    """``drill(locality)``: this dashboard at another locality, keeping the filters."""
    kept = {
        name: request.args.get(name)
        for name in ("segment", "date_from", "date_to", "geography")
        if request.args.get(name)
    }

    def drill(locality) -> str:
        return url_for(
            "dashboard.campaign", campaign_id=campaign_id, locality_id=locality.id, **kept
        )

    return drill
