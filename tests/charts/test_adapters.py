"""Chart rows built from the shared figure types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from surveyapp.charts.adapters import coverage_rows, plan_rows, prepost_rows, trend_rows
from surveyapp.indicators.kpi_types import (
    FollowUpStats,
    Kpi,
    KpiTable,
    LocalityKpis,
    SegmentCoverage,
    TrendPoint,
)
from surveyapp.indicators.rule import DEFAULT_RULE
from surveyapp.localities.models import Locality
from surveyapp.scoring.gains import learning_gain


def _row(name: str, actual: int, plan: int | None) -> LocalityKpis:
    kpis = {"learners": Kpi("learners", plan, actual)}
    return LocalityKpis(Locality(name=name), kpis, FollowUpStats())


def test_plan_rows(ctx):
    table = KpiTable(
        1, _row("Tỉnh", 9, 10), [_row("Xã Mù Cang Chải", 4, 6), _row("B", 5, None)], DEFAULT_RULE
    )
    rows = plan_rows(table, "learners")
    assert [(r.label, r.actual, r.plan) for r in rows] == [
        ("Xã Mù Cang Chải", 4, 6),
        ("B", 5, None),
    ]
    assert rows[0].below and not rows[1].below
    assert plan_rows(table, "learners", include_head=True)[0].label == "Tỉnh"


def test_coverage_rows_skip_groups_without_population(ctx):
    rows = coverage_rows(
        [
            SegmentCoverage("official", 200, Decimal("100"), 50, 20),
            SegmentCoverage("resident", None, None, 3, 1),
            SegmentCoverage("student", 1000, None, 0, 0),
        ]
    )
    assert [(r.label, r.rate, r.target, r.note) for r in rows] == [
        ("Officials", 10.0, 100.0, "20 / 200"),
        ("Students", 0.0, None, "0 / 1,000"),
    ]


def test_trend_and_prepost_rows(ctx):
    points = [
        TrendPoint(date(2026, 3, 1), 4, 0, 0, 4, 0),
        TrendPoint(date(2026, 4, 1), 2, 3, 1, 6, 1),
    ]
    assert [(r.new, r.cumulative) for r in trend_rows(points)] == [(4, 0), (2, 1)]
    summary = learning_gain([(40.0, 80.0), (60.0, 90.0)])
    (row,) = prepost_rows([("Tất cả", summary)])
    assert (row.label, row.pre, row.post, row.n) == ("Tất cả", 50.0, 85.0, 2)
    (empty,) = prepost_rows([("Không ai", learning_gain([]))])
    assert (empty.pre, empty.post, empty.n) == (None, None, 0)
