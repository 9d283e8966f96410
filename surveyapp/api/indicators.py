"""/api/v1/campaigns/<id>/indicators: the KPI table of a locality and of each child."""

from __future__ import annotations

from surveyapp.dashboard.places import pick_head, view_root
from surveyapp.indicators import wording
from surveyapp.indicators.kpi_types import KpiFilters, LocalityKpis
from surveyapp.indicators.kpis import kpi_table
from surveyapp.localities.lookup import find_locality
from surveyapp.security import STAFF, scope_for

from .auth import api_roles
from .blueprint import blp, documented_errors
from .campaigns import NO_LOCALITY, campaign_or_404
from .errors import api_abort
from .schemas import IndicatorArgs, IndicatorTable


def _head_or_404(campaign, code: str | None, geography: str):
    """``code`` in the tree shown for ``geography`` (today's units for a superseded root),
    or the highest locality of that tree the caller sees; 404 outside it or the scope."""
    root = view_root(campaign, geography)
    locality_id = None
    if code is not None:
        found = find_locality(root.scheme.code, code) if root is not None else None
        if found is None:
            api_abort(404, NO_LOCALITY)
        locality_id = found.id
    head = pick_head(campaign, scope_for(), geography, locality_id)
    if head is None:
        api_abort(404, NO_LOCALITY)
    return head


def _row(row: LocalityKpis) -> dict:
    return {
        "locality": row.locality,
        "below_plan": row.below_plan,
        "kpis": [
            {
                "metric": kpi.metric,
                "plan": kpi.plan,
                "actual": kpi.actual,
                "percent_of_plan": kpi.percent_of_plan,
                "below_plan": kpi.below_plan,
            }
            for kpi in row.kpis.values()
        ],
        "follow_up": row.follow_up,
    }


@blp.route("/api/v1/campaigns/<int(max=2147483647):campaign_id>/indicators")
@api_roles(*STAFF)
@blp.arguments(IndicatorArgs, location="query", as_kwargs=True)
@blp.response(200, IndicatorTable)
@documented_errors(404)
def indicators(campaign_id: int, geography: str, lang: str, **args):
    """Core members, classes, learners, materials and people who apply AI effectively, each
    with plan, actual and percent of plan, for the locality (its whole subtree) and for each
    child; follow-up counts with the response rate; the rule's version and wording."""
    campaign = campaign_or_404(campaign_id)
    head = _head_or_404(campaign, args.get("locality"), geography)
    filters = KpiFilters(
        segment=args.get("segment"),
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
        geography=geography,
    )
    table = kpi_table(campaign, head, filters)
    return {
        "campaign_id": campaign.id,
        "rule": {
            "version": table.rule.version,
            "title": wording.title(table.rule, lang),
            "wording": wording.describe(table.rule, lang),
            "definition": table.rule.to_dict(),
        },
        "filters": {
            "segment": filters.segment,
            "date_from": filters.date_from,
            "date_to": filters.date_to,
            "geography": filters.geography,
        },
        "locality": _row(table.head),
        "children": [_row(row) for row in table.children],
        "unplaced": table.unplaced,
    }
