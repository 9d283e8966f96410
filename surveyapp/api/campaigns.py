"""/api/v1/campaigns and their classes, as the caller's scope shows them on the web."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from surveyapp.campaigns import queries
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality
from surveyapp.localities.models import Locality
from surveyapp.security import STAFF, scope_for

from .auth import api_roles
from .blueprint import blp, caller, documented_errors
from .errors import api_abort
from .pagination import page_of
from .schemas import CampaignDetail, CampaignList, CampaignSchema, ClassPage, PageArgs

NO_CAMPAIGN = _l("No such campaign in your scope.")
NO_LOCALITY = _l("No such locality in the campaign and your scope.")


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = queries.find_visible_campaign(scope_for(), campaign_id)
    if campaign is None:
        api_abort(404, NO_CAMPAIGN)
    return campaign


def campaign_locality_or_404(campaign: Campaign, code: str | None) -> Locality:
    """The locality ``code`` of the campaign's tree (its scheme) inside the caller's scope,
    or by default the highest locality of the campaign the caller sees in full."""
    scope = scope_for()
    if code is None:
        head = queries.head_locality(campaign, scope)
    else:
        found = find_locality(campaign.root_locality.scheme.code, code)
        head = queries.drill_locality(campaign, scope, found.id) if found else None
    if head is None:
        api_abort(404, NO_LOCALITY)
    return head


@blp.route("/api/v1/campaigns")
@api_roles(*STAFF)
@blp.response(200, CampaignList)
@documented_errors()
def campaigns():
    """Campaigns whose root lies inside the caller's scope or above it, newest first."""
    query = queries.visible_campaigns(scope_for()).options(selectinload(Campaign.root_locality))
    return {"items": db.session.scalars(query).all()}


@blp.route("/api/v1/campaigns/<int(max=2147483647):campaign_id>")
@api_roles(*STAFF)
@blp.response(200, CampaignDetail)
@documented_errors(404)
def campaign(campaign_id: int):
    """One campaign, with the highest locality of it that the caller sees in full."""
    found = campaign_or_404(campaign_id)
    body = {field: getattr(found, field) for field in CampaignSchema._declared_fields}
    return {**body, "head_locality": queries.head_locality(found, scope_for())}


@blp.route("/api/v1/campaigns/<int(max=2147483647):campaign_id>/classes")
@api_roles(*STAFF)
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, ClassPage)
@documented_errors(404)
def campaign_classes(campaign_id: int, limit: int, cursor: str | None = None):
    """The campaign's classes with their access codes, by id: a trainer gets the classes
    they teach, a coordinator or evaluator those inside their scope."""
    found = campaign_or_404(campaign_id)
    query = (
        visible_classes(caller(), scope_for())
        .where(TrainingClass.campaign_id == found.id)
        .options(selectinload(TrainingClass.locality), selectinload(TrainingClass.trainers))
    )
    return page_of(query, TrainingClass.id, limit=limit, cursor=cursor, scalars=True)
