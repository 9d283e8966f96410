"""The figures an approval signs: ``kpi_table`` of a locality for a period, as plain JSON,
and the differences between a stored snapshot and the figures as they are now.

Plans are stored for reading but not compared (a target may be revised after approval
without the counted figures moving); the count of excluded responses is not compared either,
since holding a late response for review excludes it precisely so that the other figures
stay as approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from surveyapp.campaigns.models import Campaign, Metric
from surveyapp.indicators.kpi_types import KpiFilters, KpiTable, LocalityKpis
from surveyapp.indicators.kpis import STAT_FIELDS, kpi_table
from surveyapp.localities.models import Locality

FORMAT = 1
COMPARED_STATS = STAT_FIELDS  # follow-up counts compared (excluded responses are not)


def _row(row: LocalityKpis, *, head: bool) -> dict:
    stats = row.follow_up
    return {
        "locality_id": row.locality.id,
        "code": row.locality.code,
        "name": row.locality.name,
        "head": head,
        "kpis": {
            metric: {"plan": kpi.plan, "actual": kpi.actual} for metric, kpi in row.kpis.items()
        },
        "follow_up": {name: getattr(stats, name) for name in (*STAT_FIELDS, "excluded_responses")},
    }


def serialise(table: KpiTable, start: date, end: date) -> dict:
    """``table`` as JSON-ready data (head first, then the children in code order)."""
    return {
        "format": FORMAT,
        "period": [start.isoformat(), end.isoformat()],
        "rule_version": table.rule.version,
        "rows": [_row(table.head, head=True)]
        + [_row(child, head=False) for child in table.children],
        "unplaced": dict(table.unplaced),
    }


def take(campaign: Campaign, locality: Locality, start: date, end: date) -> dict:
    """The snapshot of ``locality``'s figures for the inclusive period (as collected)."""
    table = kpi_table(campaign, locality, KpiFilters(date_from=start, date_to=end))
    return serialise(table, start, end)


@dataclass(frozen=True)
class Difference:
    locality: str
    field: str  # a Metric value or a follow-up stat name
    approved: int | None
    now: int | None


def _figures(row: dict) -> dict[str, int | None]:
    found = {m: (row.get("kpis", {}).get(m) or {}).get("actual") for m in (x.value for x in Metric)}
    stats = row.get("follow_up", {})
    found.update({name: stats.get(name) for name in COMPARED_STATS})
    return found


def differences(stored: dict, current: dict) -> list[Difference]:
    """Figures of ``current`` that differ from ``stored`` (rows matched by locality)."""
    now_rows = {row["locality_id"]: row for row in current.get("rows", [])}
    found = []
    for row in stored.get("rows", []):
        then = _figures(row)
        now = _figures(now_rows.get(row["locality_id"], {}))
        for name, value in then.items():
            if value != now.get(name):
                found.append(Difference(row.get("name", ""), name, value, now.get(name)))
    return found
