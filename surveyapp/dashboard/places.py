"""Which locality a dashboard shows: the user's head, a drill-down, today's units.

With geography "as collected" the tree is the campaign's own (``campaigns.queries``).
With "today's units" for a campaign whose root lies in a superseded scheme, the tree is
the newer one: the root is the unit the crosswalk maps the campaign's root to, and the
figures count older units at the newer units that replaced them.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.campaigns import queries
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import CURRENT
from surveyapp.localities.models import Locality, LocalityCrosswalk, subtree_filter

MAX_HOPS = 4  # scheme changes followed from the campaign's root to today's unit


def is_superseded(campaign: Campaign) -> bool:
    return campaign.root_locality.scheme.superseded_on is not None


def current_unit(locality: Locality) -> Locality | None:
    """The unit of the newest scheme that took ``locality`` over (whole links first)."""
    unit = locality
    for _hop in range(MAX_HOPS):
        newer = db.session.scalar(
            sa.select(Locality)
            .join(LocalityCrosswalk, LocalityCrosswalk.new_id == Locality.id)
            .where(LocalityCrosswalk.old_id == unit.id)
            .order_by(LocalityCrosswalk.partial, Locality.path)
            .limit(1)
        )
        if newer is None:
            break
        unit = newer
    return unit if unit is not locality else None


def view_root(campaign: Campaign, geography: str) -> Locality | None:
    """The top of the tree the dashboard walks for ``geography``."""
    if geography == CURRENT and is_superseded(campaign):
        return current_unit(campaign.root_locality)
    return campaign.root_locality


def pick_head(campaign: Campaign, scope, geography: str, locality_id: int | None):
    """The locality to show, or None (the caller answers 404): ``locality_id`` when it lies
    in the tree and in the scope, else the highest unit of the tree the scope shows. A unit
    of the other tree (after switching geography) is carried over through the crosswalk."""
    root = view_root(campaign, geography)
    if root is None:
        return None
    locality = db.session.get(Locality, locality_id) if locality_id is not None else None
    if locality_id is not None and locality is None:
        return None
    if locality is not None and not locality.path.startswith(root.path):
        locality = _carried_over(campaign, root, locality)
        if locality is None:
            return None
    if root.id == campaign.root_locality_id:
        return queries.drill_locality(campaign, scope, locality.id if locality else None)
    if locality is not None:
        return locality if scope.contains(locality) else None
    if scope.contains(root):
        return root
    return db.session.scalar(
        sa.select(Locality)
        .where(subtree_filter(Locality.path, root.path), scope.condition(Locality.path))
        .order_by(Locality.depth, Locality.path)
        .limit(1)
    )


def _carried_over(campaign: Campaign, root: Locality, locality: Locality) -> Locality | None:
    """``locality`` of the campaign's other tree, as the unit of ``root``'s tree it maps to:
    an old unit -> the unit that replaced it; a new unit -> the first old unit merged in."""
    own_root = campaign.root_locality
    if root.id != own_root.id:
        if not locality.path.startswith(own_root.path):
            return None
        unit = current_unit(locality)
    else:
        newer = view_root(campaign, CURRENT)
        if newer is None or newer.id == own_root.id or not locality.path.startswith(newer.path):
            return None
        unit = db.session.scalar(
            sa.select(Locality)
            .join(LocalityCrosswalk, LocalityCrosswalk.old_id == Locality.id)
            .where(LocalityCrosswalk.new_id == locality.id)
            .order_by(LocalityCrosswalk.partial, Locality.path)
            .limit(1)
        )
    return unit if unit is not None and unit.path.startswith(root.path) else None


def trail(root_depth: int, head: Locality, scope) -> list[tuple[Locality, bool]]:
    """The ancestors of ``head`` from the tree's root down, each with "may be opened"."""
    ids = [int(part) for part in head.path.strip("/").split("/")]
    rows = db.session.scalars(
        sa.select(Locality)
        .where(Locality.id.in_(ids), Locality.depth >= root_depth, Locality.id != head.id)
        .order_by(Locality.depth)
    ).all()
    return [(loc, scope.contains(loc)) for loc in rows]
