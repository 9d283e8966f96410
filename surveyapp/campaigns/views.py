"""Campaign pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from surveyapp.campaigns import bp
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.security import STAFF, get_in_scope_or_404, roles_required, scope_for


@bp.route("/campaigns")
@roles_required(*STAFF)
def index():
    scope = scope_for()
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(scope.campaign_condition(Campaign.root_locality_id))
        .order_by(Campaign.start_date.desc())
    ).all()
    return render_template("campaigns/index.html", campaigns=campaigns)


@bp.route("/campaigns/<int:campaign_id>")
@roles_required(*STAFF)
def detail(campaign_id: int):
    campaign = get_in_scope_or_404(Campaign, campaign_id, locality_attr="root_locality_id")
    return render_template("campaigns/detail.html", campaign=campaign)
