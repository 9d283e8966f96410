"""The per-commune annex of the impact report: one row per lowest-level unit of a subtree.

The figures are those of ``indicators.kpis`` (same person rows, same registered items, the
same rule), grouped by the unit each thing counts at (``placement.located``'s ``node_id``)
instead of by the head's child: two GROUP BY queries and one for the plans, whatever the
number of communes. A unit's figure is the sum of the nodes in its subtree, so a
district's subtotal equals the district's figure on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from surveyapp.campaigns.models import Campaign, Metric, Target
from surveyapp.extensions import db
from surveyapp.indicators import kpis
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.people import person_rows
from surveyapp.indicators.placement import located
from surveyapp.indicators.rules import current_rule
from surveyapp.localities.models import Locality, subtree_filter

FIGURES = ("core_members", "classes", "learners", "respondents", "effective_appliers")


@dataclass
class AnnexRow:
    locality: Locality
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    learners_plan: int | None = None

    @property
    def percent_of_plan(self) -> float | None:
        if not self.learners_plan:
            return None
        return self.figures["learners"] * 100 / self.learners_plan


@dataclass
class AnnexGroup:
    """Communes of one district (``district`` None: directly under the head)."""

    district: AnnexRow | None
    rows: list[AnnexRow]


@dataclass
class Annex:
    groups: list[AnnexGroup]
    total: AnnexRow
    above_communes: dict[str, int]  # registered at the head or a district, not a commune

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def _by_node(campaign: Campaign, head: Locality, filters: KpiFilters) -> dict[int, dict]:
    """{node_id: {figure: n}} over the head's subtree: two GROUP BY queries."""
    rule = current_rule(campaign.id).rule
    people = person_rows(campaign, head, filters, rule)
    counts: dict[int, dict] = {}
    query = sa.select(people.c.node_id, *kpis._people_counts(people)).group_by(people.c.node_id)
    for row in db.session.execute(query):
        node = counts.setdefault(row.node_id, {})
        node["learners"] = int(row.learners)
        node["respondents"] = int(row.respondents)
        node["effective_appliers"] = int(row.achieved)
    place = located(head, filters.geography)
    per_node = sa.select(
        place.c.locality_id, place.c.node_id, place.c.node_id.label("child_id")
    ).cte("per_node")
    items = kpis._registered_items(campaign, filters, per_node)
    query = sa.select(items.c.kind, items.c.child_id, sa.func.count()).group_by(
        items.c.kind, items.c.child_id
    )
    for kind, node_id, n in db.session.execute(query):
        if kind in FIGURES:
            counts.setdefault(node_id, {})[kind] = int(n)
    return counts


def _lowest_units(head: Locality) -> list[Locality]:
    child = aliased(Locality)
    return list(
        db.session.scalars(
            sa.select(Locality)
            .where(
                subtree_filter(Locality.path, head.path),
                Locality.id != head.id,
                ~sa.exists().where(child.parent_id == Locality.id),
            )
            .order_by(Locality.code)
        )
    )


def _learner_plans(campaign: Campaign, head: Locality) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Target.locality_id, Target.value)
        .join(Locality, Locality.id == Target.locality_id)
        .where(
            Target.campaign_id == campaign.id,
            Target.metric == Metric.LEARNERS.value,
            subtree_filter(Locality.path, head.path),
        )
    )
    return dict(rows.all())


def _subtree_sums(nodes: dict[int, dict], paths: dict[int, str]) -> dict[int, dict[str, int]]:
    """{locality id: figures summed over its subtree}: each node adds its figures to every
    locality on its materialised path (ids), so the cost is nodes x depth, not units x nodes."""
    sums: dict[int, dict[str, int]] = {}
    for node_id, values in nodes.items():
        for ancestor in paths.get(node_id, "").strip("/").split("/"):
            if not ancestor:
                continue
            figures = sums.setdefault(int(ancestor), dict.fromkeys(FIGURES, 0))
            for name, value in values.items():
                figures[name] += value
    return sums


def _row(locality: Locality, sums: dict[int, dict[str, int]], plans) -> AnnexRow:
    """``locality``'s figures: the sum over the nodes of its subtree."""
    row = AnnexRow(locality, learners_plan=plans.get(locality.id))
    row.figures.update(sums.get(locality.id, {}))
    return row


def commune_annex(campaign: Campaign, head: Locality, filters: KpiFilters) -> Annex:
    """Every lowest-level unit under ``head`` (by code, grouped by district), with the
    districts' subtotals when there is a district level, and the head's total."""
    nodes = _by_node(campaign, head, filters)
    units = _lowest_units(head)
    ids = set(nodes) | {u.parent_id for u in units if u.parent_id}
    paths = dict(
        db.session.execute(sa.select(Locality.id, Locality.path).where(Locality.id.in_(ids))).all()
    )
    plans = _learner_plans(campaign, head)
    sums = _subtree_sums(nodes, paths)
    districts = {
        d.id: d
        for d in db.session.scalars(
            sa.select(Locality).where(
                Locality.id.in_({u.parent_id for u in units}), Locality.id != head.id
            )
        )
    }
    groups: dict[int | None, AnnexGroup] = {}
    for unit in units:
        key = unit.parent_id if unit.parent_id in districts else None
        if key not in groups:
            district = _row(districts[key], sums, plans) if key else None
            groups[key] = AnnexGroup(district, [])
        groups[key].rows.append(_row(unit, sums, plans))
    ordered = sorted(groups.values(), key=lambda g: g.district.locality.code if g.district else "")
    total = _row(head, sums, plans)
    above = {
        name: total.figures[name] - sum(r.figures[name] for g in ordered for r in g.rows)
        for name in FIGURES
    }
    return Annex(ordered, total, above)
