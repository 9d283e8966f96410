"""Chart rows from the shared figures (``indicators.kpi_types``, learning gains).

The dashboard and the printed report call these, so both draw the same bars from the
same objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from surveyapp.indicators.kpi_types import KpiTable, SegmentCoverage, TrendPoint
from surveyapp.labels import SEGMENT_LABELS

from ._canvas import fmt_number
from .svg import PlanRow, PrePostRow, RateRow, TrendRow


def plan_rows(table: KpiTable, metric: str, *, include_head: bool = False) -> list[PlanRow]:
    """One bar per child locality of ``table`` (the head first when ``include_head``)."""
    entries = [table.head, *table.children] if include_head else table.children
    rows = []
    for entry in entries:
        kpi = entry.kpi(metric)
        rows.append(PlanRow(label=entry.locality.name, actual=kpi.actual, plan=kpi.plan))
    return rows


def coverage_rows(coverage: Iterable[SegmentCoverage]) -> list[RateRow]:
    """One bar per segment: people applying AI effectively / population, against the
    segment's target rate; segments without a population are left out."""
    rows = []
    for item in coverage:
        if not item.population:
            continue
        rows.append(
            RateRow(
                label=str(SEGMENT_LABELS.get(item.segment, item.segment)),
                rate=item.coverage_rate,
                target=float(item.target_rate) if item.target_rate is not None else None,
                note=f"{fmt_number(item.achieved)} / {fmt_number(item.population)}",
            )
        )
    return rows


def trend_rows(points: Iterable[TrendPoint]) -> list[TrendRow]:
    return [TrendRow(month=p.month, new=p.learners, cumulative=p.achieved_total) for p in points]


def prepost_rows(groups: Sequence[tuple[str, Any]]) -> list[PrePostRow]:
    """``(label, summary)`` pairs, where a summary has ``mean_pre``, ``mean_post`` and
    ``n_matched`` (``scoring.gains.GainSummary`` or the DB-backed summary built on it)."""
    return [
        PrePostRow(
            label=str(label),
            pre=_mean(summary, "mean_pre"),
            post=_mean(summary, "mean_post"),
            n=int(getattr(summary, "n_matched", 0) or 0),
        )
        for label, summary in groups
    ]


def _mean(summary: Any, name: str) -> float | None:
    value = getattr(summary, name, None)
    if value is None:
        gains = getattr(summary, "gains", None)  # a wrapper around GainSummary
        value = getattr(gains, name, None) if gains is not None else None
    return float(value) if value is not None else None
