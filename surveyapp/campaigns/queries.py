"""Reading campaigns within a scope: visible campaigns, the plan table, populations, lists.

Counts are GROUP BY queries over a locality subtree (materialised paths), so the detail
page of a province-wide campaign costs a handful of queries whatever the data volume.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from surveyapp.campaigns.models import (
    Campaign,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, subtree_filter

COUNTED = ("core_members", "classes", "materials")


def visible_campaigns(scope):
    """Select of the campaigns whose root is inside the scope or above it, newest first."""
    return (
        sa.select(Campaign)
        .where(scope.campaign_condition(Campaign.root_locality_id))
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    )


def find_visible_campaign(scope, campaign_id: int) -> Campaign | None:
    return db.session.scalar(
        sa.select(Campaign).where(
            Campaign.id == campaign_id, scope.campaign_condition(Campaign.root_locality_id)
        )
    )


def head_locality(campaign: Campaign, scope) -> Locality | None:
    """The highest locality of the campaign's tree that the scope shows in full."""
    root = campaign.root_locality
    if scope.contains(root):
        return root
    inside = sorted(
        (path for path in scope.root_paths if path.startswith(root.path)),
        key=lambda p: (p.count("/"), p),
    )
    if not inside:
        return None
    locality = db.session.get(Locality, int(inside[0].strip("/").split("/")[-1]))
    return locality if locality is not None and locality.scheme_id == root.scheme_id else None


def drill_locality(campaign: Campaign, scope, locality_id: int | None) -> Locality | None:
    """The locality asked for in a drill-down, if it is in the campaign's tree and in scope."""
    if locality_id is None:
        return head_locality(campaign, scope)
    locality = db.session.get(Locality, locality_id)
    root = campaign.root_locality
    if locality is None or not locality.path.startswith(root.path) or not scope.contains(locality):
        return None
    return locality


@dataclass
class PlanRow:
    locality: Locality
    targets: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))


def _child_upper_bound(path_column):
    """SQL twin of ``path_upper_bound``: '/1/7/' -> '/1/70'."""
    return sa.func.substr(path_column, 1, sa.func.length(path_column) - 1) + "0"


def registered_counts(campaign: Campaign, head: Locality) -> dict[int | None, dict[str, int]]:
    """Core members, classes and materials under ``head``, per child of ``head``.

    One GROUP BY query; the key None holds what is registered at ``head`` itself.
    """
    from surveyapp.classes.models import TrainingClass

    def part(kind: str, model):
        return sa.select(
            sa.literal_column(f"'{kind}'", sa.String).label("kind"),
            model.locality_id.label("locality_id"),
        ).where(model.campaign_id == campaign.id)

    items = sa.union_all(
        part("core_members", CoreMember),
        part("classes", TrainingClass),
        part("materials", Material),
    ).subquery()
    place, child = aliased(Locality), aliased(Locality)
    query = (
        sa.select(items.c.kind, child.id, sa.func.count())
        .select_from(items)
        .join(place, place.id == items.c.locality_id)
        .outerjoin(
            child,
            sa.and_(
                child.parent_id == head.id,
                place.path >= child.path,
                place.path < _child_upper_bound(child.path),
            ),
        )
        .where(subtree_filter(place.path, head.path))
        .group_by(items.c.kind, child.id)
    )
    counts: dict[int | None, dict[str, int]] = {}
    for kind, child_id, n in db.session.execute(query):
        counts.setdefault(child_id, dict.fromkeys(COUNTED, 0))[kind] = n
    return counts


def plan_table(campaign: Campaign, head: Locality) -> tuple[PlanRow, list[PlanRow]]:
    """The plan of ``head`` (with everything registered in its subtree) and of its children."""
    children = db.session.scalars(
        sa.select(Locality).where(Locality.parent_id == head.id).order_by(Locality.code)
    ).all()
    rows = {loc.id: PlanRow(loc) for loc in (head, *children)}
    targets = db.session.execute(
        sa.select(Target.locality_id, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id,
            Target.locality_id.in_(
                sa.select(Locality.id).where(
                    sa.or_(Locality.id == head.id, Locality.parent_id == head.id)
                )
            ),
        )
    )
    for locality_id, metric, value in targets:
        rows[locality_id].targets[metric] = value
    counts = registered_counts(campaign, head)
    top = rows[head.id]
    for child_id, per_kind in counts.items():
        if child_id is not None:
            rows[child_id].counts = per_kind
        for kind, n in per_kind.items():
            top.counts[kind] += n
    return top, [rows[c.id] for c in children]


def children_plan_sum(children: list[PlanRow]) -> dict[str, int]:
    """Sum of the children's plans per metric (a few dozen rows at most)."""
    return {m: sum(r.targets.get(m, 0) for r in children) for m in Metric}


@dataclass
class PopulationRow:
    segment: str
    population: int | None = None
    target_rate: Decimal | None = None
    children_population: int = 0

    @property
    def people_to_reach(self) -> int | None:
        if self.population is None or self.target_rate is None:
            return None
        return math.ceil(self.population * Decimal(self.target_rate) / 100)


def population_table(campaign: Campaign, head: Locality) -> list[PopulationRow]:
    """Per segment: the figures entered for ``head`` and the sum entered for its children."""
    rows = {seg: PopulationRow(seg) for seg in Segment}
    for row in db.session.scalars(
        sa.select(Population).where(
            Population.campaign_id == campaign.id, Population.locality_id == head.id
        )
    ):
        rows[row.segment].population = row.population
        rows[row.segment].target_rate = row.target_rate
    sums = db.session.execute(
        sa.select(Population.segment, sa.func.sum(Population.population))
        .join(Locality, Locality.id == Population.locality_id)
        .where(Population.campaign_id == campaign.id, Locality.parent_id == head.id)
        .group_by(Population.segment)
    )
    for segment, total in sums:
        rows[segment].children_population = int(total or 0)
    return list(rows.values())


def current_targets(campaign: Campaign, locality: Locality) -> dict[str, int]:
    return dict(
        db.session.execute(
            sa.select(Target.metric, Target.value).where(
                Target.campaign_id == campaign.id, Target.locality_id == locality.id
            )
        ).all()
    )


def current_populations(campaign: Campaign, locality: Locality) -> dict[str, Population]:
    rows = db.session.scalars(
        sa.select(Population).where(
            Population.campaign_id == campaign.id, Population.locality_id == locality.id
        )
    )
    return {row.segment: row for row in rows}


def items_in_scope(model, campaign: Campaign, scope, under: Locality | None):
    """Select of ``model`` rows (CoreMember or Material) of the campaign that the scope
    allows, optionally only under ``under``."""
    order = CoreMember.full_name if model is CoreMember else Material.published_on.desc()
    query = (
        sa.select(model)
        .join(Locality, Locality.id == model.locality_id)
        .where(model.campaign_id == campaign.id, scope.condition(Locality.path))
        .order_by(order, model.id)
    )
    if under is not None:
        query = query.where(subtree_filter(Locality.path, under.path))
    return query


def find_item(model, campaign: Campaign, item_id: int, scope):
    """The member or material ``item_id`` of ``campaign`` if the scope allows it, else None."""
    item = db.session.get(model, item_id)
    if item is None or item.campaign_id != campaign.id or not scope.contains(item.locality):
        return None
    return item
