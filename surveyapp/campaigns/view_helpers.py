"""Helpers shared by the campaign views: scoped look-ups and the submit-service-commit step."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, request

from surveyapp.campaigns import queries, services
from surveyapp.campaigns.models import Campaign
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality

PER_PAGE = 25


def campaign_or_404(campaign_id: int) -> Campaign:
    """The campaign if the current user's scope shows it (root inside or above the scope)."""
    from surveyapp.security import scope_for

    campaign = queries.find_visible_campaign(scope_for(), campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def chosen_locality(campaign: Campaign, scope) -> Locality:
    """The locality of ``?locality=<id>``, or the head of the user's part of the campaign.

    A locality outside the campaign's tree or the user's scope gives 404.
    """
    locality = queries.drill_locality(campaign, scope, request.args.get("locality", type=int))
    if locality is None:
        abort(404)
    return locality


def locality_trail(campaign: Campaign, head: Locality, scope) -> list[tuple[Locality, bool]]:
    """Ancestors of ``head`` from the campaign root down, each with 'may be opened'."""
    ids = [int(part) for part in head.path.strip("/").split("/")]
    rows = db.session.scalars(
        sa.select(Locality)
        .where(Locality.id.in_(ids), Locality.depth >= campaign.root_locality.depth)
        .order_by(Locality.depth)
    ).all()
    return [(loc, scope.contains(loc)) for loc in rows if loc.id != head.id]


def show_error(form, error: DomainError) -> int:
    """Put ``error`` next to its field (or on top of the form); return the HTTP status."""
    field = form._fields.get(error.field) if error.field else None
    target = field if field is not None else form
    attr = "errors" if field is not None else "form_errors"
    setattr(target, attr, [*getattr(target, attr), str(error.message)])
    return error.status_code


def handle(form, action: Callable):
    """On a valid submission run ``action`` (one service call) and commit.

    Returns ``(ok, result, status)``: status 200 on GET, 400 for bad input, the error's
    own status (403 for a locality outside the scope) when the service refuses.
    """
    if not form.validate_on_submit():
        return False, None, 400 if form.is_submitted() else 200
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        return False, None, show_error(form, error)
    db.session.commit()
    return True, result, 200


def may_manage_here(actor, scope, locality: Locality | None) -> bool:
    return locality is not None and services.may_manage(actor, scope, locality)
