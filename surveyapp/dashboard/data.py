"""Everything one dashboard page shows, gathered from the shared figure functions.

``build(campaign, head, filters)`` calls the indicator queries (``indicators.kpis``), the
learning gains (``scoring.queries``) and the rule wording once each, and draws the charts;
it reads no request and changes nothing, so the printed report can call it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from surveyapp.campaigns.models import Campaign, Metric
from surveyapp.charts import adapters
from surveyapp.charts.svg import coverage_chart, plan_chart, prepost_chart, trend_chart
from surveyapp.indicators import kpis, wording
from surveyapp.indicators.kpi_types import (
    FrequencyRow,
    KpiFilters,
    KpiTable,
    SegmentCoverage,
    TrendPoint,
)
from surveyapp.indicators.rules import StoredRule, current_rule
from surveyapp.labels import METRIC_LABELS, SEGMENT_LABELS
from surveyapp.localities.models import Locality
from surveyapp.scoring import queries as scoring

CHART_METRICS = (Metric.LEARNERS, Metric.EFFECTIVE_APPLIERS)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


@dataclass
class Dashboard:
    table: KpiTable
    coverage: list[SegmentCoverage]
    trend: list[TrendPoint]
    frequency: list[FrequencyRow]
    rule: StoredRule
    rule_title: str
    rule_text: list[str]
    gains: list[tuple[str, Any]] = field(default_factory=list)  # (label, GainSummary)
    charts: dict[str, Chart] = field(default_factory=dict)

    @property
    def overall_gain(self):
        return self.gains[0][1] if self.gains else None


def build(
    campaign: Campaign, head: Locality, filters: KpiFilters, gains_head: Locality | None = None
) -> Dashboard:
    """The figures of ``head``. Learning gains are read for ``gains_head`` (default ``head``;
    tests are placed where they were taken, so a unit of today's tree passes the old unit it
    stands for) and left out when it is None and ``head`` lies in today's tree."""
    stored = current_rule(campaign.id)
    if gains_head is None and head.path.startswith(campaign.root_locality.path):
        gains_head = head
    board = Dashboard(
        table=kpis.kpi_table(campaign, head, filters),
        coverage=kpis.segment_coverage(campaign, head, filters),
        trend=kpis.monthly_trend(campaign, head, filters),
        frequency=kpis.frequency_by_segment(campaign, head, filters),
        rule=stored,
        rule_title=wording.title(stored.rule),
        rule_text=wording.describe(stored.rule),
        gains=learning_gains(campaign, gains_head, filters.segment) if gains_head else [],
    )
    board.charts = draw_charts(board, head)
    return board


def learning_gains(campaign: Campaign, head: Locality, segment: str | None):
    """The gains of everybody in ``head`` (or of ``segment``) first, then of each segment
    with matched learners when no segment was chosen."""
    label = str(SEGMENT_LABELS.get(segment, segment)) if segment else _("Everybody")
    scores = scoring.person_scores(campaign, head, segment=segment)  # read once for all groups
    groups = [(label, scoring.summarise(scores))]
    if segment is None:
        groups += [
            (str(SEGMENT_LABELS.get(seg, seg)), summary)
            for seg, summary in scoring.segment_gains(scores)
            if summary.n_matched
        ]
    return groups


def draw_charts(board: Dashboard, head: Locality) -> dict[str, Chart]:
    """The page's charts, each with the title shown above it (and inside it, for readers)."""
    charts: dict[str, Chart] = {}

    def add(key: str, title: str, draw, rows) -> None:
        charts[key] = Chart(title, draw(rows, title=title, chart_id=key.replace("_", "-")))

    if board.table.children:
        for metric in CHART_METRICS:
            title = _(
                "%(metric)s in the sub-localities of %(name)s against plan",
                metric=METRIC_LABELS[metric],
                name=head.name,
            )
            add(f"plan_{metric}", title, plan_chart, adapters.plan_rows(board.table, metric))
    add(
        "coverage",
        _("Coverage per group in %(name)s against target rates", name=head.name),
        coverage_chart,
        adapters.coverage_rows(board.coverage),
    )
    add(
        "trend",
        _("New learners per month and people applying AI effectively in %(name)s", name=head.name),
        trend_chart,
        adapters.trend_rows(board.trend),
    )
    add(
        "prepost",
        _("Mean test scores before and after the class in %(name)s", name=head.name),
        prepost_chart,
        adapters.prepost_rows(board.gains),
    )
    return charts
